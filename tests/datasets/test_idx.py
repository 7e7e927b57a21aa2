import gzip
import struct

import numpy
import pytest

from dynet.datasets import idx, mnist_sample


def _idx_bytes(array, type_code):
    header = bytes([0, 0, type_code, array.ndim]) + struct.pack(
        '>' + 'I' * array.ndim, *array.shape)
    return header + array.tobytes()


def test_round_trip_types(tmp_path):
    cases = [(numpy.arange(6, dtype='u1').reshape(2, 3), 0x08),
             (numpy.arange(-3, 3, dtype='>i4'), 0x0C),
             (numpy.linspace(0, 1, 4).astype('>f4').reshape(2, 2), 0x0D)]
    for array, code in cases:
        path = tmp_path / 'a.idx.gz'
        with gzip.open(path, 'wb') as f:
            f.write(_idx_bytes(array, code))
        loaded = idx.read_idx(path)
        numpy.testing.assert_array_equal(loaded, array)
        assert loaded.dtype.isnative


def test_malformed_files():
    with pytest.raises(ValueError, match='bad magic'):
        idx.parse_idx(b'\x01\x00\x08\x01')
    with pytest.raises(ValueError, match='unknown IDX type'):
        idx.parse_idx(b'\x00\x00\x07\x01\x00\x00\x00\x01\x00')
    with pytest.raises(ValueError, match='holds 2 bytes'):
        idx.parse_idx(_idx_bytes(numpy.zeros(3, 'u1'), 0x08)[:-1])
    with pytest.raises(ValueError, match='truncated'):
        idx.parse_idx(b'\x00\x00\x08\x02\x00')


def test_bundled_mnist_sample():
    x, t = mnist_sample.load_arrays('train')
    assert x.shape == (4000, 28, 28) and x.dtype == numpy.uint8
    assert numpy.bincount(t).tolist() == [400] * 10
    x, t = mnist_sample.load_arrays('test')
    assert x.shape == (1000, 28, 28)
    assert numpy.bincount(t).tolist() == [100] * 10
    assert 0 < x.mean() < 255
    with pytest.raises(ValueError, match="'train' or 'test'"):
        mnist_sample.load_arrays('validation')
