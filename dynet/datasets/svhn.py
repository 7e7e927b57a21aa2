"""SVHN (Street View House Numbers), cropped 32x32 RGB digits.

The official MATLAB files ``train_32x32.mat``, ``test_32x32.mat`` (and
``extra_32x32.mat`` with ``add_extra``) are downloaded once into the
dataset cache, checked against their MD5 sums, and converted to
``pfnet/chainer/svhn/{train,test,extra}.npz``. Reading them needs SciPy.
The dataset labels the digit 0 as 10; as in Chainer, labels are mapped to
0-9.
"""
import os

import numpy

from dynet.config import get_dtype
from dynet.dataset import download
from dynet.datasets._idx_datasets import RemoteFile
from dynet.datasets.tuple_dataset import TupleDataset

# The URLs and checksums, in one place.
_BASE = 'http://ufldl.stanford.edu/housenumbers/'
_FILES = {
    'train': RemoteFile((_BASE + 'train_32x32.mat',),
                        'e26dedcc434d2e4c54c9b2d4a06d8373'),
    'test': RemoteFile((_BASE + 'test_32x32.mat',),
                       'eb5a983be6a315427106f1b164d9cef3'),
    'extra': RemoteFile((_BASE + 'extra_32x32.mat',),
                        'a93ce644f1a588dc4d68dda5feec44a7'),
}


def _scipy_io():
    try:
        from scipy import io
    except ImportError as error:
        raise RuntimeError(
            'get_svhn needs SciPy to read the .mat files: pip install '
            'scipy ({})'.format(error)) from error
    return io


def parse_svhn_mat(path):
    """Reads an SVHN ``*_32x32.mat`` file: ``(x, y)`` with ``x`` uint8 of
    shape (N, 3, 32, 32) and ``y`` uint8 labels 0-9 of shape (N,)."""
    mat = _scipy_io().loadmat(path)
    x, y = mat['X'], mat['y']
    if x.ndim != 4 or x.shape[:3] != (32, 32, 3):
        raise ValueError('{}: X has shape {}, expected (32, 32, 3, N)'.format(
            path, x.shape))
    # (height, width, channel, N) -> (N, channel, height, width)
    x = numpy.ascontiguousarray(x.transpose(3, 2, 0, 1), dtype=numpy.uint8)
    y = numpy.asarray(y).reshape(-1).astype(numpy.uint8)
    if len(y) != len(x):
        raise ValueError('{}: {} images but {} labels'.format(
            path, len(x), len(y)))
    y[y == 10] = 0
    return x, y


def _retrieve(split):
    def creator(temp_path):
        remote = _FILES[split]
        mat_path = download._download_verified(remote.urls, remote.md5)
        x, y = parse_svhn_mat(mat_path)
        numpy.savez_compressed(temp_path, x=x, y=y)
        return {'x': x, 'y': y}

    def loader(path):
        with numpy.load(path) as f:
            return {'x': f['x'], 'y': f['y']}

    directory = download.get_dataset_directory('pfnet/chainer/svhn')
    return download.cache_or_load_file(
        os.path.join(directory, split + '.npz'), creator, loader)


def _preprocess(raw, withlabel, scale, dtype, label_dtype):
    images = raw['x'].astype(dtype)
    images *= scale / 255.
    if withlabel:
        return TupleDataset(images, raw['y'].astype(label_dtype))
    return images


def get_svhn(withlabel=True, scale=1., dtype=None, label_dtype=numpy.int32,
             add_extra=False):
    """Gets SVHN: ``(train, test)``, or ``(train, test, extra)`` with
    ``add_extra``. Images are (3, 32, 32) arrays scaled to ``[0, scale]``;
    the other arguments are those of ``get_mnist``."""
    _scipy_io()
    dtype = get_dtype(dtype)
    splits = ('train', 'test', 'extra') if add_extra else ('train', 'test')
    return tuple(_preprocess(_retrieve(split), withlabel, scale, dtype,
                             label_dtype) for split in splits)
