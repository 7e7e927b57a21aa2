import hashlib
import urllib.error

import numpy
import pytest

from dynet import datasets
from dynet.dataset import download
from dynet.datasets import svhn
from dynet.datasets._idx_datasets import RemoteFile

scipy_io = pytest.importorskip('scipy.io')


def _mat(tmp_path, name, images, labels):
    # the official layout: X (32, 32, 3, N) uint8, y (N, 1) with 10 for 0
    path = tmp_path / name
    scipy_io.savemat(str(path), {
        'X': images.transpose(2, 3, 1, 0).astype(numpy.uint8),
        'y': numpy.asarray(labels, numpy.uint8).reshape(-1, 1)})
    return path.read_bytes()


def test_parse_and_get_svhn(tmp_path, monkeypatch):
    monkeypatch.setattr(download, '_dataset_root', str(tmp_path / 'cache'))
    rs = numpy.random.RandomState(0)
    arrays = {}
    served = {}
    files = {}
    for split, labels in (('train', [10, 1, 5]), ('test', [3, 10]),
                          ('extra', [7])):
        images = rs.randint(0, 256, (len(labels), 3, 32, 32))
        data = _mat(tmp_path, split + '.mat', images, labels)
        url = svhn._FILES[split].urls[0]
        served[url] = data
        files[split] = RemoteFile((url,), hashlib.md5(data).hexdigest())
        arrays[split] = images, labels

    def fetch(url, fileobj):
        if url not in served:
            raise urllib.error.URLError('offline')
        fileobj.write(served[url])

    monkeypatch.setattr(download, '_fetch', fetch)
    monkeypatch.setattr(svhn, '_FILES', files)

    x, y = svhn.parse_svhn_mat(str(tmp_path / 'train.mat'))
    assert x.shape == (3, 3, 32, 32) and x.dtype == numpy.uint8
    numpy.testing.assert_array_equal(x, arrays['train'][0])
    assert y.tolist() == [0, 1, 5]

    train, test = datasets.get_svhn()
    image, label = train[0]
    assert image.shape == (3, 32, 32) and image.dtype == numpy.float32
    numpy.testing.assert_allclose(image, arrays['train'][0][0] / 255.,
                                  rtol=1e-6)
    assert label == 0 and label.dtype == numpy.int32
    assert [t for _, t in test] == [3, 0]
    train, test, extra = datasets.get_svhn(withlabel=False, scale=2.,
                                           add_extra=True)
    assert extra.shape == (1, 3, 32, 32)
    numpy.testing.assert_allclose(extra[0], arrays['extra'][0][0] * 2 / 255.,
                                  rtol=1e-6)
