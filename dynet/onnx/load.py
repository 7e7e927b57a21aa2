"""``dynet.onnx.load``: builds a callable Chain from an ONNX model.

The float initializers become Parameters of the Chain (so the model can
be trained further and serialized); an initializer name with dots
(``conv1.W``, as written by :func:`dynet.onnx.export`) becomes a path of
child Chains, so that the parameters carry the names they had in the
exported model. Initializers holding running statistics (the mean and
variance of BatchNormalization) become persistent arrays; integer
initializers and those used only as shapes, axes or pads stay constants.
Calling the Chain runs the nodes in order with dynet functions.
"""
import collections
import os
import re

import numpy

from dynet.link import Chain, Link
from dynet.onnx import _import_ops
from dynet.onnx._import_ops import UnsupportedNodeError
from dynet.onnx._util import require_onnx
from dynet.variable import Parameter, Variable, as_variable

_CALLER = 'dynet.onnx.load'


def load(model, follow_train_config=False):
    """Builds a :class:`ONNXChain` from an ONNX model.

    Args:
        model: a path (str or path-like), a binary file object, the
            serialized bytes, or an ``onnx.ModelProto``.
        follow_train_config (bool): if False (the default) the Chain
            computes what the ONNX graph means, whatever
            ``config.train`` says (BatchNormalization by its running
            statistics, Dropout as the identity). If True, those two
            follow ``config.train`` as ``L.BatchNormalization`` and
            ``F.dropout`` do, for training the model further: in training
            mode batch statistics are used (and the running statistics
            updated in place) and Dropout drops.
    Returns:
        ONNXChain: a Chain called with the graph inputs (positionally in
        graph-input order, or by keyword with the input names) that
        returns the output Variable (a tuple of them when the graph has
        several outputs).
    Raises:
        UnsupportedNodeError: a node uses an operator (or an attribute
            value) that has no dynet equivalent; the message names the
            node and its op_type.
    """
    onnx = require_onnx(_CALLER)
    return ONNXChain(_read(onnx, model),
                     follow_train_config=follow_train_config)


def _read(onnx, model):
    if isinstance(model, onnx.ModelProto):
        return model
    if isinstance(model, (bytes, bytearray)):
        data = bytes(model)
    elif isinstance(model, (str, os.PathLike)):
        with open(model, 'rb') as f:
            data = f.read()
    elif hasattr(model, 'read'):
        data = model.read()
        if not isinstance(data, bytes):
            raise TypeError('{}: the file object must be opened in binary '
                            'mode'.format(_CALLER))
    else:
        raise TypeError(
            '{}: expected a path, a binary file object, bytes or an '
            'onnx.ModelProto, got {}'.format(_CALLER, type(model).__name__))
    proto = onnx.ModelProto()
    try:
        proto.ParseFromString(data)
    except Exception as error:  # protobuf's DecodeError
        raise ValueError('{}: the data is not a valid ONNX model ({})'
                         .format(_CALLER, error)) from None
    return proto


class _Node:
    """A node of the graph with its attributes as Python values."""

    __slots__ = ('op_type', 'name', 'inputs', 'outputs', 'attrs')

    def __init__(self, op_type, name, inputs, outputs, attrs):
        self.op_type = op_type
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.attrs = attrs


def _attribute_value(onnx, attribute, node_name, op_type):
    value = onnx.helper.get_attribute_value(attribute)
    if isinstance(value, onnx.TensorProto):
        return onnx.numpy_helper.to_array(value)
    if isinstance(value, onnx.GraphProto) or (
            isinstance(value, list) and value and
            isinstance(value[0], (onnx.GraphProto, onnx.TensorProto))):
        raise UnsupportedNodeError(
            '{}: node {!r} (op_type {}) is not supported: attribute {!r} '
            'holds a graph or tensors'.format(
                _CALLER, node_name, op_type, attribute.name))
    if isinstance(value, list):
        return [v.decode() if isinstance(v, bytes) else v for v in value]
    return value.decode() if isinstance(value, bytes) else value


class ONNXChain(Chain):
    """A Chain that runs an ONNX graph with dynet functions.

    Built by :func:`load`. Its parameters are the float initializers of
    the graph; BatchNormalization's running statistics are persistent
    arrays.

    Attributes:
        follow_train_config (bool): whether BatchNormalization and Dropout
            follow ``config.train`` (see :func:`load`); may be changed.
        input_names (list of str): the graph inputs, in call order.
        output_names (list of str): the graph outputs, in return order.
        opset_version (int): the model's default-domain opset.
    """

    def __init__(self, model_proto, follow_train_config=False):
        super().__init__()
        self.follow_train_config = bool(follow_train_config)
        onnx = require_onnx(_CALLER)
        graph = model_proto.graph
        self.opset_version = _default_opset(model_proto)
        initializers = collections.OrderedDict(
            (t.name, onnx.numpy_helper.to_array(t))
            for t in graph.initializer)
        nodes = [self._parse_node(onnx, n, i)
                 for i, n in enumerate(graph.node)]
        self.input_names = [v.name for v in graph.input
                            if v.name not in initializers]
        self.output_names = [v.name for v in graph.output]
        self._input_types = {v.name: _value_type(onnx, v)
                             for v in graph.input}
        self._nodes = nodes
        _check_order(nodes, set(self.input_names) | set(initializers),
                     self.output_names)

        kinds = _initializer_kinds(nodes, initializers)
        self._constants = {}
        self._state = {}            # initializer name -> (link, attribute)
        self._kinds = {}            # value name -> kind of value
        self._device_constants = None
        for name, array in initializers.items():
            kind = kinds[name]
            self._kinds[name] = kind
            if kind == 'constant':
                self._constants[name] = array
                continue
            link, attr = _place(self, name)
            if kind == 'param':
                with link.init_scope():
                    setattr(link, attr, Parameter(array.copy()))
            else:
                link.add_persistent(attr, array.copy())
            self._state[name] = (link, attr)

    def _parse_node(self, onnx, proto, index):
        name = proto.name or '{}_{}'.format(proto.op_type, index)
        if proto.domain not in ('', 'ai.onnx'):
            raise UnsupportedNodeError(
                '{}: node {!r} (op_type {}) is not supported: custom domain '
                '{!r}'.format(_CALLER, name, proto.op_type, proto.domain))
        if proto.op_type not in _import_ops.OPS:
            raise UnsupportedNodeError(
                '{}: node {!r} (op_type {}) is not supported: no dynet '
                'converter for this operator. Supported operators: {}'.format(
                    _CALLER, name, proto.op_type,
                    ', '.join(sorted(_import_ops.OPS))))
        attrs = {a.name: _attribute_value(onnx, a, name, proto.op_type)
                 for a in proto.attribute}
        return _Node(proto.op_type, name, list(proto.input),
                     list(proto.output), attrs)

    # ------------------------------------------------------------ calling
    def forward(self, *args, **kwargs):
        """Runs the graph.

        Args:
            args, kwargs: the graph inputs (arrays or Variables), positional
                in the order of ``input_names`` or by name.
        Returns:
            the output Variable, or a tuple of Variables when the graph has
            several outputs.
        """
        values = self._bind_inputs(args, kwargs)
        device = self.device
        values.update(self._constants_on_device())
        for name, (link, attr) in self._state.items():
            values[name] = getattr(link, attr)
        kinds = self._kinds
        for node in self._nodes:
            inputs = [values[n] if n else None for n in node.inputs]
            # Trailing omitted inputs are dropped, as if not given.
            while inputs and inputs[-1] is None:
                inputs.pop()
            input_kinds = [kinds.get(n) for n in node.inputs]
            converter = _import_ops.OPS[node.op_type][0]
            ctx = _import_ops.NodeContext(node, self.opset_version,
                                          input_kinds,
                                          self.follow_train_config)
            outputs = converter(ctx, inputs)
            if not isinstance(outputs, (list, tuple)):
                outputs = (outputs,)
            constant = all(not isinstance(x, Variable)
                           for x in inputs if x is not None)
            wanted = [n for n in node.outputs if n]
            if len(outputs) < len(node.outputs) and len(wanted) > len(
                    outputs):
                ctx.fail('{} outputs are used but only {} are computed'
                         .format(len(wanted), len(outputs)))
            for name, value in zip(node.outputs, outputs):
                if not name:
                    continue
                if constant and isinstance(value, Variable):
                    # A function of constants only: keep it a constant.
                    value = value.array
                if not isinstance(value, Variable):
                    # Constants made here (Constant, Shape...) join the
                    # Chain's device.
                    value = device.send(value)
                values[name] = value
        results = tuple(as_variable(values[name])
                        for name in self.output_names)
        return results[0] if len(results) == 1 else results

    def _bind_inputs(self, args, kwargs):
        names = self.input_names
        if len(args) > len(names):
            raise TypeError('{}: takes {} inputs ({}), got {} positional '
                            'arguments'.format(
                                self._label(), len(names), names, len(args)))
        bound = dict(zip(names, args))
        for key, value in kwargs.items():
            if key not in names:
                raise TypeError('{}: unknown input {!r}; the inputs are {}'
                                .format(self._label(), key, names))
            if key in bound:
                raise TypeError('{}: input {!r} given twice'.format(
                    self._label(), key))
            bound[key] = value
        missing = [n for n in names if n not in bound]
        if missing:
            raise TypeError('{}: missing inputs {} (the inputs are {})'
                            .format(self._label(), missing, names))
        values = {}
        for name in names:
            value = bound[name]
            if not isinstance(value, Variable):
                if not isinstance(value, _array_types()):
                    raise TypeError(
                        '{}: input {!r} must be an array or a Variable, got '
                        '{}'.format(self._label(), name,
                                    type(value).__name__))
                value = Variable(value, requires_grad=False)
            self._check_input(name, value)
            values[name] = value
        return values

    def _check_input(self, name, value):
        dtype, ndim = self._input_types.get(name, (None, None))
        if dtype is not None and value.dtype != dtype:
            raise TypeError('{}: input {!r} must have dtype {}, got {}'
                            .format(self._label(), name, dtype, value.dtype))
        if ndim is not None and value.ndim != ndim:
            raise ValueError('{}: input {!r} must have {} dimensions, got '
                             'shape {}'.format(self._label(), name, ndim,
                                               value.shape))

    def _constants_on_device(self):
        device = self.device
        cached = self._device_constants
        if cached is None or cached[0] != device:
            cached = (device, {name: device.send(array)
                               for name, array in self._constants.items()})
            self._device_constants = cached
        return cached[1]

    def _label(self):
        return 'ONNXChain'


# ------------------------------------------------------------ the graph
def _default_opset(model_proto):
    for entry in model_proto.opset_import:
        if entry.domain in ('', 'ai.onnx'):
            return int(entry.version)
    raise ValueError('{}: the model imports no version of the default '
                     'ONNX operator set'.format(_CALLER))


def _value_type(onnx, value_info):
    """``(dtype, ndim)`` of a graph input (None where unknown)."""
    tensor_type = value_info.type.tensor_type
    dtype = ndim = None
    if tensor_type.elem_type:
        try:
            dtype = numpy.dtype(onnx.helper.tensor_dtype_to_np_dtype(
                tensor_type.elem_type))
        except (KeyError, TypeError, ValueError):
            dtype = None
    if tensor_type.HasField('shape'):
        ndim = len(tensor_type.shape.dim)
    return dtype, ndim


def _check_order(nodes, known, outputs):
    known = set(known)
    for node in nodes:
        for name in node.inputs:
            if name and name not in known:
                raise ValueError(
                    '{}: node {!r} (op_type {}) reads {!r}, which no '
                    'earlier node, input or initializer defines (the nodes '
                    'must be in topological order)'.format(
                        _CALLER, node.name, node.op_type, name))
        known.update(n for n in node.outputs if n)
    for name in outputs:
        if name not in known:
            raise ValueError('{}: the graph output {!r} is never computed'
                             .format(_CALLER, name))


def _initializer_kinds(nodes, initializers):
    """'param', 'persistent' or 'constant' for each initializer, from how
    the nodes use it."""
    uses = collections.defaultdict(set)
    for node in nodes:
        _, static, statistics = _import_ops.OPS[node.op_type]
        for index, name in enumerate(node.inputs):
            if name in initializers:
                uses[name].add('static' if index in static else
                               'statistics' if index in statistics else
                               'data')
    kinds = {}
    for name, array in initializers.items():
        used = uses[name]
        if array.dtype.kind != 'f' or not used or used == {'static'}:
            kinds[name] = 'constant'
        elif used <= {'statistics', 'static'}:
            kinds[name] = 'persistent'
        else:
            kinds[name] = 'param'
    return kinds


_NOT_NAME = re.compile(r'[^0-9A-Za-z_]')


def _place(root, name):
    """``(link, attribute)`` where the initializer ``name`` lives: dotted
    names become paths of child Chains. Characters that cannot be in an
    attribute name become '_', and names taken by Chain attributes get a
    trailing '_'."""
    segments = [_NOT_NAME.sub('_', s) or '_' for s in name.split('.')]
    link = root
    for segment in segments[:-1]:
        child = link.__dict__.get(segment)
        if not (isinstance(child, Chain) and
                segment in link.__dict__.get('_children', ())):
            segment = _free_name(link, segment)
            child = Chain()
            link.add_link(segment, child)
        link = child
    return link, _free_name(link, segments[-1])


def _free_name(link, name):
    while hasattr(link, name) or name in Link.__dict__ or \
            name in Chain.__dict__:
        name += '_'
    return name


def _array_types():
    from dynet.backend import get_array_types
    return get_array_types()


__all__ = ['ONNXChain', 'UnsupportedNodeError', 'load']
