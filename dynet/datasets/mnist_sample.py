"""The real MNIST sample shipped with dynet (5,000 digits).

4,000 training and 1,000 test digits (400 and 100 per class), in the
original IDX format under ``dynet/datasets/data/mnist_sample``; see the
README there for where they come from. No download is ever needed.
"""
import os

from dynet.datasets.idx import read_idx

SAMPLE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          'data', 'mnist_sample')
_FILES = {
    'train': ('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'),
    'test': ('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'),
}


def load_arrays(split):
    """Returns ``(images, labels)`` of the sample: uint8 arrays of shape
    (N, 28, 28) and (N,). ``split`` is 'train' or 'test'."""
    if split not in _FILES:
        raise ValueError("mnist_sample.load_arrays: split must be 'train' or "
                         "'test', got {!r}".format(split))
    images_file, labels_file = _FILES[split]
    images = read_idx(os.path.join(SAMPLE_DIR, images_file))
    labels = read_idx(os.path.join(SAMPLE_DIR, labels_file))
    if images.shape[0] != labels.shape[0]:
        raise ValueError('MNIST sample: {} images but {} labels'.format(
            images.shape[0], labels.shape[0]))
    return images, labels
