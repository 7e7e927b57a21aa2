"""CIFAR-10 and CIFAR-100: 60,000 32x32 RGB images in 10 or 100 classes.

The official *binary* archives are downloaded (once, into the dataset
cache), checked against their published MD5 sums, read member by member
straight from the tar file (nothing is extracted to disk) and converted to
``pfnet/chainer/cifar/cifar-10.npz`` / ``cifar-100.npz``. The binary
version is used rather than the Python one so that no pickle from the
network is ever loaded.

Binary format: fixed-size records of ``label_bytes`` label bytes followed
by 3072 pixel bytes (1024 red, 1024 green, 1024 blue, each 32x32 row-major).
CIFAR-10 has one label byte; CIFAR-100 has two, the coarse (20-class) label
then the fine (100-class) one, and ``get_cifar100`` uses the fine one.
"""
import os
import tarfile

import numpy

from dynet.config import get_dtype
from dynet.dataset import download
from dynet.datasets._idx_datasets import RemoteFile
from dynet.datasets.tuple_dataset import TupleDataset

_PIXELS = 3 * 32 * 32

# Everything about the sources, in one place.
_CIFAR10 = {
    'remote': RemoteFile(
        ('https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',),
        'c32a1d4ab5d03f1284b67883e8d87530'),
    'train': ['cifar-10-batches-bin/data_batch_{}.bin'.format(i)
              for i in range(1, 6)],
    'test': ['cifar-10-batches-bin/test_batch.bin'],
    'label_bytes': 1, 'label_offset': 0, 'n_classes': 10,
    'counts': {'train': 50000, 'test': 10000},
    'npz': 'cifar-10.npz',
}
_CIFAR100 = {
    'remote': RemoteFile(
        ('https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz',),
        '03b5dce01913d631647c71ecec9e9cb8'),
    'train': ['cifar-100-binary/train.bin'],
    'test': ['cifar-100-binary/test.bin'],
    'label_bytes': 2, 'label_offset': 1, 'n_classes': 100,
    'counts': {'train': 50000, 'test': 10000},
    'npz': 'cifar-100.npz',
}


def parse_cifar_binary(data, label_bytes=1, label_offset=0, name='<bytes>'):
    """Parses the records of a CIFAR binary batch file.

    Args:
        data (bytes): the file contents.
        label_bytes (int): label bytes before each image (1 for CIFAR-10,
            2 for CIFAR-100).
        label_offset (int): which of them is returned (CIFAR-100: 0 coarse,
            1 fine).

    Returns:
        ``(images, labels)``: uint8 arrays of shape (N, 3072) and (N,).
    """
    record = label_bytes + _PIXELS
    if len(data) % record:
        raise ValueError(
            '{}: {} bytes is not a whole number of {}-byte CIFAR '
            'records'.format(name, len(data), record))
    records = numpy.frombuffer(data, numpy.uint8).reshape(-1, record)
    return (records[:, label_bytes:].copy(),
            records[:, label_offset].copy())


def _read_archive(path, spec, split):
    images, labels = [], []
    with tarfile.open(path, 'r:*') as archive:
        for member in spec[split]:
            try:
                f = archive.extractfile(member)
            except KeyError:
                f = None
            if f is None:
                raise ValueError('{}: the archive has no file {}'.format(
                    spec['remote'].urls[0], member))
            with f:
                x, t = parse_cifar_binary(f.read(), spec['label_bytes'],
                                          spec['label_offset'], member)
            images.append(x)
            labels.append(t)
    x = numpy.concatenate(images)
    t = numpy.concatenate(labels)
    if len(x) != spec['counts'][split]:
        raise ValueError('{}: {} {} images, expected {}'.format(
            spec['remote'].urls[0], len(x), split, spec['counts'][split]))
    if t.size and t.max() >= spec['n_classes']:
        raise ValueError('{}: label {} out of range for {} classes'.format(
            spec['remote'].urls[0], t.max(), spec['n_classes']))
    return x, t


def _retrieve(spec):
    def creator(temp_path):
        archive = download._download_verified(spec['remote'].urls,
                                              spec['remote'].md5)
        raw = {}
        for split in ('train', 'test'):
            raw[split + '_x'], raw[split + '_y'] = _read_archive(
                archive, spec, split)
        numpy.savez_compressed(temp_path, **raw)
        return raw

    def loader(path):
        with numpy.load(path) as f:
            return {key: f[key] for key in f.files}

    directory = download.get_dataset_directory('pfnet/chainer/cifar')
    return download.cache_or_load_file(
        os.path.join(directory, spec['npz']), creator, loader)


def _preprocess(images, labels, withlabel, ndim, scale, dtype):
    if ndim == 1:
        images = images.reshape(-1, _PIXELS)
    elif ndim == 3:
        images = images.reshape(-1, 3, 32, 32)
    else:
        raise ValueError('invalid ndim for CIFAR: {} (expected 1 or '
                         '3)'.format(ndim))
    images = images.astype(get_dtype(dtype))
    images *= scale / 255.
    if withlabel:
        return TupleDataset(images, labels.astype(numpy.int32))
    return images


def _get(spec, withlabel, ndim, scale, dtype):
    if ndim not in (1, 3):
        raise ValueError('invalid ndim for CIFAR: {} (expected 1 or '
                         '3)'.format(ndim))
    raw = _retrieve(spec)
    return tuple(_preprocess(raw[split + '_x'], raw[split + '_y'],
                             withlabel, ndim, scale, dtype)
                 for split in ('train', 'test'))


def get_cifar10(withlabel=True, ndim=3, scale=1., dtype=None):
    """Gets CIFAR-10: ``(train, test)`` with 50,000 and 10,000 images.

    Args:
        withlabel (bool): TupleDatasets of (image, int32 label) if True,
            arrays of images otherwise.
        ndim (int): 3 -> images of shape (3, 32, 32); 1 -> (3072,).
        scale (float): pixels are scaled to ``[0, scale]``.
        dtype: dtype of the images; ``dynet.config.dtype`` when None.
    """
    return _get(_CIFAR10, withlabel, ndim, scale, dtype)


def get_cifar100(withlabel=True, ndim=3, scale=1., dtype=None):
    """Gets CIFAR-100 with its 100 fine labels: ``(train, test)``; the
    arguments are those of ``get_cifar10``."""
    return _get(_CIFAR100, withlabel, ndim, scale, dtype)
