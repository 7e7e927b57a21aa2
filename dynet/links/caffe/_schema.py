"""The part of Caffe's ``caffe.proto`` that the loader reads and the
writer writes, as data, plus a generic decoder and encoder driven by it.

Field numbers, types and defaults are the public schema facts of BVLC
Caffe's ``src/caffe/proto/caffe.proto`` (proto2). Fields that are not
listed here are skipped when decoding, as protobuf does with unknown
fields. A field that arrives with a wire type its declared type cannot
have is an error: such bytes are not a Caffe model.
"""
import numpy

from dynet.links.caffe import _wire
from dynet.links.caffe._wire import DecodeError

# --------------------------------------------------------------- enumerations
PHASE = {'TRAIN': 0, 'TEST': 1}
ENGINE = {'DEFAULT': 0, 'CAFFE': 1, 'CUDNN': 2}
POOL_METHOD = {'MAX': 0, 'AVE': 1, 'STOCHASTIC': 2}
ROUND_MODE = {'CEIL': 0, 'FLOOR': 1}
NORM_REGION = {'ACROSS_CHANNELS': 0, 'WITHIN_CHANNEL': 1}
ELTWISE_OP = {'PROD': 0, 'SUM': 1, 'MAX': 2}
NORMALIZATION = {'FULL': 0, 'VALID': 1, 'BATCH_SIZE': 2, 'NONE': 3}
VARIANCE_NORM = {'FAN_IN': 0, 'FAN_OUT': 1, 'AVERAGE': 2}
DIM_CHECK = {'STRICT': 0, 'PERMISSIVE': 1}

#: V1LayerParameter.LayerType: enum name -> number.
V1_LAYER_TYPE = {
    'NONE': 0, 'ABSVAL': 35, 'ACCURACY': 1, 'ARGMAX': 30, 'BNLL': 2,
    'CONCAT': 3, 'CONTRASTIVE_LOSS': 37, 'CONVOLUTION': 4, 'DATA': 5,
    'DECONVOLUTION': 39, 'DROPOUT': 6, 'DUMMY_DATA': 32,
    'EUCLIDEAN_LOSS': 7, 'ELTWISE': 25, 'EXP': 38, 'FLATTEN': 8,
    'HDF5_DATA': 9, 'HDF5_OUTPUT': 10, 'HINGE_LOSS': 28, 'IM2COL': 11,
    'IMAGE_DATA': 12, 'INFOGAIN_LOSS': 13, 'INNER_PRODUCT': 14, 'LRN': 15,
    'MEMORY_DATA': 29, 'MULTINOMIAL_LOGISTIC_LOSS': 16, 'MVN': 34,
    'POOLING': 17, 'POWER': 26, 'RELU': 18, 'SIGMOID': 19,
    'SIGMOID_CROSS_ENTROPY_LOSS': 27, 'SILENCE': 36, 'SOFTMAX': 20,
    'SOFTMAX_LOSS': 21, 'SPLIT': 22, 'SLICE': 33, 'TANH': 23,
    'WINDOW_DATA': 24, 'THRESHOLD': 31,
}

#: V1 enum name -> the type string of the current format (Caffe's own
#: upgrade table).
V1_TO_TYPE = {
    'NONE': '', 'ABSVAL': 'AbsVal', 'ACCURACY': 'Accuracy',
    'ARGMAX': 'ArgMax', 'BNLL': 'BNLL', 'CONCAT': 'Concat',
    'CONTRASTIVE_LOSS': 'ContrastiveLoss', 'CONVOLUTION': 'Convolution',
    'DATA': 'Data', 'DECONVOLUTION': 'Deconvolution', 'DROPOUT': 'Dropout',
    'DUMMY_DATA': 'DummyData', 'EUCLIDEAN_LOSS': 'EuclideanLoss',
    'ELTWISE': 'Eltwise', 'EXP': 'Exp', 'FLATTEN': 'Flatten',
    'HDF5_DATA': 'HDF5Data', 'HDF5_OUTPUT': 'HDF5Output',
    'HINGE_LOSS': 'HingeLoss', 'IM2COL': 'Im2col',
    'IMAGE_DATA': 'ImageData', 'INFOGAIN_LOSS': 'InfogainLoss',
    'INNER_PRODUCT': 'InnerProduct', 'LRN': 'LRN',
    'MEMORY_DATA': 'MemoryData',
    'MULTINOMIAL_LOGISTIC_LOSS': 'MultinomialLogisticLoss', 'MVN': 'MVN',
    'POOLING': 'Pooling', 'POWER': 'Power', 'RELU': 'ReLU',
    'SIGMOID': 'Sigmoid',
    'SIGMOID_CROSS_ENTROPY_LOSS': 'SigmoidCrossEntropyLoss',
    'SILENCE': 'Silence', 'SOFTMAX': 'Softmax',
    'SOFTMAX_LOSS': 'SoftmaxWithLoss', 'SPLIT': 'Split', 'SLICE': 'Slice',
    'TANH': 'TanH', 'WINDOW_DATA': 'WindowData', 'THRESHOLD': 'Threshold',
}

_VARINT_KINDS = ('int32', 'int64', 'uint32', 'uint64', 'bool', 'enum')
_ZERO = {'int32': 0, 'int64': 0, 'uint32': 0, 'uint64': 0, 'bool': False,
         'enum': 0, 'float': 0.0, 'double': 0.0, 'string': '', 'bytes': b''}


class FieldSpec:
    """One field of a message: number, name, type and default.

    ``kind`` is a scalar type name (see ``_ZERO``) or the name of a
    message in ``SCHEMA``.
    """

    __slots__ = ('number', 'name', 'kind', 'repeated', 'packed', 'default',
                 'enum')

    def __init__(self, number, name, kind, repeated=False, packed=False,
                 default=None, enum=None):
        self.number = number
        self.name = name
        self.kind = kind
        self.repeated = repeated
        self.packed = packed
        self.enum = enum
        if default is None:
            default = _ZERO.get(kind)
        elif kind == 'float':
            # Caffe's defaults are float32 numbers; use exactly those.
            default = float(numpy.float32(default))
        self.default = default

    @property
    def is_message(self):
        return self.kind not in _ZERO


class MessageSpec:

    def __init__(self, name, fields):
        self.name = name
        self.fields = tuple(sorted(fields, key=lambda f: f.number))
        self.by_number = {f.number: f for f in self.fields}
        self.by_name = {f.name: f for f in self.fields}


SCHEMA = {}


def _message(name, *fields):
    SCHEMA[name] = MessageSpec(name, fields)


def _opt(number, name, kind, default=None, enum=None):
    return FieldSpec(number, name, kind, default=default, enum=enum)


def _rep(number, name, kind, packed=False, enum=None):
    return FieldSpec(number, name, kind, repeated=True, packed=packed,
                     enum=enum)


_message('BlobShape', _rep(1, 'dim', 'int64', packed=True))
_message('BlobProto',
         _opt(7, 'shape', 'BlobShape'),
         _rep(5, 'data', 'float', packed=True),
         _rep(6, 'diff', 'float', packed=True),
         _rep(8, 'double_data', 'double', packed=True),
         _rep(9, 'double_diff', 'double', packed=True),
         _opt(1, 'num', 'int32'),
         _opt(2, 'channels', 'int32'),
         _opt(3, 'height', 'int32'),
         _opt(4, 'width', 'int32'))
_message('NetState',
         _opt(1, 'phase', 'enum', default=1, enum=PHASE),
         _opt(2, 'level', 'int32'),
         _rep(3, 'stage', 'string'))
_message('NetStateRule',
         _opt(1, 'phase', 'enum', enum=PHASE),
         _opt(2, 'min_level', 'int32'),
         _opt(3, 'max_level', 'int32'),
         _rep(4, 'stage', 'string'),
         _rep(5, 'not_stage', 'string'))
_message('ParamSpec',
         _opt(1, 'name', 'string'),
         _opt(2, 'share_mode', 'enum', enum=DIM_CHECK),
         _opt(3, 'lr_mult', 'float', default=1.0),
         _opt(4, 'decay_mult', 'float', default=1.0))
_message('FillerParameter',
         _opt(1, 'type', 'string', default='constant'),
         _opt(2, 'value', 'float'),
         _opt(3, 'min', 'float'),
         _opt(4, 'max', 'float', default=1.0),
         _opt(5, 'mean', 'float'),
         _opt(6, 'std', 'float', default=1.0),
         _opt(7, 'sparse', 'int32', default=-1),
         _opt(8, 'variance_norm', 'enum', enum=VARIANCE_NORM))
_message('NetParameter',
         _opt(1, 'name', 'string'),
         _rep(3, 'input', 'string'),
         _rep(8, 'input_shape', 'BlobShape'),
         _rep(4, 'input_dim', 'int32'),
         _opt(5, 'force_backward', 'bool'),
         _opt(6, 'state', 'NetState'),
         _opt(7, 'debug_info', 'bool'),
         _rep(100, 'layer', 'LayerParameter'),
         _rep(2, 'layers', 'V1LayerParameter'))

# Per-layer parameter messages.
_message('ConvolutionParameter',
         _opt(1, 'num_output', 'uint32'),
         _opt(2, 'bias_term', 'bool', default=True),
         _rep(3, 'pad', 'uint32'),
         _rep(4, 'kernel_size', 'uint32'),
         _rep(6, 'stride', 'uint32'),
         _rep(18, 'dilation', 'uint32'),
         _opt(9, 'pad_h', 'uint32'),
         _opt(10, 'pad_w', 'uint32'),
         _opt(11, 'kernel_h', 'uint32'),
         _opt(12, 'kernel_w', 'uint32'),
         _opt(13, 'stride_h', 'uint32'),
         _opt(14, 'stride_w', 'uint32'),
         _opt(5, 'group', 'uint32', default=1),
         _opt(7, 'weight_filler', 'FillerParameter'),
         _opt(8, 'bias_filler', 'FillerParameter'),
         _opt(15, 'engine', 'enum', enum=ENGINE),
         _opt(16, 'axis', 'int32', default=1),
         _opt(17, 'force_nd_im2col', 'bool'))
_message('PoolingParameter',
         _opt(1, 'pool', 'enum', enum=POOL_METHOD),
         _opt(4, 'pad', 'uint32'),
         _opt(9, 'pad_h', 'uint32'),
         _opt(10, 'pad_w', 'uint32'),
         _opt(2, 'kernel_size', 'uint32'),
         _opt(5, 'kernel_h', 'uint32'),
         _opt(6, 'kernel_w', 'uint32'),
         _opt(3, 'stride', 'uint32', default=1),
         _opt(7, 'stride_h', 'uint32'),
         _opt(8, 'stride_w', 'uint32'),
         _opt(11, 'engine', 'enum', enum=ENGINE),
         _opt(12, 'global_pooling', 'bool'),
         _opt(13, 'round_mode', 'enum', enum=ROUND_MODE))
_message('InnerProductParameter',
         _opt(1, 'num_output', 'uint32'),
         _opt(2, 'bias_term', 'bool', default=True),
         _opt(3, 'weight_filler', 'FillerParameter'),
         _opt(4, 'bias_filler', 'FillerParameter'),
         _opt(5, 'axis', 'int32', default=1),
         _opt(6, 'transpose', 'bool'))
_message('ReLUParameter',
         _opt(1, 'negative_slope', 'float'),
         _opt(2, 'engine', 'enum', enum=ENGINE))
_message('LRNParameter',
         _opt(1, 'local_size', 'uint32', default=5),
         _opt(2, 'alpha', 'float', default=1.0),
         _opt(3, 'beta', 'float', default=0.75),
         _opt(4, 'norm_region', 'enum', enum=NORM_REGION),
         _opt(5, 'k', 'float', default=1.0),
         _opt(6, 'engine', 'enum', enum=ENGINE))
_message('BatchNormParameter',
         _opt(1, 'use_global_stats', 'bool'),
         _opt(2, 'moving_average_fraction', 'float', default=0.999),
         _opt(3, 'eps', 'float', default=1e-5))
_message('ScaleParameter',
         _opt(1, 'axis', 'int32', default=1),
         _opt(2, 'num_axes', 'int32', default=1),
         _opt(3, 'filler', 'FillerParameter'),
         _opt(4, 'bias_term', 'bool'),
         _opt(5, 'bias_filler', 'FillerParameter'))
_message('BiasParameter',
         _opt(1, 'axis', 'int32', default=1),
         _opt(2, 'num_axes', 'int32', default=1),
         _opt(3, 'filler', 'FillerParameter'))
_message('ConcatParameter',
         _opt(2, 'axis', 'int32', default=1),
         _opt(1, 'concat_dim', 'uint32', default=1))
_message('SoftmaxParameter',
         _opt(1, 'engine', 'enum', enum=ENGINE),
         _opt(2, 'axis', 'int32', default=1))
_message('EltwiseParameter',
         _opt(1, 'operation', 'enum', default=1, enum=ELTWISE_OP),
         _rep(2, 'coeff', 'float'),
         _opt(3, 'stable_prod_grad', 'bool', default=True))
_message('DropoutParameter',
         _opt(1, 'dropout_ratio', 'float', default=0.5))
_message('ReshapeParameter',
         _opt(1, 'shape', 'BlobShape'),
         _opt(2, 'axis', 'int32'),
         _opt(3, 'num_axes', 'int32', default=-1))
_message('FlattenParameter',
         _opt(1, 'axis', 'int32', default=1),
         _opt(2, 'end_axis', 'int32', default=-1))
_message('PowerParameter',
         _opt(1, 'power', 'float', default=1.0),
         _opt(2, 'scale', 'float', default=1.0),
         _opt(3, 'shift', 'float'))
_message('ExpParameter',
         _opt(1, 'base', 'float', default=-1.0),
         _opt(2, 'scale', 'float', default=1.0),
         _opt(3, 'shift', 'float'))
_message('LogParameter',
         _opt(1, 'base', 'float', default=-1.0),
         _opt(2, 'scale', 'float', default=1.0),
         _opt(3, 'shift', 'float'))
_message('SliceParameter',
         _opt(3, 'axis', 'int32', default=1),
         _rep(2, 'slice_point', 'uint32'),
         _opt(1, 'slice_dim', 'uint32', default=1))
_message('ELUParameter', _opt(1, 'alpha', 'float', default=1.0))
_message('ThresholdParameter', _opt(1, 'threshold', 'float'))
_message('InputParameter', _rep(1, 'shape', 'BlobShape'))
_message('PReLUParameter',
         _opt(1, 'filler', 'FillerParameter'),
         _opt(2, 'channel_shared', 'bool'))
_message('SigmoidParameter', _opt(1, 'engine', 'enum', enum=ENGINE))
_message('TanHParameter', _opt(1, 'engine', 'enum', enum=ENGINE))
_message('LossParameter',
         _opt(1, 'ignore_label', 'int32'),
         _opt(3, 'normalization', 'enum', default=1, enum=NORMALIZATION),
         _opt(2, 'normalize', 'bool'))

#: The per-type parameter messages: field name -> (number in
#: LayerParameter, number in V1LayerParameter or None, message name).
LAYER_PARAMS = {
    'loss_param': (101, 42, 'LossParameter'),
    'batch_norm_param': (139, None, 'BatchNormParameter'),
    'bias_param': (141, None, 'BiasParameter'),
    'concat_param': (104, 9, 'ConcatParameter'),
    'convolution_param': (106, 10, 'ConvolutionParameter'),
    'dropout_param': (108, 12, 'DropoutParameter'),
    'eltwise_param': (110, 24, 'EltwiseParameter'),
    'elu_param': (140, None, 'ELUParameter'),
    'exp_param': (111, 41, 'ExpParameter'),
    'flatten_param': (135, None, 'FlattenParameter'),
    'inner_product_param': (117, 17, 'InnerProductParameter'),
    'input_param': (143, None, 'InputParameter'),
    'log_param': (134, None, 'LogParameter'),
    'lrn_param': (118, 18, 'LRNParameter'),
    'pooling_param': (121, 19, 'PoolingParameter'),
    'power_param': (122, 21, 'PowerParameter'),
    'prelu_param': (131, None, 'PReLUParameter'),
    'relu_param': (123, 30, 'ReLUParameter'),
    'reshape_param': (133, None, 'ReshapeParameter'),
    'scale_param': (142, None, 'ScaleParameter'),
    'sigmoid_param': (124, 38, 'SigmoidParameter'),
    'softmax_param': (125, 39, 'SoftmaxParameter'),
    'slice_param': (126, 31, 'SliceParameter'),
    'tanh_param': (127, 37, 'TanHParameter'),
    'threshold_param': (128, 25, 'ThresholdParameter'),
}

_message('LayerParameter',
         _opt(1, 'name', 'string'),
         _opt(2, 'type', 'string'),
         _rep(3, 'bottom', 'string'),
         _rep(4, 'top', 'string'),
         _opt(10, 'phase', 'enum', enum=PHASE),
         _rep(5, 'loss_weight', 'float'),
         _rep(6, 'param', 'ParamSpec'),
         _rep(7, 'blobs', 'BlobProto'),
         _rep(11, 'propagate_down', 'bool'),
         _rep(8, 'include', 'NetStateRule'),
         _rep(9, 'exclude', 'NetStateRule'),
         *[_opt(number, name, message)
           for name, (number, _, message) in LAYER_PARAMS.items()])
_message('V1LayerParameter',
         _rep(2, 'bottom', 'string'),
         _rep(3, 'top', 'string'),
         _opt(4, 'name', 'string'),
         _rep(32, 'include', 'NetStateRule'),
         _rep(33, 'exclude', 'NetStateRule'),
         _opt(5, 'type', 'enum', enum=V1_LAYER_TYPE),
         _rep(6, 'blobs', 'BlobProto'),
         _rep(1001, 'param', 'string'),
         _rep(1002, 'blob_share_mode', 'enum', enum=DIM_CHECK),
         _rep(7, 'blobs_lr', 'float'),
         _rep(8, 'weight_decay', 'float'),
         _rep(35, 'loss_weight', 'float'),
         # The V0 layer of even older files; only its presence is used.
         _opt(1, 'layer', 'bytes'),
         *[_opt(v1_number, name, message)
           for name, (_, v1_number, message) in LAYER_PARAMS.items()
           if v1_number is not None])


# ------------------------------------------------------------------ decoding
class Message:
    """A decoded message: attribute access gives the field's value, or its
    default when the field is absent (``has(name)`` tells which)."""

    __slots__ = ('_spec', '_values')

    def __init__(self, spec, values):
        self._spec = spec
        self._values = values

    @property
    def spec(self):
        return self._spec

    def has(self, name):
        self._field(name)
        return name in self._values

    def _field(self, name):
        try:
            return self._spec.by_name[name]
        except KeyError:
            raise AttributeError('{} has no field {!r}'.format(
                self._spec.name, name)) from None

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)
        field = self._field(name)
        try:
            return self._values[name]
        except KeyError:
            pass
        if field.repeated:
            if field.kind in ('float', 'double'):
                return numpy.zeros(0, _FLOAT_DTYPES[field.kind])
            return []
        if field.is_message:
            return Message(SCHEMA[field.kind], {})
        return field.default

    def to_dict(self):
        """The fields present, as plain Python values (nested messages as
        dicts, repeated floats as arrays); ``encode`` accepts it back."""
        out = {}
        for name, value in self._values.items():
            if isinstance(value, Message):
                value = value.to_dict()
            elif isinstance(value, list):
                value = [v.to_dict() if isinstance(v, Message) else v
                         for v in value]
            out[name] = value
        return out

    def __repr__(self):
        return '<{} {}>'.format(self._spec.name, sorted(self._values))


_FLOAT_DTYPES = {'float': '<f4', 'double': '<f8'}


def decode(message_name, buf, start=0, end=None, where=None):
    """Decodes the message ``message_name`` from ``buf[start:end]``.

    Large repeated float fields become read-only ``numpy.frombuffer``
    views of ``buf``, so ``buf`` must stay alive (and unchanged) while they
    are used.

    Raises:
        DecodeError: the bytes are malformed or do not fit the schema.
    """
    if end is None:
        end = len(buf)
    return _decode(SCHEMA[message_name], buf, [(start, end)],
                   where or message_name)


def _decode(spec, buf, ranges, where):
    values = {}
    float_chunks = {}
    message_ranges = {}
    for start, end in ranges:
        for number, wire_type, value in _wire.iter_fields(buf, start, end):
            field = spec.by_number.get(number)
            if field is None:
                continue  # unknown field: skipped, as protobuf does
            context = '{}.{}'.format(where, field.name)
            _check_wire_type(field, wire_type, context)
            if field.is_message:
                if field.repeated:
                    index = len(values.setdefault(field.name, []))
                    values[field.name].append(_decode(
                        SCHEMA[field.kind], buf, [value],
                        '{}[{}]'.format(context, index)))
                else:
                    # Repeated occurrences of a singular message merge.
                    message_ranges.setdefault(field.name, []).append(value)
            elif field.kind in _FLOAT_DTYPES:
                chunk = _float_chunk(field, buf, wire_type, value, context)
                if field.repeated:
                    float_chunks.setdefault(field.name, []).append(chunk)
                else:
                    values[field.name] = float(chunk[0])
            elif field.kind in ('string', 'bytes'):
                begin, stop = value
                raw = bytes(buf[begin:stop])
                if field.kind == 'string':
                    try:
                        raw = raw.decode('utf-8')
                    except UnicodeDecodeError:
                        raise DecodeError('{}: not valid UTF-8 text'.format(
                            context)) from None
                _store(values, field, raw)
            else:
                if wire_type == _wire.LEN:   # packed repeated varints
                    for item in _wire.read_packed_varints(buf, *value):
                        _store(values, field, _convert(field.kind, item))
                else:
                    _store(values, field, _convert(field.kind, value))
    for name, chunks in float_chunks.items():
        if len(chunks) == 1:
            values[name] = chunks[0]
        else:
            values[name] = numpy.concatenate(chunks)
    for name, field_ranges in message_ranges.items():
        values[name] = _decode(SCHEMA[spec.by_name[name].kind], buf,
                               field_ranges, '{}.{}'.format(where, name))
    return Message(spec, values)


def _store(values, field, value):
    if field.repeated:
        values.setdefault(field.name, []).append(value)
    else:
        values[field.name] = value


def _convert(kind, value):
    if kind in ('int32', 'enum'):
        return _wire.as_int32(value)
    if kind == 'int64':
        return _wire.as_int64(value)
    if kind == 'uint32':
        return _wire.as_uint32(value)
    if kind == 'bool':
        return value != 0
    return value  # uint64


def _float_chunk(field, buf, wire_type, value, context):
    dtype = _FLOAT_DTYPES[field.kind]
    begin, stop = value
    if wire_type == _wire.LEN:
        try:
            return _wire.float_array(buf, begin, stop, dtype)
        except DecodeError as e:
            raise DecodeError('{}: {}'.format(context, e)) from None
    return numpy.frombuffer(buf, dtype=dtype, count=1, offset=begin)


def _allowed_wire_types(field):
    if field.is_message or field.kind in ('string', 'bytes'):
        return (_wire.LEN,)
    if field.kind in _VARINT_KINDS:
        single = _wire.VARINT
    elif field.kind == 'float':
        single = _wire.I32
    else:
        single = _wire.I64
    return (single, _wire.LEN) if field.repeated else (single,)


def _check_wire_type(field, wire_type, context):
    allowed = _allowed_wire_types(field)
    if wire_type not in allowed:
        raise DecodeError(
            '{} (field {}) has wire type {}, but a {}{} field is {}'.format(
                context, field.number, _wire.wire_type_name(wire_type),
                'repeated ' if field.repeated else '', field.kind,
                ' or '.join(_wire.wire_type_name(w) for w in allowed)))


# ------------------------------------------------------------------ encoding
class Unpacked:
    """Marks the values of a repeated number field to be written one
    field per value, even where caffe.proto declares the field packed."""

    def __init__(self, values):
        self.values = values


class Packed:
    """Marks the values of a repeated number field to be written packed,
    even where caffe.proto does not declare it packed."""

    def __init__(self, values):
        self.values = values


def encode(message_name, values):
    """Serializes ``values`` (a dict of field name -> value, or a decoded
    :class:`Message`) as the message ``message_name``.

    Fields are written in field-number order, as protobuf does. Enum
    fields take a number or the value's name. Repeated number fields are
    packed where caffe.proto says ``[packed = true]``; wrap the values in
    :class:`Packed` or :class:`Unpacked` to override.

    Raises:
        ValueError, TypeError: unknown field names or values that do not
            fit the field.
    """
    spec = SCHEMA[message_name]
    if isinstance(values, Message):
        values = values.to_dict()
    if not isinstance(values, dict):
        raise TypeError('encode: {} needs a dict of fields, got {}'.format(
            message_name, type(values).__name__))
    unknown = sorted(set(values) - set(spec.by_name))
    if unknown:
        raise ValueError('encode: {} has no field(s) {}; known fields: {}'
                         .format(message_name, ', '.join(unknown),
                                 ', '.join(sorted(spec.by_name))))
    out = []
    for field in spec.fields:
        if field.name in values and values[field.name] is not None:
            out.append(_encode_field(field, values[field.name],
                                     '{}.{}'.format(message_name,
                                                    field.name)))
    return b''.join(out)


def _encode_field(field, value, where):
    if not field.repeated:
        return _encode_one(field, value, where)
    packed = field.packed
    if isinstance(value, (Packed, Unpacked)):
        packed = isinstance(value, Packed)
        value = value.values
    if isinstance(value, (str, bytes, dict)):
        raise TypeError('encode: {} is repeated: give a list, got {}'.format(
            where, type(value).__name__))
    if field.kind in _FLOAT_DTYPES:
        array = numpy.asarray(value, dtype=_FLOAT_DTYPES[field.kind])
        array = array.reshape(-1)
        if packed:
            if array.size == 0:
                return b''
            return _wire.encode_len_field(field.number, array.tobytes())
        return b''.join(_encode_one(field, float(v), where) for v in array)
    items = list(value)
    if packed and field.kind in _VARINT_KINDS:
        if not items:
            return b''
        payload = b''.join(_wire.encode_varint(_varint_value(field, v, where))
                           for v in items)
        return _wire.encode_len_field(field.number, payload)
    return b''.join(_encode_one(field, v, where) for v in items)


def _encode_one(field, value, where):
    number = field.number
    if field.is_message:
        return _wire.encode_len_field(number, encode(field.kind, value))
    if field.kind == 'string':
        if not isinstance(value, str):
            raise TypeError('encode: {} must be a str, got {!r}'.format(
                where, value))
        return _wire.encode_len_field(number, value.encode('utf-8'))
    if field.kind == 'bytes':
        return _wire.encode_len_field(number, bytes(value))
    if field.kind == 'float':
        return _wire.encode_float_field(number, float(value))
    if field.kind == 'double':
        return _wire.encode_double_field(number, float(value))
    return _wire.encode_varint_field(number,
                                     _varint_value(field, value, where))


def _varint_value(field, value, where):
    if field.kind == 'enum' and isinstance(value, str):
        try:
            return field.enum[value]
        except KeyError:
            raise ValueError('encode: {} must be one of {}, got {!r}'.format(
                where, ', '.join(sorted(field.enum)), value)) from None
    if isinstance(value, (bool, numpy.bool_)):
        return int(value)
    if isinstance(value, float) or not hasattr(value, '__index__'):
        raise TypeError('encode: {} must be an integer, got {!r}'.format(
            where, value))
    return int(value)
