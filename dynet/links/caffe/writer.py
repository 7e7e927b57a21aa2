"""Writes small binary ``.caffemodel`` files from a Python description.

This is a tool for tests and fixtures (Caffe itself is not needed to make
a model for :class:`~dynet.links.caffe.CaffeFunction`); it is not a
converter from dynet models. Both Caffe formats can be written: the
current one (``NetParameter.layer``, blobs with a ``BlobShape``) and the
old V1 one (``NetParameter.layers``, enum layer types, blobs with the
legacy num/channels/height/width dimensions).

A layer is a dict whose keys are fields of Caffe's ``LayerParameter``
(``V1LayerParameter`` for ``format='v1'``), e.g.::

    from dynet.links.caffe import writer

    writer.save_caffemodel('tiny.caffemodel', [
        {'name': 'data', 'type': 'Input', 'top': 'data',
         'input_param': {'shape': [{'dim': [1, 3, 8, 8]}]}},
        {'name': 'conv1', 'type': 'Convolution', 'bottom': 'data',
         'top': 'conv1',
         'convolution_param': {'num_output': 4, 'kernel_size': [3],
                               'pad': [1]},
         'blobs': [W, b]},           # numpy arrays
        {'name': 'pool1', 'type': 'Pooling', 'bottom': 'conv1',
         'top': 'pool1',
         'pooling_param': {'pool': 'MAX', 'kernel_size': 2, 'stride': 2}},
    ])

- ``bottom`` and ``top`` may be a string or a list of strings.
- ``type`` is the type string (``'Convolution'``); in the V1 format the
  same names are translated to the enum (an enum name such as
  ``'CONVOLUTION'`` or its number is accepted too).
- ``blobs`` holds arrays (stored as float32 with their shape; in the V1
  format the shape is padded on the left with 1s to 4 axes, as Caffe did,
  so an InnerProduct weight (M, K) becomes (1, 1, M, K)), or
  :func:`blob` objects for the unusual cases.
- Enum fields take the value's name (``'MAX'``) or its number; message
  fields take dicts; repeated fields take lists.
"""
import os
import tempfile

import numpy

from dynet.links.caffe import _schema

__all__ = ['Blob', 'blob', 'net_to_bytes', 'save_caffemodel']

_TYPE_TO_V1 = {type_name: enum_name
               for enum_name, type_name in _schema.V1_TO_TYPE.items()}


class Blob:
    """A parameter blob with explicit storage options; see :func:`blob`."""

    def __init__(self, data, shape=None, legacy_shape=None, double=False,
                 packed=True):
        self.data = numpy.asarray(data)
        self.shape = None if shape is None else tuple(int(d) for d in shape)
        self.legacy_shape = legacy_shape
        self.double = bool(double)
        self.packed = bool(packed)

    def fields(self, v1):
        """The BlobProto fields of this blob."""
        values = self.data.reshape(-1)
        fields = {}
        if self.double:
            values = values.astype(numpy.float64, copy=False)
            key = 'double_data'
        else:
            values = values.astype(numpy.float32, copy=False)
            key = 'data'
        fields[key] = values if self.packed else _schema.Unpacked(values)
        legacy = self.legacy_shape
        if legacy is None and v1 and self.shape is None:
            legacy = True
        if legacy is True:
            dims = self.data.shape
            if len(dims) > 4:
                raise ValueError(
                    'writer: a blob of shape {} has more than 4 axes; the '
                    'legacy num/channels/height/width fields cannot hold it'
                    .format(dims))
            legacy = (1,) * (4 - len(dims)) + tuple(dims)
        if legacy:
            legacy = tuple(int(d) for d in legacy)
            if len(legacy) != 4:
                raise ValueError('writer: legacy_shape must have 4 values '
                                 '(num, channels, height, width), got {}'
                                 .format(legacy))
            fields.update(zip(('num', 'channels', 'height', 'width'),
                              legacy))
        else:
            shape = self.data.shape if self.shape is None else self.shape
            fields['shape'] = {'dim': list(shape)}
        return fields


def blob(data, shape=None, legacy_shape=None, double=False, packed=True):
    """A blob for :func:`net_to_bytes` with non-default storage.

    Args:
        data: the values (any shape; stored flat in C order).
        shape: the ``BlobShape`` to write instead of ``data.shape`` (it
            need not match, to make broken files).
        legacy_shape: True to write ``data.shape`` in the legacy
            num/channels/height/width fields, or those four numbers;
            False to write a ``BlobShape`` even in the V1 format.
        double: store ``double_data`` (float64) instead of ``data``.
        packed: False writes one field per value (the unpacked encoding,
            which readers must accept too).
    """
    return Blob(data, shape, legacy_shape, double, packed)


def net_to_bytes(layers, format='layer', name=None, input=None,
                 input_shape=None, input_dim=None):
    """The bytes of a binary ``NetParameter``.

    Args:
        layers (list of dict): the layers, in order (see the module
            documentation).
        format (str): ``'layer'`` (current) or ``'v1'``.
        name (str): the net's name.
        input (list of str): the old-style input blob names.
        input_shape (list of shapes): one shape per input (``input_shape``
            field).
        input_dim (list of int): the oldest style: 4 numbers per input.
    """
    if format not in ('layer', 'v1'):
        raise ValueError("writer: format must be 'layer' or 'v1', got {!r}"
                         .format(format))
    v1 = format == 'v1'
    net = {}
    if name is not None:
        net['name'] = name
    if input is not None:
        net['input'] = [input] if isinstance(input, str) else list(input)
    if input_shape is not None:
        net['input_shape'] = [{'dim': list(s)} for s in input_shape]
    if input_dim is not None:
        net['input_dim'] = list(input_dim)
    encoded = [_layer_fields(dict(layer), v1, i)
               for i, layer in enumerate(layers)]
    net['layers' if v1 else 'layer'] = encoded
    return _schema.encode('NetParameter', net)


def save_caffemodel(path, layers, format='layer', name=None, input=None,
                    input_shape=None, input_dim=None):
    """Writes :func:`net_to_bytes` to ``path`` atomically (a temporary
    file in the same directory, then ``os.replace``): ``path`` is never
    left half-written."""
    data = net_to_bytes(layers, format, name, input, input_shape, input_dim)
    directory = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(dir=directory, prefix='.caffemodel-',
                                suffix='.tmp')
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.remove(temp)
        except OSError:
            pass
        raise


def _layer_fields(layer, v1, index):
    if not isinstance(layer.get('name', ''), str):
        raise TypeError('writer: layer {} needs a str name'.format(index))
    for key in ('bottom', 'top'):
        if isinstance(layer.get(key), str):
            layer[key] = [layer[key]]
    if 'type' in layer and v1:
        layer['type'] = _v1_type(layer['type'])
    if 'blobs' in layer:
        layer['blobs'] = [
            (b if isinstance(b, Blob) else Blob(b)).fields(v1)
            for b in layer['blobs']]
    return layer


def _v1_type(type_name):
    if not isinstance(type_name, str):
        return type_name   # an enum number
    if type_name in _schema.V1_LAYER_TYPE:
        return type_name
    if type_name in _TYPE_TO_V1:
        return _TYPE_TO_V1[type_name]
    raise ValueError('writer: the V1 format has no layer type {!r}'.format(
        type_name))
