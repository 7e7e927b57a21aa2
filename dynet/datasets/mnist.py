"""MNIST: 70,000 handwritten digits, 28x28 grayscale.

``get_mnist()`` downloads the official files once (about 11 MB) into the
dataset cache (see ``dynet.dataset.download``), checks their MD5 sums and
sizes, converts them to ``pfnet/chainer/mnist/{train,test}.npz`` and loads
those afterwards. ``get_mnist(sample=True)`` uses the 5,000-digit sample
shipped with dynet instead and never touches the network.
"""
import numpy

from dynet.datasets import _idx_datasets
from dynet.datasets import mnist_sample

# The URLs, in one place: mirrors tried in order (the original site at
# yann.lecun.com often refuses downloads nowadays).
_MIRRORS = (
    'https://ossci-datasets.s3.amazonaws.com/mnist/',
    'https://storage.googleapis.com/cvdf-datasets/mnist/',
    'http://yann.lecun.com/exdb/mnist/',
)
_FILES = _idx_datasets.remote_files(_MIRRORS, {
    'train-images-idx3-ubyte.gz': 'f68b3c2dcbeaaa9fbdd348bbdeb94873',
    'train-labels-idx1-ubyte.gz': 'd53e105ee54ea40749a09fcbcd1e9432',
    't10k-images-idx3-ubyte.gz': '9fb629c4189551a2d022fa330f9573f3',
    't10k-labels-idx1-ubyte.gz': 'ec29112dd5afa0611ce80d1b7f02629c',
})
_SOURCE = _idx_datasets.IdxSource(
    name='MNIST',
    cache_dir='pfnet/chainer/mnist',
    images={'train': _FILES['train-images-idx3-ubyte.gz'],
            'test': _FILES['t10k-images-idx3-ubyte.gz']},
    labels={'train': _FILES['train-labels-idx1-ubyte.gz'],
            'test': _FILES['t10k-labels-idx1-ubyte.gz']},
    counts={'train': 60000, 'test': 10000})


def get_mnist(withlabel=True, ndim=1, scale=1., dtype=None,
              label_dtype=numpy.int32, rgb_format=False, *, sample=False):
    """Gets the MNIST dataset: ``(train, test)``.

    Pixels are scaled to ``[0, scale]`` (``uint8 value * scale / 255``).

    Args:
        withlabel (bool): if True, each dataset is a TupleDataset of
            (image, label); otherwise an array of images.
        ndim (int): shape of each image: 1 -> (784,), 2 -> (28, 28),
            3 -> (1, 28, 28).
        scale (float): the value of a white pixel.
        dtype: dtype of the images; ``dynet.config.dtype`` when None.
        label_dtype: dtype of the labels.
        rgb_format (bool): with ``ndim == 3``, repeat the gray channel into
            three, giving (3, 28, 28) images (ignored for other ``ndim``).
        sample (bool): dynet extension (keyword only). If True, use the
            bundled real MNIST sample (4,000 training and 1,000 test
            digits, 10% per class) instead of downloading; see
            ``dynet.datasets.mnist_sample``.

    Returns:
        A tuple of two datasets (train, test).

    Raises:
        dynet.dataset.download.DownloadError: the files are not cached and
            cannot be downloaded (the message names the URLs and the cache
            path to put a copy downloaded by hand).
    """
    if sample:
        return tuple(
            _idx_datasets.preprocess(
                *mnist_sample.load_arrays(split), withlabel, ndim, scale,
                dtype, label_dtype, rgb_format)
            for split in ('train', 'test'))
    return _idx_datasets.get(_SOURCE, withlabel, ndim, scale, dtype,
                             label_dtype, rgb_format)
