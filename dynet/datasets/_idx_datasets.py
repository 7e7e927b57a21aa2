"""Shared machinery of the MNIST-like datasets (MNIST, Fashion-MNIST,
Kuzushiji-MNIST): IDX files downloaded once, converted to an npz cache,
preprocessed like Chainer's ``get_mnist``."""
import collections
import gzip
import os

import numpy

from dynet.config import get_dtype
from dynet.dataset import download
from dynet.datasets.idx import parse_idx
from dynet.datasets.tuple_dataset import TupleDataset

# One downloadable file: mirrors (full URLs, tried in order) and MD5.
RemoteFile = collections.namedtuple('RemoteFile', ['urls', 'md5'])

# A dataset in IDX format: its cache directory name (under the dataset
# root), and per split ('train', 'test') the images file, the labels file
# and the number of examples.
IdxSource = collections.namedtuple(
    'IdxSource', ['name', 'cache_dir', 'images', 'labels', 'counts'])


def remote_files(mirrors, md5s):
    """``{file name: RemoteFile}`` for files available under each of the
    ``mirrors`` (base URLs ending with '/')."""
    return {name: RemoteFile(tuple(base + name for base in mirrors), md5)
            for name, md5 in md5s.items()}


def _read_maybe_gzip(path):
    with open(path, 'rb') as f:
        data = f.read()
    if data[:2] == b'\x1f\x8b':
        data = gzip.decompress(data)
    return data


def _load_idx(remote, what, expected_shape):
    path = download._download_verified(remote.urls, remote.md5)
    array = parse_idx(_read_maybe_gzip(path), remote.urls[0])
    if array.dtype != numpy.uint8 or array.shape != expected_shape:
        raise ValueError(
            '{} ({}): expected uint8 data of shape {}, got {} of shape '
            '{}'.format(what, remote.urls[0], expected_shape, array.dtype,
                        array.shape))
    return array


def _make_npz(source, split, path):
    count = source.counts[split]
    images = _load_idx(source.images[split], source.name + ' images',
                       (count, 28, 28))
    labels = _load_idx(source.labels[split], source.name + ' labels',
                       (count,))
    if labels.size and labels.max() > 9:
        raise ValueError('{} labels: found label {} (expected 0-9)'.format(
            source.name, labels.max()))
    x = images.reshape(count, 784)
    numpy.savez_compressed(path, x=x, y=labels)
    return {'x': x, 'y': labels}


def _load_npz(path):
    with numpy.load(path) as f:
        return {'x': f['x'].reshape(-1, 784), 'y': f['y']}


def retrieve(source, split):
    """``{'x': uint8 (N, 784), 'y': uint8 (N,)}`` of one split, from the
    npz cache (made on first use from the downloaded IDX files)."""
    directory = download.get_dataset_directory(source.cache_dir)
    path = os.path.join(directory, split + '.npz')
    return download.cache_or_load_file(
        path, lambda temp: _make_npz(source, split, temp), _load_npz)


def preprocess(images, labels, withlabel, ndim, scale, dtype, label_dtype,
               rgb_format):
    """Chainer's MNIST preprocessing of uint8 images (N, 784) or
    (N, 28, 28): reshape by ``ndim``, cast to ``dtype`` (config.dtype when
    None), multiply by ``scale / 255``."""
    if ndim == 1:
        images = images.reshape(-1, 784)
    elif ndim == 2:
        images = images.reshape(-1, 28, 28)
    elif ndim == 3:
        images = images.reshape(-1, 1, 28, 28)
        if rgb_format:
            images = numpy.broadcast_to(images, (len(images), 3, 28, 28))
    else:
        raise ValueError('invalid ndim for an MNIST-like dataset: {} '
                         '(expected 1, 2 or 3)'.format(ndim))
    images = images.astype(get_dtype(dtype))
    images *= scale / 255.
    if withlabel:
        return TupleDataset(images, labels.astype(label_dtype))
    return images


def get(source, withlabel, ndim, scale, dtype, label_dtype, rgb_format):
    """(train, test) of an IDX dataset, downloaded and cached as needed."""
    splits = []
    for split in ('train', 'test'):
        raw = retrieve(source, split)
        splits.append(preprocess(raw['x'], raw['y'], withlabel, ndim, scale,
                                 dtype, label_dtype, rgb_format))
    return tuple(splits)
