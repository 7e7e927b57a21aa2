"""Field numbers and wire types of every caffe.proto field the loader
reads, checked on hand-made bytes.

The writer and the reader share one schema, so a wrong field number
would survive every round trip through them. This table is a second,
separate transcription of BVLC Caffe's ``src/caffe/proto/caffe.proto``:
each field is written here as raw bytes with its number and decoded by
the loader's schema, which must recognise it under that name. (The fields
of the real LeNet fixture are also checked byte for byte in
test_wire.py.)
"""
import struct

import pytest

from dynet.links.caffe import _schema
from dynet.links.caffe import _wire

V, F32, F64, S, M = 'varint', 'float', 'double', 'string', 'message'

PROTO = {
    'NetParameter': [
        ('name', 1, S), ('input', 3, S), ('input_shape', 8, M),
        ('input_dim', 4, V), ('force_backward', 5, V), ('state', 6, M),
        ('debug_info', 7, V), ('layer', 100, M), ('layers', 2, M)],
    'BlobShape': [('dim', 1, V)],
    'BlobProto': [
        ('shape', 7, M), ('data', 5, F32), ('diff', 6, F32),
        ('double_data', 8, F64), ('double_diff', 9, F64), ('num', 1, V),
        ('channels', 2, V), ('height', 3, V), ('width', 4, V)],
    'NetStateRule': [('phase', 1, V), ('min_level', 2, V),
                     ('max_level', 3, V), ('stage', 4, S),
                     ('not_stage', 5, S)],
    'ParamSpec': [('name', 1, S), ('share_mode', 2, V), ('lr_mult', 3, F32),
                  ('decay_mult', 4, F32)],
    'LayerParameter': [
        ('name', 1, S), ('type', 2, S), ('bottom', 3, S), ('top', 4, S),
        ('phase', 10, V), ('loss_weight', 5, F32), ('param', 6, M),
        ('blobs', 7, M), ('propagate_down', 11, V), ('include', 8, M),
        ('exclude', 9, M), ('loss_param', 101, M),
        ('batch_norm_param', 139, M), ('bias_param', 141, M),
        ('concat_param', 104, M), ('convolution_param', 106, M),
        ('dropout_param', 108, M), ('eltwise_param', 110, M),
        ('elu_param', 140, M), ('exp_param', 111, M),
        ('flatten_param', 135, M), ('inner_product_param', 117, M),
        ('input_param', 143, M), ('log_param', 134, M),
        ('lrn_param', 118, M), ('pooling_param', 121, M),
        ('power_param', 122, M), ('prelu_param', 131, M),
        ('relu_param', 123, M), ('reshape_param', 133, M),
        ('scale_param', 142, M), ('sigmoid_param', 124, M),
        ('softmax_param', 125, M), ('slice_param', 126, M),
        ('tanh_param', 127, M), ('threshold_param', 128, M)],
    'V1LayerParameter': [
        ('bottom', 2, S), ('top', 3, S), ('name', 4, S),
        ('include', 32, M), ('exclude', 33, M), ('type', 5, V),
        ('blobs', 6, M), ('param', 1001, S), ('blob_share_mode', 1002, V),
        ('blobs_lr', 7, F32), ('weight_decay', 8, F32),
        ('loss_weight', 35, F32), ('layer', 1, S),
        ('concat_param', 9, M), ('convolution_param', 10, M),
        ('dropout_param', 12, M), ('eltwise_param', 24, M),
        ('exp_param', 41, M), ('inner_product_param', 17, M),
        ('lrn_param', 18, M), ('pooling_param', 19, M),
        ('power_param', 21, M), ('relu_param', 30, M),
        ('sigmoid_param', 38, M), ('softmax_param', 39, M),
        ('slice_param', 31, M), ('tanh_param', 37, M),
        ('threshold_param', 25, M), ('loss_param', 42, M)],
    'ConvolutionParameter': [
        ('num_output', 1, V), ('bias_term', 2, V), ('pad', 3, V),
        ('kernel_size', 4, V), ('stride', 6, V), ('dilation', 18, V),
        ('pad_h', 9, V), ('pad_w', 10, V), ('kernel_h', 11, V),
        ('kernel_w', 12, V), ('stride_h', 13, V), ('stride_w', 14, V),
        ('group', 5, V), ('weight_filler', 7, M), ('bias_filler', 8, M),
        ('engine', 15, V), ('axis', 16, V), ('force_nd_im2col', 17, V)],
    'PoolingParameter': [
        ('pool', 1, V), ('pad', 4, V), ('pad_h', 9, V), ('pad_w', 10, V),
        ('kernel_size', 2, V), ('kernel_h', 5, V), ('kernel_w', 6, V),
        ('stride', 3, V), ('stride_h', 7, V), ('stride_w', 8, V),
        ('engine', 11, V), ('global_pooling', 12, V),
        ('round_mode', 13, V)],
    'InnerProductParameter': [
        ('num_output', 1, V), ('bias_term', 2, V), ('weight_filler', 3, M),
        ('bias_filler', 4, M), ('axis', 5, V), ('transpose', 6, V)],
    'ReLUParameter': [('negative_slope', 1, F32), ('engine', 2, V)],
    'LRNParameter': [('local_size', 1, V), ('alpha', 2, F32),
                     ('beta', 3, F32), ('norm_region', 4, V), ('k', 5, F32),
                     ('engine', 6, V)],
    'BatchNormParameter': [('use_global_stats', 1, V),
                           ('moving_average_fraction', 2, F32),
                           ('eps', 3, F32)],
    'ScaleParameter': [('axis', 1, V), ('num_axes', 2, V),
                       ('filler', 3, M), ('bias_term', 4, V),
                       ('bias_filler', 5, M)],
    'BiasParameter': [('axis', 1, V), ('num_axes', 2, V), ('filler', 3, M)],
    'ConcatParameter': [('axis', 2, V), ('concat_dim', 1, V)],
    'SoftmaxParameter': [('engine', 1, V), ('axis', 2, V)],
    'EltwiseParameter': [('operation', 1, V), ('coeff', 2, F32),
                         ('stable_prod_grad', 3, V)],
    'DropoutParameter': [('dropout_ratio', 1, F32)],
    'ReshapeParameter': [('shape', 1, M), ('axis', 2, V),
                         ('num_axes', 3, V)],
    'FlattenParameter': [('axis', 1, V), ('end_axis', 2, V)],
    'PowerParameter': [('power', 1, F32), ('scale', 2, F32),
                       ('shift', 3, F32)],
    'ExpParameter': [('base', 1, F32), ('scale', 2, F32), ('shift', 3, F32)],
    'LogParameter': [('base', 1, F32), ('scale', 2, F32), ('shift', 3, F32)],
    'SliceParameter': [('axis', 3, V), ('slice_point', 2, V),
                       ('slice_dim', 1, V)],
    'ELUParameter': [('alpha', 1, F32)],
    'ThresholdParameter': [('threshold', 1, F32)],
    'InputParameter': [('shape', 1, M)],
    'PReLUParameter': [('filler', 1, M), ('channel_shared', 2, V)],
    'SigmoidParameter': [('engine', 1, V)],
    'TanHParameter': [('engine', 1, V)],
    'LossParameter': [('ignore_label', 1, V), ('normalization', 3, V),
                      ('normalize', 2, V)],
    'FillerParameter': [('type', 1, S), ('value', 2, F32), ('min', 3, F32),
                        ('max', 4, F32), ('mean', 5, F32), ('std', 6, F32),
                        ('sparse', 7, V), ('variance_norm', 8, V)],
    'NetState': [('phase', 1, V), ('level', 2, V), ('stage', 3, S)],
}

CASES = [(message, name, number, kind)
         for message, fields in PROTO.items()
         for name, number, kind in fields]


def _raw_field(number, kind):
    key = number << 3
    if kind == V:
        return _wire.encode_varint(key) + b'\x01'
    if kind == F32:
        return _wire.encode_varint(key | 5) + struct.pack('<f', 1.0)
    if kind == F64:
        return _wire.encode_varint(key | 1) + struct.pack('<d', 1.0)
    # strings and messages: a length-delimited payload (empty is a valid
    # message and a valid string)
    return _wire.encode_varint(key | 2) + b'\x00'


@pytest.mark.parametrize('message,name,number,kind', CASES)
def test_field_number_and_type(message, name, number, kind):
    decoded = _schema.decode(message, _raw_field(number, kind))
    assert decoded.has(name)
    assert decoded.spec.by_name[name].number == number


def test_the_schema_has_no_field_missing_from_this_table():
    for message, fields in PROTO.items():
        listed = {name for name, _, _ in fields}
        spec = _schema.SCHEMA[message]
        assert set(spec.by_name) <= listed, message


@pytest.mark.parametrize('enum,values', [
    ('POOL_METHOD', {'MAX': 0, 'AVE': 1, 'STOCHASTIC': 2}),
    ('ROUND_MODE', {'CEIL': 0, 'FLOOR': 1}),
    ('NORM_REGION', {'ACROSS_CHANNELS': 0, 'WITHIN_CHANNEL': 1}),
    ('ELTWISE_OP', {'PROD': 0, 'SUM': 1, 'MAX': 2}),
    ('PHASE', {'TRAIN': 0, 'TEST': 1}),
    ('NORMALIZATION', {'FULL': 0, 'VALID': 1, 'BATCH_SIZE': 2, 'NONE': 3}),
])
def test_enum_values(enum, values):
    assert getattr(_schema, enum) == values


def test_v1_layer_type_numbers():
    # V1LayerParameter.LayerType, as listed in caffe.proto.
    expected = {
        'NONE': 0, 'ACCURACY': 1, 'BNLL': 2, 'CONCAT': 3, 'CONVOLUTION': 4,
        'DATA': 5, 'DROPOUT': 6, 'EUCLIDEAN_LOSS': 7, 'FLATTEN': 8,
        'HDF5_DATA': 9, 'HDF5_OUTPUT': 10, 'IM2COL': 11, 'IMAGE_DATA': 12,
        'INFOGAIN_LOSS': 13, 'INNER_PRODUCT': 14, 'LRN': 15,
        'MULTINOMIAL_LOGISTIC_LOSS': 16, 'POOLING': 17, 'RELU': 18,
        'SIGMOID': 19, 'SOFTMAX': 20, 'SOFTMAX_LOSS': 21, 'SPLIT': 22,
        'TANH': 23, 'WINDOW_DATA': 24, 'ELTWISE': 25, 'POWER': 26,
        'SIGMOID_CROSS_ENTROPY_LOSS': 27, 'HINGE_LOSS': 28,
        'MEMORY_DATA': 29, 'ARGMAX': 30, 'THRESHOLD': 31,
        'DUMMY_DATA': 32, 'SLICE': 33, 'MVN': 34, 'ABSVAL': 35,
        'SILENCE': 36, 'CONTRASTIVE_LOSS': 37, 'EXP': 38,
        'DECONVOLUTION': 39}
    assert _schema.V1_LAYER_TYPE == expected


@pytest.mark.parametrize('message,name,default', [
    ('ConvolutionParameter', 'bias_term', True),
    ('ConvolutionParameter', 'group', 1),
    ('ConvolutionParameter', 'axis', 1),
    ('PoolingParameter', 'stride', 1),
    ('PoolingParameter', 'pool', 0),
    ('InnerProductParameter', 'bias_term', True),
    ('InnerProductParameter', 'axis', 1),
    ('LRNParameter', 'local_size', 5),
    ('LRNParameter', 'alpha', 1.0),
    ('LRNParameter', 'beta', 0.75),
    ('LRNParameter', 'k', 1.0),
    ('BatchNormParameter', 'moving_average_fraction', 0.999),
    ('BatchNormParameter', 'eps', 1e-5),
    ('ScaleParameter', 'axis', 1),
    ('ScaleParameter', 'num_axes', 1),
    ('ScaleParameter', 'bias_term', False),
    ('BiasParameter', 'num_axes', 1),
    ('ConcatParameter', 'axis', 1),
    ('SoftmaxParameter', 'axis', 1),
    ('EltwiseParameter', 'operation', 1),
    ('DropoutParameter', 'dropout_ratio', 0.5),
    ('ReshapeParameter', 'axis', 0),
    ('ReshapeParameter', 'num_axes', -1),
    ('FlattenParameter', 'axis', 1),
    ('FlattenParameter', 'end_axis', -1),
    ('PowerParameter', 'power', 1.0),
    ('PowerParameter', 'scale', 1.0),
    ('PowerParameter', 'shift', 0.0),
    ('ExpParameter', 'base', -1.0),
    ('LogParameter', 'base', -1.0),
    ('SliceParameter', 'axis', 1),
    ('ELUParameter', 'alpha', 1.0),
    ('LossParameter', 'normalization', 1),
    ('PReLUParameter', 'channel_shared', False),
])
def test_defaults(message, name, default):
    value = getattr(_schema.decode(message, b''), name)
    assert value == pytest.approx(default, rel=1e-7)
