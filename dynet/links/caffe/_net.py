"""Reading a ``.caffemodel`` into a format-independent list of layers.

Both Caffe formats end up as :class:`LayerDef` objects: the current one
(``NetParameter.layer``, type strings, blobs with a ``BlobShape``) and the
V1 one (``NetParameter.layers``, an enum type, blobs with the legacy
num/channels/height/width dimensions). Every problem with the file itself
(truncated, not a NetParameter, a blob whose values do not fill its shape)
is reported here, with the file's name, before anything is built.
"""
import math
import warnings

from dynet.links.caffe import _schema
from dynet.links.caffe._wire import DecodeError

_V1_NAMES = {number: name for name, number in
             _schema.V1_LAYER_TYPE.items()}


class BlobDef:
    """A parameter blob: its Caffe shape and its values, flat.

    ``data`` is a read-only float32 (or float64, for ``double_data``)
    array, usually a view of the file's bytes. ``legacy`` tells whether the
    shape came from the old num/channels/height/width fields, which Caffe
    compares right-aligned (an InnerProduct weight (M, K) is stored as
    (1, 1, M, K), a bias (N,) as (1, 1, 1, N)).
    """

    __slots__ = ('shape', 'data', 'legacy')

    def __init__(self, shape, data, legacy):
        self.shape = tuple(int(d) for d in shape)
        self.data = data
        self.legacy = legacy

    @property
    def size(self):
        return self.data.size

    def shape_as(self, ndim):
        """The shape with ``ndim`` axes, or None if it has another number
        of axes (leading 1s of a legacy shape are dropped)."""
        shape = self.shape
        if len(shape) == ndim:
            return shape
        if self.legacy and len(shape) > ndim and \
                all(d == 1 for d in shape[:len(shape) - ndim]):
            return shape[len(shape) - ndim:]
        return None

    def __repr__(self):
        return 'BlobDef(shape={}, dtype={})'.format(self.shape,
                                                    self.data.dtype)


class LayerDef:
    """One layer of either format, with the current format's type name."""

    def __init__(self, message, type_name, blobs, v1):
        self.message = message
        self.name = message.name
        self.type = type_name
        self.bottom = list(message.bottom)
        self.top = list(message.top)
        self.blobs = blobs
        self.v1 = v1

    def param(self, name):
        """The per-type parameter message ``name`` (e.g.
        ``'convolution_param'``); its defaults when absent, or when the
        V1 format has no such field."""
        if name in self.message.spec.by_name:
            return getattr(self.message, name)
        return _schema.Message(
            _schema.SCHEMA[_schema.LAYER_PARAMS[name][2]], {})

    def has_param(self, name):
        return name in self.message.spec.by_name and self.message.has(name)


class NetDef:
    """The decoded net: its name, its layers in file order, the format."""

    def __init__(self, name, layers, v1, message):
        self.name = name
        self.layers = layers
        self.v1 = v1
        self.message = message


def read_net(path):
    """Reads and checks the binary NetParameter at ``path``.

    Raises:
        OSError: the file cannot be read.
        DecodeError: (a ValueError) the file is not a valid Caffe model.
    """
    with open(path, 'rb') as f:
        data = f.read()
    return parse_net(data, repr(str(path)))


def parse_net(data, source='the data'):
    """Decodes the bytes of a binary NetParameter; ``source`` names them in
    error messages."""
    prefix = 'CaffeFunction: cannot load {}: '.format(source)
    if not data:
        raise DecodeError(prefix + 'the file is empty')
    try:
        net = _schema.decode('NetParameter', data)
    except DecodeError as e:
        raise DecodeError(
            prefix + 'it is not a binary Caffe model (NetParameter): {}'
            .format(e)) from None
    if net.layer:
        if net.layers:
            warnings.warn(
                'CaffeFunction: {} has layers in both the current (layer) '
                'and the V1 (layers) format; the V1 layers are ignored'
                .format(source))
        messages, v1 = net.layer, False
    elif net.layers:
        messages, v1 = net.layers, True
    else:
        raise DecodeError(
            prefix + 'it holds no layers (neither the "layer" nor the V1 '
            '"layers" field of a NetParameter); is it a binary '
            '.caffemodel?')
    layers = []
    field = 'layers' if v1 else 'layer'
    for index, message in enumerate(messages):
        where = '{}[{}] ({!r})'.format(field, index, message.name)
        blobs = [_blob(blob, '{} blob {}'.format(where, i), prefix)
                 for i, blob in enumerate(message.blobs)]
        layers.append(LayerDef(message, _type_name(message, v1), blobs, v1))
    return NetDef(net.name, layers, v1, net)


def _type_name(message, v1):
    if not v1:
        return message.type
    number = message.type
    enum_name = _V1_NAMES.get(number)
    if enum_name is None:
        return 'V1 layer type {}'.format(number)
    if enum_name == 'NONE' and message.has('layer'):
        return 'V0 layer'
    return _schema.V1_TO_TYPE[enum_name]


def _blob(message, where, prefix):
    legacy = any(message.has(name)
                 for name in ('num', 'channels', 'height', 'width'))
    # Caffe's rule: the legacy 4-D dimensions win when any is set.
    if legacy:
        shape = (message.num, message.channels, message.height,
                 message.width)
    else:
        shape = tuple(message.shape.dim)
    if any(d < 0 for d in shape):
        raise DecodeError('{}{} has a negative dimension: shape {}'.format(
            prefix, where, shape))
    if message.double_data.size:
        data = message.double_data
    else:
        data = message.data
    expected = math.prod(shape)
    if data.size != expected:
        raise DecodeError(
            '{}{} holds {} values, but its shape {} needs {}'.format(
                prefix, where, data.size, shape, expected))
    return BlobDef(shape, data, legacy)
