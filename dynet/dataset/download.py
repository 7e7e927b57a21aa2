"""The dataset cache: where downloaded files and converted datasets live.

The root directory is ``$DYNET_DATASET_ROOT`` when that variable is set
(read once, at import), else ``~/.dynet/dataset``; ``set_dataset_root``
changes it for the running program.

Layout under the root:

- ``_dl_cache/<md5 of the URL>``: the raw files ``cached_download`` fetched.
  To use a dataset on a machine without network access, download the file
  elsewhere and copy it to that path (the error raised on a failed download
  names it).
- ``<dataset name>/...``: the converted files each dataset loader keeps
  (``get_dataset_directory``), e.g. ``pfnet/chainer/mnist/train.npz``.

Every file is written under a temporary name in its final directory and
renamed into place when complete, so an interrupted download or conversion
never leaves a truncated file behind, and concurrent processes at worst do
the same work twice. No lock files are used.
"""
import hashlib
import http.client
import os
import shutil
import sys
import tempfile
import urllib.request

from dynet.serializers._atomic import atomic_write

__all__ = ['DownloadError', 'cache_or_load_file', 'cached_download',
           'get_dataset_directory', 'get_dataset_root', 'set_dataset_root']


def _root_from_environment():
    root = os.environ.get('DYNET_DATASET_ROOT')
    if root:
        return root
    return os.path.join(os.path.expanduser('~'), '.dynet', 'dataset')


_dataset_root = _root_from_environment()

# Seconds without data after which a download is abandoned.
_TIMEOUT = 60.0


class DownloadError(OSError):
    """A file could not be downloaded (no network, HTTP error, bad
    checksum). The message names the URL(s) and the cache path where a
    manually downloaded copy is picked up."""


def get_dataset_root():
    """Returns the root directory of the dataset cache."""
    return _dataset_root


def set_dataset_root(path):
    """Sets the root directory of the dataset cache (for this process; the
    environment variable ``DYNET_DATASET_ROOT`` sets it for new ones)."""
    global _dataset_root
    _dataset_root = os.fspath(path)


def get_dataset_directory(dataset_name, create_directory=True):
    """Returns ``<root>/<dataset_name>``, created unless
    ``create_directory`` is False."""
    path = os.path.join(_dataset_root, dataset_name)
    if create_directory:
        try:
            os.makedirs(path, exist_ok=True)
        except OSError as error:
            raise RuntimeError(
                'cannot create the dataset directory {!r}: {}'.format(
                    path, error)) from error
    return path


def _cache_path(url):
    digest = hashlib.md5(url.encode('utf-8')).hexdigest()
    return os.path.join(_dataset_root, '_dl_cache', digest)


def _fetch(url, fileobj):
    """Writes the contents at ``url`` to the binary file ``fileobj``.

    The only function here that touches the network (tests replace it).
    """
    request = urllib.request.Request(
        url, headers={'User-Agent': 'dynet-dataset-downloader'})
    with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:
        shutil.copyfileobj(response, fileobj, 1 << 20)


def cached_download(url):
    """Downloads ``url`` into the cache (once) and returns the local path.

    The file is stored as ``<root>/_dl_cache/<md5 of url>``; later calls
    return that path without touching the network.

    Raises:
        DownloadError: the download failed; the message names the URL and
            the cache path where a copy downloaded by hand is picked up.
    """
    cache_path = _cache_path(url)
    if os.path.exists(cache_path):
        return cache_path
    os.makedirs(os.path.dirname(cache_path), exist_ok=True)
    print('Downloading from {}...'.format(url), file=sys.stderr)
    try:
        with atomic_write(cache_path) as f:
            _fetch(url, f)
    except (OSError, ValueError, http.client.HTTPException) as error:
        raise DownloadError(
            'could not download {} ({}: {}). Without network access, '
            'download the file by other means and save it as {}'.format(
                url, type(error).__name__, error, cache_path)) from error
    return cache_path


def _md5_of(path):
    digest = hashlib.md5()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def _download_verified(urls, md5=None):
    """Returns the cached path of the first of ``urls`` (mirrors of one
    file) that is cached or downloads, checking its MD5 when given.

    A cached file with a wrong checksum is deleted and an error raised (a
    truncated or tampered file is never used).
    """
    urls = list(urls)
    errors = []
    for url in urls:
        if not os.path.exists(_cache_path(url)):
            continue
        return _check_md5(url, md5)
    for url in urls:
        try:
            cached_download(url)
        except DownloadError as error:
            errors.append('{}: {}'.format(url, error.__cause__ or error))
            continue
        return _check_md5(url, md5)
    raise DownloadError(
        'could not download any of {} ({}). Without network access, '
        'download the file by other means and save it as {}'.format(
            ', '.join(urls), '; '.join(errors), _cache_path(urls[0])))


def _check_md5(url, md5):
    path = _cache_path(url)
    if md5 is not None:
        actual = _md5_of(path)
        if actual != md5:
            try:
                os.remove(path)
            except OSError:
                pass
            raise DownloadError(
                'the file downloaded from {} has MD5 {}, expected {}; the '
                'cached copy was deleted, try again'.format(url, actual, md5))
    return path


def cache_or_load_file(path, creator, loader):
    """Loads ``path`` with ``loader(path)``, creating it first if needed.

    When ``path`` does not exist, ``creator(temp_path)`` is called; it must
    write the file at ``temp_path`` (a fresh path with the same base name as
    ``path``, in a temporary directory beside it) and return the content.
    The file is then renamed to ``path`` and ``creator``'s return value is
    returned (``loader`` is not called then).
    """
    path = os.fspath(path)
    if os.path.exists(path):
        return loader(path)
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    temp_dir = tempfile.mkdtemp(prefix='.tmp-', dir=directory)
    try:
        temp_path = os.path.join(temp_dir, os.path.basename(path))
        content = creator(temp_path)
        if not os.path.exists(temp_path):
            raise RuntimeError(
                'cache_or_load_file: the creator did not write {!r}'.format(
                    temp_path))
        with open(temp_path, 'rb') as f:
            os.fsync(f.fileno())
        os.replace(temp_path, path)
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)
    return content
