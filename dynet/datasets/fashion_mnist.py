"""Fashion-MNIST: 70,000 28x28 grayscale images of 10 kinds of clothing,
a drop-in replacement for MNIST (Zalando Research). Downloaded once into
the dataset cache, like ``get_mnist``."""
import numpy

from dynet.datasets import _idx_datasets

# The URLs, in one place: mirrors tried in order.
_MIRRORS = (
    'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
    'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/'
    'master/data/fashion/',
)
_FILES = _idx_datasets.remote_files(_MIRRORS, {
    'train-images-idx3-ubyte.gz': '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
    'train-labels-idx1-ubyte.gz': '25c81989df183df01b3e8a0aad5dffbe',
    't10k-images-idx3-ubyte.gz': 'bef4ecab320f06d8554ea6380940ec79',
    't10k-labels-idx1-ubyte.gz': 'bb300cfdad3c16e7a12a480ee83cd310',
})
_SOURCE = _idx_datasets.IdxSource(
    name='Fashion-MNIST',
    cache_dir='pfnet/chainer/fashion-mnist',
    images={'train': _FILES['train-images-idx3-ubyte.gz'],
            'test': _FILES['t10k-images-idx3-ubyte.gz']},
    labels={'train': _FILES['train-labels-idx1-ubyte.gz'],
            'test': _FILES['t10k-labels-idx1-ubyte.gz']},
    counts={'train': 60000, 'test': 10000})

_LABELS = ('T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal',
           'Shirt', 'Sneaker', 'Bag', 'Ankle boot')


def get_fashion_mnist_labels():
    """The class names of Fashion-MNIST, index = label."""
    return _LABELS


def get_fashion_mnist(withlabel=True, ndim=1, scale=1., dtype=None,
                      label_dtype=numpy.int32, rgb_format=False):
    """Gets Fashion-MNIST: ``(train, test)``, with the same arguments and
    preprocessing as ``get_mnist``."""
    return _idx_datasets.get(_SOURCE, withlabel, ndim, scale, dtype,
                             label_dtype, rgb_format)
