"""Reader of the IDX format (MNIST's file format), plain or gzipped.

An IDX file starts with two zero bytes, a type code and the number of
dimensions, then one big-endian uint32 per dimension, then the data in
row-major order (big-endian for multi-byte types).
"""
import gzip
import struct

import numpy

_TYPES = {
    0x08: numpy.dtype('u1'),
    0x09: numpy.dtype('i1'),
    0x0B: numpy.dtype('>i2'),
    0x0C: numpy.dtype('>i4'),
    0x0D: numpy.dtype('>f4'),
    0x0E: numpy.dtype('>f8'),
}


def read_idx(path):
    """Reads an IDX file (``.gz`` is decompressed) into a NumPy array."""
    opener = gzip.open if str(path).endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    return parse_idx(data, str(path))


def parse_idx(data, name='<bytes>'):
    """Parses the bytes of an IDX file; raises ValueError when malformed."""
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError('{}: not an IDX file (bad magic number)'.format(name))
    type_code, ndim = data[2], data[3]
    if type_code not in _TYPES:
        raise ValueError('{}: unknown IDX type code 0x{:02x}'.format(
            name, type_code))
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError('{}: truncated IDX header'.format(name))
    shape = struct.unpack('>' + 'I' * ndim, data[4:header])
    dtype = _TYPES[type_code]
    expected = int(numpy.prod(shape, dtype=numpy.int64)) * dtype.itemsize
    if len(data) - header != expected:
        raise ValueError(
            '{}: IDX header says shape {} ({} bytes of data) but the file '
            'holds {} bytes'.format(name, shape, expected,
                                    len(data) - header))
    array = numpy.frombuffer(data, dtype, offset=header).reshape(shape)
    return array.astype(dtype.newbyteorder('='))
