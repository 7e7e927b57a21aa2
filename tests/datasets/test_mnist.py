"""get_mnist (bundled sample and the download/convert/cache path),
get_fashion_mnist and get_kuzushiji_mnist. The network is replaced by a
fake that serves files made here."""
import gzip
import hashlib
import os
import struct
import urllib.error

import numpy
import pytest

import dynet
from dynet import datasets
from dynet.dataset import download
from dynet.datasets import (_idx_datasets, fashion_mnist, kuzushiji_mnist,
                            mnist, mnist_sample)


def _idx(array):
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(
        '>' + 'I' * array.ndim, *array.shape)
    return gzip.compress(header + array.astype(numpy.uint8).tobytes())


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setattr(download, '_dataset_root', str(tmp_path / 'cache'))
    return tmp_path / 'cache'


@pytest.fixture
def fake_net(monkeypatch):
    served = {}
    calls = []

    def fetch(url, fileobj):
        calls.append(url)
        if url not in served:
            raise urllib.error.URLError('network unreachable')
        fileobj.write(served[url])

    monkeypatch.setattr(download, '_fetch', fetch)
    return served, calls


def _tiny_idx_files(seed, n_train=6, n_test=4):
    rs = numpy.random.RandomState(seed)
    return {
        'train-images-idx3-ubyte.gz': rs.randint(0, 256, (n_train, 28, 28)),
        'train-labels-idx1-ubyte.gz': rs.randint(0, 10, n_train),
        't10k-images-idx3-ubyte.gz': rs.randint(0, 256, (n_test, 28, 28)),
        't10k-labels-idx1-ubyte.gz': rs.randint(0, 10, n_test),
    }


def _install(module, monkeypatch, served, arrays, mirror=0, n_train=6,
             n_test=4):
    """Serves ``arrays`` at the module's real URLs (from mirror number
    ``mirror``) and makes the module expect their sizes and checksums."""
    source = module._SOURCE
    files = {}
    for split, kind in (('train', 'images'), ('train', 'labels'),
                        ('test', 'images'), ('test', 'labels')):
        remote = getattr(source, kind)[split]
        name = remote.urls[0].rsplit('/', 1)[1]
        data = _idx(arrays[name])
        served[remote.urls[mirror]] = data
        files[(split, kind)] = _idx_datasets.RemoteFile(
            remote.urls, hashlib.md5(data).hexdigest())
    patched = source._replace(
        images={s: files[(s, 'images')] for s in ('train', 'test')},
        labels={s: files[(s, 'labels')] for s in ('train', 'test')},
        counts={'train': n_train, 'test': n_test})
    monkeypatch.setattr(module, '_SOURCE', patched)
    return patched


# -- the bundled sample -----------------------------------------------------

def test_sample_default():
    train, test = datasets.get_mnist(sample=True)
    assert isinstance(train, datasets.TupleDataset)
    assert len(train) == 4000 and len(test) == 1000
    x, t = train[0]
    assert x.shape == (784,) and x.dtype == numpy.float32
    assert t.dtype == numpy.int32
    raw_x, raw_t = mnist_sample.load_arrays('train')
    numpy.testing.assert_allclose(x, raw_x[0].reshape(-1) / 255.,
                                  rtol=1e-6)
    assert t == raw_t[0]
    assert 0.0 <= x.min() and x.max() <= 1.0
    _, test_labels = zip(*test[:10])
    assert list(test_labels) == [5, 6, 7, 6, 4, 3, 0, 3, 4, 5]


@pytest.mark.parametrize('ndim,shape', [(1, (784,)), (2, (28, 28)),
                                        (3, (1, 28, 28))])
def test_sample_ndim(ndim, shape):
    train, test = datasets.get_mnist(ndim=ndim, sample=True)
    assert train[0][0].shape == shape and test[-1][0].shape == shape


def test_sample_scale_dtype_rgb_withlabel():
    raw_x, raw_t = mnist_sample.load_arrays('test')
    train, test = datasets.get_mnist(withlabel=False, ndim=3, scale=3.,
                                     dtype=numpy.float64, rgb_format=True,
                                     sample=True)
    assert isinstance(test, numpy.ndarray)
    assert test.shape == (1000, 3, 28, 28) and test.dtype == numpy.float64
    assert train.shape == (4000, 3, 28, 28)
    expected = raw_x.astype(numpy.float64) * (3. / 255.)
    for c in range(3):
        numpy.testing.assert_array_equal(test[:, c], expected)
    assert test.flags.writeable  # a real array, not a broadcast view
    # rgb_format only applies to ndim == 3 (as in Chainer)
    _, flat = datasets.get_mnist(withlabel=False, rgb_format=True,
                                 sample=True)
    assert flat.shape == (1000, 784)
    _, test = datasets.get_mnist(label_dtype=numpy.int64, sample=True)
    assert test[0][1].dtype == numpy.int64


def test_sample_follows_config_dtype():
    with dynet.using_config('dtype', numpy.float16):
        train, _ = datasets.get_mnist(sample=True)
    assert train[0][0].dtype == numpy.float16


def test_invalid_ndim():
    with pytest.raises(ValueError, match='ndim'):
        datasets.get_mnist(ndim=4, sample=True)


# -- download, convert, cache -----------------------------------------------

def test_download_convert_and_cache(root, fake_net, monkeypatch):
    served, calls = fake_net
    arrays = _tiny_idx_files(0)
    # only the second mirror answers
    _install(mnist, monkeypatch, served, arrays, mirror=1)
    train, test = datasets.get_mnist(ndim=2, scale=2.)
    assert len(train) == 6 and len(test) == 4
    x, t = train[5]
    assert x.shape == (28, 28) and x.dtype == numpy.float32
    numpy.testing.assert_allclose(
        x, arrays['train-images-idx3-ubyte.gz'][5] * (2. / 255.), rtol=1e-6)
    assert t == arrays['train-labels-idx1-ubyte.gz'][5]
    assert t.dtype == numpy.int32
    assert len(calls) == 8  # 4 files x (failed first mirror + second)
    npz = root / 'pfnet' / 'chainer' / 'mnist' / 'train.npz'
    with numpy.load(npz) as f:
        assert f['x'].shape == (6, 784) and f['x'].dtype == numpy.uint8
        assert f['y'].dtype == numpy.uint8
    # later calls read the npz cache only: no network, no raw files
    for name in os.listdir(root / '_dl_cache'):
        os.remove(root / '_dl_cache' / name)
    train2, test2 = datasets.get_mnist(withlabel=False)
    assert len(calls) == 8
    assert train2.shape == (6, 784)
    numpy.testing.assert_allclose(
        train2.reshape(6, 28, 28) * 2, [x for x, _ in train], rtol=1e-6)


def test_offline_error(root, fake_net):
    with pytest.raises(download.DownloadError) as info:
        datasets.get_mnist()
    message = str(info.value)
    url = mnist._SOURCE.images['train'].urls[0]
    assert url in message
    assert download._cache_path(url) in message
    assert not (root / 'pfnet' / 'chainer' / 'mnist' / 'train.npz').exists()


def test_manual_copy_in_cache_is_used(root, fake_net, monkeypatch):
    served, calls = fake_net
    source = _install(mnist, monkeypatch, served, _tiny_idx_files(1))
    # put the files by hand where the error message says, no network
    for remote in list(source.images.values()) + list(source.labels.values()):
        path = download._cache_path(remote.urls[0])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'wb') as f:
            f.write(served.pop(remote.urls[0]))
    train, test = datasets.get_mnist()
    assert len(train) == 6 and calls == []


def test_checksum_mismatch(root, fake_net, monkeypatch):
    served, _ = fake_net
    source = _install(mnist, monkeypatch, served, _tiny_idx_files(2))
    url = source.images['train'].urls[0]
    served[url] = served[url][:-1] + b'x'
    with pytest.raises(download.DownloadError, match='MD5'):
        datasets.get_mnist()
    assert not os.path.exists(download._cache_path(url))
    assert not (root / 'pfnet' / 'chainer' / 'mnist' / 'train.npz').exists()


def test_header_count_checked(root, fake_net, monkeypatch):
    served, _ = fake_net
    source = _install(mnist, monkeypatch, served, _tiny_idx_files(3))
    monkeypatch.setattr(mnist, '_SOURCE', source._replace(
        counts={'train': 60000, 'test': 10000}))
    with pytest.raises(ValueError, match=r'shape \(60000, 28, 28\)'):
        datasets.get_mnist()


def test_real_sources_are_official():
    for module in (mnist, fashion_mnist, kuzushiji_mnist):
        source = module._SOURCE
        assert source.counts == {'train': 60000, 'test': 10000}
        for remote in (list(source.images.values()) +
                       list(source.labels.values())):
            assert len(remote.md5) == 32 and remote.urls
    assert mnist._SOURCE.images['train'].md5 == \
        'f68b3c2dcbeaaa9fbdd348bbdeb94873'


@pytest.mark.parametrize('module,getter', [
    (fashion_mnist, datasets.get_fashion_mnist),
    (kuzushiji_mnist, datasets.get_kuzushiji_mnist)])
def test_fashion_and_kuzushiji(root, fake_net, monkeypatch, module, getter):
    served, _ = fake_net
    arrays = _tiny_idx_files(4)
    _install(module, monkeypatch, served, arrays)
    train, test = getter(ndim=3, rgb_format=True)
    x, t = test[3]
    assert x.shape == (3, 28, 28)
    numpy.testing.assert_allclose(
        x[2], arrays['t10k-images-idx3-ubyte.gz'][3] / 255., rtol=1e-6)
    assert t == arrays['t10k-labels-idx1-ubyte.gz'][3]
    cache = root / module._SOURCE.cache_dir
    assert sorted(os.listdir(cache)) == ['test.npz', 'train.npz']


def test_label_names():
    labels = datasets.get_fashion_mnist_labels()
    assert len(labels) == 10 and labels[0] == 'T-shirt/top'
    assert labels[9] == 'Ankle boot'
    kuzushiji = datasets.get_kuzushiji_mnist_labels()
    assert len(kuzushiji) == 10
    assert kuzushiji[0] == ('o', '\u304a')
    assert kuzushiji[9][0] == 'wo'
