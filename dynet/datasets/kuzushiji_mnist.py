"""Kuzushiji-MNIST (KMNIST): 70,000 28x28 grayscale images of 10 cursive
Japanese (hiragana) characters, from the ROIS-DS Center for Open Data in
the Humanities. Downloaded once into the dataset cache, like
``get_mnist``."""
import numpy

from dynet.datasets import _idx_datasets

# The URLs, in one place: mirrors tried in order.
_MIRRORS = (
    'http://codh.rois.ac.jp/kmnist/dataset/kmnist/',
    'https://codh.rois.ac.jp/kmnist/dataset/kmnist/',
)
_FILES = _idx_datasets.remote_files(_MIRRORS, {
    'train-images-idx3-ubyte.gz': 'bdb82020997e1d708af4cf47b453dcf7',
    'train-labels-idx1-ubyte.gz': 'e144d726b3acfaa3e44228e80efcd344',
    't10k-images-idx3-ubyte.gz': '5c965bf0a639b31b8f53240b1b52f4d7',
    't10k-labels-idx1-ubyte.gz': '7320c461ea6c1c855c0b718fb2a4b134',
})
_SOURCE = _idx_datasets.IdxSource(
    name='Kuzushiji-MNIST',
    cache_dir='pfnet/chainer/kuzushiji_mnist',
    images={'train': _FILES['train-images-idx3-ubyte.gz'],
            'test': _FILES['t10k-images-idx3-ubyte.gz']},
    labels={'train': _FILES['train-labels-idx1-ubyte.gz'],
            'test': _FILES['t10k-labels-idx1-ubyte.gz']},
    counts={'train': 60000, 'test': 10000})

# (romaji, character) per label.
_LABELS = [('o', '\u304a'), ('ki', '\u304d'), ('su', '\u3059'),
           ('tsu', '\u3064'), ('na', '\u306a'), ('ha', '\u306f'),
           ('ma', '\u307e'), ('ya', '\u3084'), ('re', '\u308c'),
           ('wo', '\u3092')]


def get_kuzushiji_mnist_labels():
    """The classes of KMNIST, index = label: a list of (romaji name,
    character) tuples."""
    return _LABELS


def get_kuzushiji_mnist(withlabel=True, ndim=1, scale=1., dtype=None,
                        label_dtype=numpy.int32, rgb_format=False):
    """Gets Kuzushiji-MNIST: ``(train, test)``, with the same arguments and
    preprocessing as ``get_mnist``."""
    return _idx_datasets.get(_SOURCE, withlabel, ndim, scale, dtype,
                             label_dtype, rgb_format)
