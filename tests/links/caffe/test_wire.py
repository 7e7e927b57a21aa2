"""The protobuf wire-format decoder/encoder and the caffe.proto schema."""
import os
import struct

import numpy
import pytest

from dynet.links.caffe import _schema
from dynet.links.caffe import _wire
from dynet.links.caffe._wire import DecodeError

DATA_DIR = os.path.join(os.path.dirname(__file__), 'data')


def key(number, wire_type):
    return _wire.encode_varint(number << 3 | wire_type)


def len_field(number, payload):
    return key(number, 2) + _wire.encode_varint(len(payload)) + payload


# ------------------------------------------------------------------ varints
@pytest.mark.parametrize('value,encoded', [
    (0, b'\x00'), (1, b'\x01'), (127, b'\x7f'), (128, b'\x80\x01'),
    (300, b'\xac\x02'), (2 ** 32, b'\x80\x80\x80\x80\x10'),
    (2 ** 64 - 1, b'\xff' * 9 + b'\x01'),
])
def test_varint_encode_decode(value, encoded):
    assert _wire.encode_varint(value) == encoded
    assert _wire.read_varint(encoded, 0, len(encoded)) == (value,
                                                           len(encoded))


def test_negative_int32_is_a_ten_byte_varint():
    encoded = _wire.encode_varint(-1)
    assert encoded == b'\xff' * 9 + b'\x01'
    # ReshapeParameter.num_axes is an int32 (field 3).
    message = _schema.decode('ReshapeParameter', key(3, 0) + encoded)
    assert message.num_axes == -1
    encoded = _wire.encode_varint(-5)
    assert len(encoded) == 10
    message = _schema.decode('ReshapeParameter', key(2, 0) + encoded)
    assert message.axis == -5


def test_negative_int64_dimension():
    message = _schema.decode('BlobShape',
                             key(1, 0) + _wire.encode_varint(-3))
    assert message.dim == [-3]


def test_uint32_keeps_the_low_32_bits():
    # A uint32 written by a buggy writer as a 64-bit value.
    data = key(1, 0) + _wire.encode_varint(2 ** 32 + 7)
    assert _schema.decode('ConvolutionParameter', data).num_output == 7


def test_truncated_varint():
    with pytest.raises(DecodeError, match='truncated varint'):
        _wire.read_varint(b'\x80\x80', 0, 2)


def test_overlong_varint():
    data = b'\xff' * 11 + b'\x01'
    with pytest.raises(DecodeError, match='longer than 10 bytes'):
        _wire.read_varint(data, 0, len(data))


# ----------------------------------------------------------- float arrays
def test_packed_floats_are_a_view_of_the_bytes():
    values = numpy.arange(6, dtype='<f4') / 7
    data = len_field(5, values.tobytes())
    blob = _schema.decode('BlobProto', data)
    numpy.testing.assert_array_equal(blob.data, values)
    assert blob.data.dtype == numpy.float32
    assert not blob.data.flags.owndata   # no copy was made
    assert not blob.data.flags.writeable


def test_unpacked_floats():
    values = [1.5, -2.25, 3.0]
    data = b''.join(key(5, 5) + struct.pack('<f', v) for v in values)
    blob = _schema.decode('BlobProto', data)
    numpy.testing.assert_array_equal(blob.data, values)


def test_packed_and_unpacked_chunks_concatenate():
    data = (len_field(5, numpy.array([1, 2], '<f4').tobytes()) +
            key(5, 5) + struct.pack('<f', 3) +
            len_field(5, numpy.array([4], '<f4').tobytes()))
    blob = _schema.decode('BlobProto', data)
    numpy.testing.assert_array_equal(blob.data, [1, 2, 3, 4])


def test_packed_and_unpacked_doubles():
    values = numpy.array([0.1, 1e-300, -7.5])
    packed = _schema.decode('BlobProto', len_field(8, values.tobytes()))
    unpacked = _schema.decode('BlobProto', b''.join(
        key(8, 1) + struct.pack('<d', v) for v in values))
    for blob in (packed, unpacked):
        assert blob.double_data.dtype == numpy.float64
        numpy.testing.assert_array_equal(blob.double_data, values)


def test_packed_floats_of_a_bad_length():
    with pytest.raises(DecodeError, match='not a multiple of 4'):
        _schema.decode('BlobProto', len_field(5, b'\x00' * 6))


def test_packed_and_unpacked_varints():
    # BlobShape.dim is declared packed; ConvolutionParameter.kernel_size
    # is not. Readers accept both encodings for both.
    packed = len_field(1, b''.join(_wire.encode_varint(d)
                                   for d in (2, 300, 5)))
    unpacked = b''.join(key(1, 0) + _wire.encode_varint(d)
                        for d in (2, 300, 5))
    assert _schema.decode('BlobShape', packed).dim == [2, 300, 5]
    assert _schema.decode('BlobShape', unpacked).dim == [2, 300, 5]
    packed_kernel = len_field(4, b'\x03\x05')
    unpacked_kernel = key(4, 0) + b'\x03' + key(4, 0) + b'\x05'
    for data in (packed_kernel, unpacked_kernel):
        assert _schema.decode('ConvolutionParameter',
                              data).kernel_size == [3, 5]


def test_scalar_float_field():
    data = key(3, 5) + struct.pack('<f', 0.25)   # BatchNormParameter.eps
    assert _schema.decode('BatchNormParameter', data).eps == 0.25


# -------------------------------------------------------- message structure
def test_unknown_fields_of_every_wire_type_are_skipped():
    unknown = (key(500, 0) + _wire.encode_varint(2 ** 40) +
               key(501, 1) + b'\x00' * 8 +
               len_field(502, b'anything at all') +
               key(503, 5) + b'\x00' * 4 +
               key(504, 3) + key(1, 0) + b'\x07' +
               key(9, 3) + key(9, 4) + key(504, 4))
    data = (len_field(1, b'conv1') + unknown + len_field(2, b'Convolution') +
            unknown)
    layer = _schema.decode('LayerParameter', data)
    assert layer.name == 'conv1'
    assert layer.type == 'Convolution'
    assert layer.to_dict() == {'name': 'conv1', 'type': 'Convolution'}


def test_nested_messages():
    values = numpy.arange(4, dtype='<f4')
    shape = len_field(1, b'\x02\x02')
    blob = len_field(7, shape) + len_field(5, values.tobytes())
    pooling = key(1, 0) + b'\x01' + key(2, 0) + b'\x03'
    layer = (len_field(1, b'ip') + len_field(7, blob) + len_field(7, blob) +
             len_field(121, pooling))
    net = _schema.decode('NetParameter',
                         len_field(1, b'net') + len_field(100, layer))
    assert net.name == 'net'
    assert len(net.layer) == 1
    layer = net.layer[0]
    assert len(layer.blobs) == 2
    assert layer.blobs[1].shape.dim == [2, 2]
    numpy.testing.assert_array_equal(layer.blobs[1].data, values)
    assert layer.pooling_param.pool == _schema.POOL_METHOD['AVE']
    assert layer.pooling_param.kernel_size == 3


def test_absent_fields_give_defaults_and_has_tells():
    message = _schema.decode('ConvolutionParameter', key(5, 0) + b'\x02')
    assert message.has('group') and message.group == 2
    assert not message.has('bias_term') and message.bias_term is True
    assert message.pad == [] and message.axis == 1
    assert not message.has('weight_filler')
    assert message.weight_filler.type == 'constant'
    # Float defaults are Caffe's float32 numbers.
    bn = _schema.decode('BatchNormParameter', b'')
    assert bn.eps == float(numpy.float32(1e-5))


def test_singular_message_occurring_twice_is_merged():
    first = len_field(123, key(1, 5) + struct.pack('<f', 0.5))
    second = len_field(123, key(2, 0) + b'\x01')
    layer = _schema.decode('LayerParameter', first + second)
    assert layer.relu_param.negative_slope == 0.5
    assert layer.relu_param.engine == 1


def test_last_value_of_a_singular_scalar_wins():
    data = len_field(1, b'a') + len_field(1, b'b')
    assert _schema.decode('LayerParameter', data).name == 'b'


# -------------------------------------------------------- malformed input
@pytest.mark.parametrize('data,match', [
    (key(1, 0), 'truncated varint'),
    (key(1, 2) + b'\x05ab', 'truncated length-delimited field 1'),
    (key(1, 5) + b'\x00', 'truncated 32-bit'),
    (key(1, 1) + b'\x00' * 7, 'truncated 64-bit'),
    (b'\x0e', 'invalid wire type 6'),
    (b'\x0f', 'invalid wire type 7'),
    (b'\x00\x00', 'invalid field number 0'),
    (key(7, 3) + key(1, 0) + b'\x01', 'unterminated group'),
    (key(1, 4), 'invalid wire type 4'),
])
def test_malformed_bytes(data, match):
    with pytest.raises(DecodeError, match=match):
        _schema.decode('LayerParameter', data)


def test_wire_type_mismatch_names_the_field():
    # LayerParameter.name (1) is a string, not a varint.
    with pytest.raises(DecodeError, match=r'LayerParameter\.name \(field 1\)'
                       r' has wire type varint'):
        _schema.decode('LayerParameter', key(1, 0) + b'\x01')


def test_invalid_utf8_string():
    with pytest.raises(DecodeError, match='not valid UTF-8'):
        _schema.decode('LayerParameter', len_field(1, b'\xff\xfe'))


def test_error_messages_give_the_path():
    blob = len_field(5, b'\x00' * 3)
    layer = len_field(1, b'x') + len_field(7, blob)
    with pytest.raises(DecodeError, match=r'NetParameter\.layer\[0\]\.blobs'
                       r'\[0\]\.data'):
        _schema.decode('NetParameter', len_field(100, layer))


# ----------------------------------------------------------------- encoding
def test_encode_orders_fields_by_number_and_packs_declared_fields():
    data = _schema.encode('BlobProto', {
        'shape': {'dim': [2]}, 'data': [1.0, 2.0]})
    expected = (len_field(5, numpy.array([1, 2], '<f4').tobytes()) +
                len_field(7, len_field(1, b'\x02')))
    assert data == expected


def test_encode_unpacked_and_packed_overrides():
    data = _schema.encode('BlobProto',
                          {'data': _schema.Unpacked([1.0, 2.0])})
    assert data == (key(5, 5) + struct.pack('<f', 1) +
                    key(5, 5) + struct.pack('<f', 2))
    data = _schema.encode('ConvolutionParameter',
                          {'kernel_size': _schema.Packed([3, 5])})
    assert data == len_field(4, b'\x03\x05')
    data = _schema.encode('ConvolutionParameter', {'kernel_size': [3, 5]})
    assert data == key(4, 0) + b'\x03' + key(4, 0) + b'\x05'


def test_encode_enums_by_name_and_negative_ints():
    data = _schema.encode('PoolingParameter', {'pool': 'AVE'})
    assert data == key(1, 0) + b'\x01'
    data = _schema.encode('ReshapeParameter', {'num_axes': -1})
    assert data == key(3, 0) + b'\xff' * 9 + b'\x01'


@pytest.mark.parametrize('message,values,error,match', [
    ('PoolingParameter', {'pool': 'SUM'}, ValueError, 'must be one of'),
    ('PoolingParameter', {'kernel': 3}, ValueError, 'has no field'),
    ('PoolingParameter', {'kernel_size': 2.5}, TypeError,
     'must be an integer'),
    ('LayerParameter', {'name': 3}, TypeError, 'must be a str'),
    ('LayerParameter', {'bottom': 'data'}, TypeError, 'is repeated'),
])
def test_encode_rejects_bad_values(message, values, error, match):
    with pytest.raises(error, match=match):
        _schema.encode(message, values)


def test_roundtrip_of_the_real_lenet_file_is_byte_exact():
    # The file was written by protoc-generated code: decoding it and
    # encoding it again must give the same bytes, which checks every
    # field number, type and packing that the file uses (and that no
    # field of it is unknown to the schema).
    with open(os.path.join(DATA_DIR, 'lenet.caffemodel'), 'rb') as f:
        data = f.read()
    net = _schema.decode('NetParameter', data)
    assert _schema.encode('NetParameter', net.to_dict()) == data
    conv = net.layer[1]
    assert conv.type == 'Convolution'
    assert conv.convolution_param.to_dict() == {
        'num_output': 20, 'kernel_size': [5], 'stride': [1],
        'weight_filler': {'type': 'xavier'},
        'bias_filler': {'type': 'constant'}}
    assert [p.lr_mult for p in conv.param] == [1.0, 2.0]
    assert conv.blobs[0].shape.dim == [20, 1, 5, 5]
    assert net.layer[2].pooling_param.to_dict() == {
        'pool': 0, 'kernel_size': 2, 'stride': 2}
    assert net.layer[5].inner_product_param.num_output == 500
    assert net.layer[0].input_param.shape[0].dim == [1, 1, 28, 28]
