"""The protocol-buffers wire format: a small decoder and encoder.

A serialized message is a sequence of fields. Each field starts with a
varint key ``field_number << 3 | wire_type`` followed by its payload:

=========  ===========  ==================================================
wire type  name         payload
=========  ===========  ==================================================
0          VARINT       a base-128 varint (int32/64, uint32/64, bool, enum)
1          I64          8 little-endian bytes (double, fixed64)
2          LEN          a varint length, then that many bytes (string,
                        bytes, nested message, packed repeated numbers)
3, 4       SGROUP/EGROUP  deprecated groups (only skipped here)
5          I32          4 little-endian bytes (float, fixed32)
=========  ===========  ==================================================

The decoder never copies payloads: it reports byte ranges into the buffer
it was given, so that a 500 MB weight blob becomes a ``numpy.frombuffer``
view. Every malformed input raises :class:`DecodeError`, never an
IndexError from the middle of a loop.
"""
import struct

import numpy

VARINT = 0
I64 = 1
LEN = 2
SGROUP = 3
EGROUP = 4
I32 = 5

_WIRE_NAMES = {VARINT: 'varint', I64: '64-bit', LEN: 'length-delimited',
               SGROUP: 'start-group', EGROUP: 'end-group', I32: '32-bit'}
_MAX_FIELD_NUMBER = (1 << 29) - 1


class DecodeError(ValueError):
    """The bytes are not a valid protocol-buffers message (of the expected
    type)."""


def wire_type_name(wire_type):
    return _WIRE_NAMES.get(wire_type, 'invalid ({})'.format(wire_type))


# ------------------------------------------------------------------ decoding
def read_varint(buf, pos, end):
    """Decodes the varint starting at ``buf[pos]``; returns ``(value,
    next_pos)``. ``value`` is the unsigned 64-bit number."""
    result = 0
    shift = 0
    start = pos
    while True:
        if pos >= end:
            raise DecodeError('truncated varint at byte {}'.format(start))
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            break
        shift += 7
        if shift >= 70:
            raise DecodeError('varint longer than 10 bytes at byte {}'
                              .format(start))
    # An 11th bit pattern beyond 64 bits is malformed; keep 64 bits as
    # protobuf implementations do.
    return result & 0xFFFFFFFFFFFFFFFF, pos


def iter_fields(buf, start=0, end=None):
    """Yields ``(field_number, wire_type, value)`` for each field of the
    message in ``buf[start:end]``.

    ``value`` is the integer for VARINT fields and the ``(begin, stop)``
    byte range of the payload for I64, I32, LEN and group fields.
    """
    if end is None:
        end = len(buf)
    pos = start
    while pos < end:
        key_pos = pos
        key, pos = read_varint(buf, pos, end)
        number = key >> 3
        wire_type = key & 7
        if number == 0 or number > _MAX_FIELD_NUMBER:
            raise DecodeError('invalid field number {} at byte {}'.format(
                number, key_pos))
        if wire_type == VARINT:
            value, pos = read_varint(buf, pos, end)
        elif wire_type == I64:
            value = (pos, pos + 8)
            pos += 8
        elif wire_type == I32:
            value = (pos, pos + 4)
            pos += 4
        elif wire_type == LEN:
            length, pos = read_varint(buf, pos, end)
            value = (pos, pos + length)
            pos += length
        elif wire_type == SGROUP:
            group_end, pos = _skip_group(buf, pos, end, number)
            value = (key_pos, group_end)
        else:
            raise DecodeError('invalid wire type {} for field {} at byte {}'
                              .format(wire_type, number, key_pos))
        if pos > end:
            raise DecodeError(
                'truncated {} field {} at byte {}: it needs {} more bytes'
                .format(wire_type_name(wire_type), number, key_pos,
                        pos - end))
        yield number, wire_type, value


def _skip_group(buf, pos, end, number):
    """Skips a group body up to its matching end-group key; returns
    ``(body_end, next_pos)``."""
    while True:
        if pos >= end:
            raise DecodeError('unterminated group (field {})'.format(number))
        key_pos = pos
        key, pos = read_varint(buf, pos, end)
        inner, wire_type = key >> 3, key & 7
        if wire_type == EGROUP:
            if inner != number:
                raise DecodeError('mismatched end-group at byte {}'.format(
                    key_pos))
            return key_pos, pos
        if wire_type == VARINT:
            _, pos = read_varint(buf, pos, end)
        elif wire_type == I64:
            pos += 8
        elif wire_type == I32:
            pos += 4
        elif wire_type == LEN:
            length, pos = read_varint(buf, pos, end)
            pos += length
        elif wire_type == SGROUP:
            _, pos = _skip_group(buf, pos, end, inner)
        else:
            raise DecodeError('invalid wire type {} at byte {}'.format(
                wire_type, key_pos))


def read_packed_varints(buf, begin, stop):
    """The unsigned values of a packed repeated varint field."""
    values = []
    pos = begin
    while pos < stop:
        value, pos = read_varint(buf, pos, stop)
        values.append(value)
    return values


def float_array(buf, begin, stop, dtype):
    """A read-only array viewing ``buf[begin:stop]`` as little-endian
    ``dtype`` ('<f4' or '<f8') values; no copy."""
    itemsize = numpy.dtype(dtype).itemsize
    length = stop - begin
    if length % itemsize:
        raise DecodeError('packed {}-byte values of length {} at byte {}: '
                          'not a multiple of {}'.format(
                              itemsize, length, begin, itemsize))
    return numpy.frombuffer(buf, dtype=dtype, count=length // itemsize,
                            offset=begin)


def as_int32(value):
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def as_int64(value):
    return value - (1 << 64) if value >= 1 << 63 else value


def as_uint32(value):
    return value & 0xFFFFFFFF


def unpack_float(buf, begin):
    return struct.unpack_from('<f', buf, begin)[0]


def unpack_double(buf, begin):
    return struct.unpack_from('<d', buf, begin)[0]


# ------------------------------------------------------------------ encoding
def encode_varint(value):
    """The varint bytes of an integer; a negative one is written as its
    64-bit two's complement (10 bytes), as protobuf does for int32/int64."""
    value = int(value)
    if value < 0:
        value += 1 << 64
    if not 0 <= value < 1 << 64:
        raise ValueError('encode_varint: {} does not fit in 64 bits'.format(
            value))
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def encode_key(number, wire_type):
    if not 1 <= number <= _MAX_FIELD_NUMBER:
        raise ValueError('invalid field number {}'.format(number))
    return encode_varint(number << 3 | wire_type)


def encode_varint_field(number, value):
    return encode_key(number, VARINT) + encode_varint(value)


def encode_len_field(number, payload):
    payload = bytes(payload)
    return encode_key(number, LEN) + encode_varint(len(payload)) + payload


def encode_float_field(number, value):
    return encode_key(number, I32) + struct.pack('<f', value)


def encode_double_field(number, value):
    return encode_key(number, I64) + struct.pack('<d', value)
