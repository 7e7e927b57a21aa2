import hashlib
import os
import subprocess
import sys
import urllib.error

import numpy
import pytest

from dynet import dataset
from dynet.dataset import download


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setattr(download, '_dataset_root', str(tmp_path / 'root'))
    return tmp_path / 'root'


@pytest.fixture
def fake_net(monkeypatch):
    """Replaces the network: ``served[url] = bytes``; other URLs fail."""
    served = {}
    calls = []

    def fetch(url, fileobj):
        calls.append(url)
        if url not in served:
            raise urllib.error.URLError('no network in tests')
        fileobj.write(served[url])

    monkeypatch.setattr(download, '_fetch', fetch)
    return served, calls


def test_root_and_directories(root, tmp_path):
    assert download.get_dataset_root() == str(root)
    path = download.get_dataset_directory('pfnet/test')
    assert path == os.path.join(str(root), 'pfnet/test')
    assert os.path.isdir(path)
    other = download.get_dataset_directory('x', create_directory=False)
    assert not os.path.exists(other)
    download.set_dataset_root(tmp_path / 'elsewhere')
    assert download.get_dataset_root() == str(tmp_path / 'elsewhere')
    # the package re-exports the helpers
    assert dataset.get_dataset_root is download.get_dataset_root
    assert dataset.cached_download is download.cached_download


def test_root_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv('DYNET_DATASET_ROOT', str(tmp_path / 'env'))
    assert download._root_from_environment() == str(tmp_path / 'env')
    monkeypatch.delenv('DYNET_DATASET_ROOT')
    monkeypatch.setenv('HOME', str(tmp_path / 'home'))
    assert download._root_from_environment() == os.path.join(
        str(tmp_path / 'home'), '.dynet', 'dataset')


def test_root_read_at_import(tmp_path):
    code = ('from dynet.dataset import download; '
            'print(download.get_dataset_root())')
    env = dict(os.environ, DYNET_DATASET_ROOT=str(tmp_path / 'env'))
    out = subprocess.run([sys.executable, '-c', code], env=env,
                         capture_output=True, text=True, timeout=60,
                         cwd=os.path.dirname(os.path.dirname(
                             os.path.dirname(os.path.abspath(__file__)))))
    assert out.stdout.strip() == str(tmp_path / 'env'), out.stderr


def test_cached_download_once(root, fake_net):
    served, calls = fake_net
    url = 'https://example.invalid/data.bin'
    served[url] = b'payload'
    path = download.cached_download(url)
    assert path == os.path.join(str(root), '_dl_cache',
                                hashlib.md5(url.encode()).hexdigest())
    with open(path, 'rb') as f:
        assert f.read() == b'payload'
    assert download.cached_download(url) == path
    assert calls == [url]  # the second call used the cache
    assert [n for n in os.listdir(os.path.dirname(path))
            if n.endswith('.tmp')] == []


def test_offline_error_names_url_and_cache_path(root, fake_net):
    url = 'https://example.invalid/missing.bin'
    with pytest.raises(download.DownloadError) as info:
        download.cached_download(url)
    message = str(info.value)
    cache_path = os.path.join(str(root), '_dl_cache',
                              hashlib.md5(url.encode()).hexdigest())
    assert url in message and cache_path in message
    assert isinstance(info.value, OSError)
    assert not os.path.exists(cache_path)
    assert os.listdir(os.path.dirname(cache_path)) == []  # no partial file


def test_interrupted_download_leaves_nothing(root, monkeypatch):
    def fetch(url, fileobj):
        fileobj.write(b'half')
        raise ConnectionResetError('connection dropped')

    monkeypatch.setattr(download, '_fetch', fetch)
    with pytest.raises(download.DownloadError, match='connection dropped'):
        download.cached_download('https://example.invalid/a')
    assert os.listdir(os.path.join(str(root), '_dl_cache')) == []


def test_manually_placed_file_is_used(root, fake_net):
    served, calls = fake_net
    url = 'https://example.invalid/manual.bin'
    cache_path = download._cache_path(url)
    os.makedirs(os.path.dirname(cache_path))
    with open(cache_path, 'wb') as f:
        f.write(b'by hand')
    assert download.cached_download(url) == cache_path
    assert calls == []


def test_mirrors_and_checksums(root, fake_net):
    served, calls = fake_net
    good = b'the real file'
    md5 = hashlib.md5(good).hexdigest()
    urls = ['https://a.invalid/f', 'https://b.invalid/f']
    served[urls[1]] = good
    path = download._download_verified(urls, md5)
    assert calls == urls  # the first mirror failed, the second worked
    with open(path, 'rb') as f:
        assert f.read() == good
    # cached: no further download
    assert download._download_verified(urls, md5) == path
    assert len(calls) == 2
    # a corrupted download is rejected and deleted
    served[urls[0]] = b'garbage'
    with pytest.raises(download.DownloadError, match='MD5'):
        download._download_verified(['https://a.invalid/f'], md5)
    assert not os.path.exists(download._cache_path(urls[0]))
    # all mirrors failing: the error names all of them
    with pytest.raises(download.DownloadError) as info:
        download._download_verified(['https://c.invalid/x',
                                     'https://d.invalid/x'], None)
    assert 'https://c.invalid/x' in str(info.value)
    assert 'https://d.invalid/x' in str(info.value)
    assert download._cache_path('https://c.invalid/x') in str(info.value)


def test_cache_or_load_file(root):
    path = os.path.join(download.get_dataset_directory('t'), 'data.npz')
    created = []

    def creator(temp_path):
        assert os.path.basename(temp_path) == 'data.npz'
        assert temp_path != path
        numpy.savez_compressed(temp_path, x=numpy.arange(3))
        created.append(temp_path)
        return 'created'

    def loader(p):
        with numpy.load(p) as f:
            return f['x'].tolist()

    assert download.cache_or_load_file(path, creator, loader) == 'created'
    assert os.path.exists(path)
    assert download.cache_or_load_file(path, creator, loader) == [0, 1, 2]
    assert len(created) == 1
    # no temporary directories left behind
    assert os.listdir(os.path.dirname(path)) == ['data.npz']


def test_cache_or_load_file_failure_keeps_nothing(root):
    path = os.path.join(download.get_dataset_directory('t'), 'data.bin')

    def creator(temp_path):
        with open(temp_path, 'wb') as f:
            f.write(b'partial')
        raise RuntimeError('conversion failed')

    with pytest.raises(RuntimeError, match='conversion failed'):
        download.cache_or_load_file(path, creator, None)
    assert os.listdir(os.path.dirname(path)) == []

    with pytest.raises(RuntimeError, match='did not write'):
        download.cache_or_load_file(path, lambda p: None, None)
    assert os.listdir(os.path.dirname(path)) == []
