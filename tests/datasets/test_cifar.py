"""CIFAR: the binary-format parser and the whole download/convert/cache
path, on tiny archives in the official binary layout made here."""
import hashlib
import io
import tarfile
import urllib.error

import numpy
import pytest

from dynet import datasets
from dynet.dataset import download
from dynet.datasets import cifar
from dynet.datasets._idx_datasets import RemoteFile


def _records(images, *label_columns):
    # one record = label byte(s) + 3072 pixel bytes (R plane, G, B)
    rows = [numpy.concatenate([numpy.array(labels, numpy.uint8),
                               image.reshape(-1)])
            for image, *labels in zip(images, *label_columns)]
    return numpy.stack(rows).astype(numpy.uint8).tobytes()


def _tar_gz(members):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode='w:gz') as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setattr(download, '_dataset_root', str(tmp_path / 'cache'))
    return tmp_path / 'cache'


@pytest.fixture
def served(monkeypatch):
    served = {}

    def fetch(url, fileobj):
        if url not in served:
            raise urllib.error.URLError('network unreachable')
        fileobj.write(served[url])

    monkeypatch.setattr(download, '_fetch', fetch)
    return served


def test_parse_cifar_binary():
    rs = numpy.random.RandomState(0)
    images = rs.randint(0, 256, (3, 3, 32, 32))
    labels = [4, 0, 9]
    x, t = cifar.parse_cifar_binary(_records(images, labels))
    assert x.shape == (3, 3072) and x.dtype == numpy.uint8
    numpy.testing.assert_array_equal(x.reshape(3, 3, 32, 32), images)
    assert t.tolist() == labels
    # CIFAR-100: coarse then fine label
    data = _records(images, [1, 2, 3], [50, 60, 99])
    x, t = cifar.parse_cifar_binary(data, label_bytes=2, label_offset=1)
    assert t.tolist() == [50, 60, 99]
    numpy.testing.assert_array_equal(x.reshape(3, 3, 32, 32), images)
    _, coarse = cifar.parse_cifar_binary(data, 2, 0)
    assert coarse.tolist() == [1, 2, 3]
    with pytest.raises(ValueError, match='whole number'):
        cifar.parse_cifar_binary(data[:-1], 2, 1)


def _install_cifar10(monkeypatch, served, per_batch=2, n_test=3):
    rs = numpy.random.RandomState(1)
    train_x = rs.randint(0, 256, (5 * per_batch, 3, 32, 32))
    train_y = rs.randint(0, 10, 5 * per_batch)
    test_x = rs.randint(0, 256, (n_test, 3, 32, 32))
    test_y = rs.randint(0, 10, n_test)
    members = {}
    for i in range(5):
        part = slice(i * per_batch, (i + 1) * per_batch)
        members['cifar-10-batches-bin/data_batch_{}.bin'.format(i + 1)] = \
            _records(train_x[part], train_y[part])
    members['cifar-10-batches-bin/test_batch.bin'] = _records(test_x, test_y)
    members['cifar-10-batches-bin/batches.meta.txt'] = b'airplane\n'
    archive = _tar_gz(members)
    spec = dict(cifar._CIFAR10)
    url = spec['remote'].urls[0]
    served[url] = archive
    spec['remote'] = RemoteFile((url,), hashlib.md5(archive).hexdigest())
    spec['counts'] = {'train': 5 * per_batch, 'test': n_test}
    monkeypatch.setattr(cifar, '_CIFAR10', spec)
    return train_x, train_y, test_x, test_y


def test_get_cifar10(root, served, monkeypatch):
    train_x, train_y, test_x, test_y = _install_cifar10(monkeypatch, served)
    train, test = datasets.get_cifar10()
    assert len(train) == 10 and len(test) == 3
    x, t = train[7]
    assert x.shape == (3, 32, 32) and x.dtype == numpy.float32
    numpy.testing.assert_allclose(x, train_x[7] / 255., rtol=1e-6)
    assert t == train_y[7] and t.dtype == numpy.int32
    assert test[2][1] == test_y[2]
    assert (root / 'pfnet' / 'chainer' / 'cifar' / 'cifar-10.npz').exists()
    # from the npz cache now, even without the archive
    served.clear()
    download_dir = root / '_dl_cache'
    for path in download_dir.iterdir():
        path.unlink()
    train, test = datasets.get_cifar10(withlabel=False, ndim=1, scale=2.,
                                       dtype=numpy.float64)
    assert train.shape == (10, 3072) and train.dtype == numpy.float64
    numpy.testing.assert_allclose(test, test_x.reshape(3, -1) * (2. / 255.))
    with pytest.raises(ValueError, match='ndim'):
        datasets.get_cifar10(ndim=2)


def test_get_cifar100_uses_fine_labels(root, served, monkeypatch):
    rs = numpy.random.RandomState(2)
    train_x = rs.randint(0, 256, (4, 3, 32, 32))
    test_x = rs.randint(0, 256, (2, 3, 32, 32))
    archive = _tar_gz({
        'cifar-100-binary/train.bin': _records(train_x, [0, 1, 2, 3],
                                               [10, 20, 30, 99]),
        'cifar-100-binary/test.bin': _records(test_x, [5, 6], [55, 66]),
    })
    spec = dict(cifar._CIFAR100)
    url = spec['remote'].urls[0]
    served[url] = archive
    spec['remote'] = RemoteFile((url,), hashlib.md5(archive).hexdigest())
    spec['counts'] = {'train': 4, 'test': 2}
    monkeypatch.setattr(cifar, '_CIFAR100', spec)
    train, test = datasets.get_cifar100()
    assert [t for _, t in train] == [10, 20, 30, 99]
    assert [t for _, t in test] == [55, 66]
    numpy.testing.assert_allclose(test[1][0], test_x[1] / 255., rtol=1e-6)


def test_truncated_archive_member(root, served, monkeypatch):
    _install_cifar10(monkeypatch, served)
    spec = dict(cifar._CIFAR10)
    spec['counts'] = {'train': 11, 'test': 3}
    monkeypatch.setattr(cifar, '_CIFAR10', spec)
    with pytest.raises(ValueError, match='expected 11'):
        datasets.get_cifar10()


def test_offline(root, served):
    with pytest.raises(download.DownloadError,
                       match='cifar-10-binary.tar.gz'):
        datasets.get_cifar10()
