"""The atomic file replacement used by save_npz and save_hdf5."""
import io
import os
import stat

import numpy
import pytest

import dynet
from dynet import serializers
from dynet.serializers import _atomic
from dynet.serializers import npz as npz_module


def test_atomic_write_replaces(tmp_path):
    path = tmp_path / 'f.bin'
    path.write_bytes(b'old')
    with _atomic.atomic_write(str(path)) as f:
        f.write(b'new')
        # Nothing visible until the block ends.
        assert path.read_bytes() == b'old'
    assert path.read_bytes() == b'new'
    assert os.listdir(tmp_path) == ['f.bin']


def test_atomic_write_creates(tmp_path):
    path = tmp_path / 'new.bin'
    with _atomic.atomic_write(path) as f:
        f.write(b'data')
    assert path.read_bytes() == b'data'


@pytest.mark.parametrize('error', [RuntimeError, KeyboardInterrupt])
def test_atomic_write_failure_keeps_old_file(tmp_path, error):
    path = tmp_path / 'f.bin'
    path.write_bytes(b'old')
    with pytest.raises(error):
        with _atomic.atomic_write(str(path)) as f:
            f.write(b'partial')
            raise error()
    assert path.read_bytes() == b'old'
    assert os.listdir(tmp_path) == ['f.bin']


def test_atomic_write_failure_without_old_file(tmp_path):
    with pytest.raises(RuntimeError):
        with _atomic.atomic_write(tmp_path / 'f.bin') as f:
            f.write(b'partial')
            raise RuntimeError()
    assert os.listdir(tmp_path) == []


def test_temp_file_is_in_the_same_directory(tmp_path):
    with _atomic.atomic_path(tmp_path / 'f.bin') as temp:
        assert os.path.dirname(temp) == str(tmp_path)
        assert os.path.exists(temp)
        with open(temp, 'wb') as f:
            f.write(b'x')
    assert (tmp_path / 'f.bin').read_bytes() == b'x'
    assert os.listdir(tmp_path) == ['f.bin']


def test_atomic_path_failure(tmp_path):
    path = tmp_path / 'f.bin'
    path.write_bytes(b'old')
    with pytest.raises(ValueError):
        with _atomic.atomic_path(path) as temp:
            with open(temp, 'wb') as f:
                f.write(b'new')
            raise ValueError()
    assert path.read_bytes() == b'old'
    assert os.listdir(tmp_path) == ['f.bin']


@pytest.mark.skipif(os.name != 'posix', reason='POSIX permissions')
def test_permissions_follow_umask(tmp_path):
    previous = os.umask(0o027)
    try:
        with _atomic.atomic_write(tmp_path / 'f.bin') as f:
            f.write(b'x')
    finally:
        os.umask(previous)
    mode = stat.S_IMODE(os.stat(tmp_path / 'f.bin').st_mode)
    assert mode == 0o640


def test_missing_directory(tmp_path):
    with pytest.raises(FileNotFoundError):
        with _atomic.atomic_write(tmp_path / 'no' / 'f.bin') as f:
            f.write(b'x')


def test_fsync_is_called(tmp_path, monkeypatch):
    synced = []
    real = os.fsync
    monkeypatch.setattr(os, 'fsync', lambda fd: synced.append(fd) or
                        real(fd))
    with _atomic.atomic_write(tmp_path / 'f.bin') as f:
        f.write(b'x')
    assert synced


# save_npz through the helper

def _net(value):
    link = dynet.Link()
    with link.init_scope():
        link.W = dynet.Parameter(numpy.full((2, 2), value, numpy.float32))
    return link


def test_save_npz_failure_while_writing_keeps_old_file(tmp_path,
                                                       monkeypatch):
    path = tmp_path / 'model.npz'
    serializers.save_npz(str(path), _net(1.0))
    old = path.read_bytes()
    real_write = npz_module._write_npz

    def failing_write(fileobj, entries, compression):
        fileobj.write(b'PK\x03\x04 half an archive')
        raise OSError('disk full')

    monkeypatch.setattr(npz_module, '_write_npz', failing_write)
    with pytest.raises(OSError, match='disk full'):
        serializers.save_npz(str(path), _net(2.0))
    monkeypatch.setattr(npz_module, '_write_npz', real_write)
    assert path.read_bytes() == old
    assert os.listdir(tmp_path) == ['model.npz']
    dst = _net(0.0)
    serializers.load_npz(str(path), dst)
    numpy.testing.assert_array_equal(dst.W.array, numpy.ones((2, 2)))


def test_save_npz_serialize_failure_keeps_old_file(tmp_path):
    class Exploding(dynet.Link):
        def serialize(self, serializer):
            serializer('a', numpy.ones(3))
            raise RuntimeError('boom')

    path = tmp_path / 'model.npz'
    serializers.save_npz(str(path), _net(1.0))
    old = path.read_bytes()
    with pytest.raises(RuntimeError, match='boom'):
        serializers.save_npz(str(path), Exploding())
    assert path.read_bytes() == old
    assert os.listdir(tmp_path) == ['model.npz']


def test_save_npz_file_object_is_written_directly():
    class Recorder(io.BytesIO):
        pass

    buffer = Recorder()
    serializers.save_npz(buffer, _net(3.0))
    assert buffer.getvalue().startswith(b'PK')
