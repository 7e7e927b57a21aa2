"""Atomic file replacement for the savers.

``atomic_path(path)`` hands out the name of a new temporary file in the
directory of ``path``; when the block ends without an exception the
temporary file is flushed to disk (``fsync``) and renamed over ``path``
(``os.replace``, atomic on POSIX and Windows). When the block raises, the
temporary file is deleted and ``path`` is left exactly as it was, so a crash
or an error in the middle of a save never leaves a half-written snapshot.

``atomic_write(path)`` is the same for code that writes to a binary file
object.
"""
import contextlib
import os
import secrets

__all__ = ['atomic_path', 'atomic_write']


def _create_temp(path):
    directory, base = os.path.split(os.path.abspath(path))
    for _ in range(100):
        temp = os.path.join(
            directory, '.{}.{}.tmp'.format(base, secrets.token_hex(6)))
        try:
            # Mode 0o666 lets the umask decide the permissions, as for a
            # file created with open(path, 'wb').
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL |
                         getattr(os, 'O_BINARY', 0), 0o666)
        except FileExistsError:
            continue
        return fd, temp
    raise FileExistsError(
        'could not create a temporary file next to {!r}'.format(path))


def _fsync_path(path):
    fd = os.open(path, os.O_RDONLY | getattr(os, 'O_BINARY', 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_directory(directory):
    # Makes the rename itself durable; not possible on every platform.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_quietly(path):
    try:
        os.remove(path)
    except OSError:
        pass


@contextlib.contextmanager
def atomic_path(path):
    """Yields a temporary file name that replaces ``path`` on success.

    The temporary file exists (empty) when the block starts; the block may
    reopen or truncate it by name (e.g. ``h5py.File(temp, 'w')``), but must
    have closed it when the block ends.
    """
    path = os.fsdecode(path)
    fd, temp = _create_temp(path)
    os.close(fd)
    try:
        yield temp
        _fsync_path(temp)
        os.replace(temp, path)
    except BaseException:
        _remove_quietly(temp)
        raise
    _fsync_directory(os.path.dirname(os.path.abspath(path)))


@contextlib.contextmanager
def atomic_write(path):
    """Yields a binary file object whose contents replace ``path`` on
    success (and are discarded on an exception)."""
    path = os.fsdecode(path)
    fd, temp = _create_temp(path)
    try:
        with os.fdopen(fd, 'wb') as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        _remove_quietly(temp)
        raise
    _fsync_directory(os.path.dirname(os.path.abspath(path)))
