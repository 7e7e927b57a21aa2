"""``dynet.onnx.export``: runs a model once and writes the recorded graph
as an ONNX model.

How it works: the model is called on the example arguments (as
Variables that require a gradient, so every operation is recorded) while
a function hook notes each applied FunctionNode and its input arrays.
The graph is then walked backwards from the outputs through each
Variable's creator. Leaves are graph inputs, the model's parameters and
persistent arrays (initializers named by their path, ``conv1.W``), or
constants (Constant nodes). Each FunctionNode is written by the converter
registered for its class in ``_export_ops``.
"""
import collections
import os

import numpy

from dynet import __version__, function_hook
from dynet.config import using_config
from dynet.link import Link
from dynet.onnx import _export_ops
from dynet.onnx._builder import GraphBuilder
from dynet.onnx._util import (
    check_opset_version, require_onnx, to_numpy)
from dynet.variable import Parameter, Variable

_CALLER = 'dynet.onnx.export'


def export(model, args, filename=None, export_params=True, graph_name='Graph',
           save_text=False, opset_version=None, train=False, input_names=None,
           output_names=None, return_named_inout=False):
    """Exports a model to ONNX by running it once on example arguments.

    The model is called as ``model(*args)`` (a list or tuple),
    ``model(**args)`` (a dict) or ``model(args)`` (a single array or
    Variable) with ``config.train`` set to ``train``; the operations it
    applies are converted to ONNX nodes. Shapes are fixed to those of the
    example arguments.

    Args:
        model: a :class:`~dynet.Link` (or any callable; only a Link's
            parameters and persistent arrays become named initializers).
        args: an array or Variable, a list/tuple of them, or a dict of
            them keyed by argument name.
        filename (str, path-like or file object): where to write the
            model (binary protobuf); written atomically. None: not saved.
        export_params (bool): if True the parameters are stored as
            initializers; if False they become graph inputs without values.
        graph_name (str): the ``name`` of the ONNX graph.
        save_text (bool): also write a readable dump to ``filename +
            '.txt'`` (needs ``filename`` to be a path).
        opset_version (int): ONNX opset to write, 13 to 24 (default 17).
        train (bool): run the model in training mode (e.g. batch
            normalization by batch statistics).
        input_names (str, list or dict): names of the graph inputs, one per
            argument; a dict maps argument keys (dict ``args``) to names.
            Default: the keys of a dict ``args``, else ``Input_0``, ...
        output_names (str, list or dict): names of the graph outputs, one
            per model output; a dict maps the keys of a dict returned by
            the model. Default: its keys, else ``Output_0``, ...
        return_named_inout (bool): also return the named inputs and
            outputs.

    Returns:
        ``onnx.ModelProto``, or ``(model_proto, inputs, outputs)`` with
        ``inputs``/``outputs`` OrderedDicts from graph names to the
        Variables of the traced run when ``return_named_inout`` is True.
    """
    onnx = require_onnx(_CALLER)
    opset = check_opset_version(_CALLER, opset_version)
    if not callable(model):
        raise TypeError('{}: model must be a Link or a callable, got {}'
                        .format(_CALLER, type(model).__name__))
    if not isinstance(graph_name, str):
        raise TypeError('{}: graph_name must be a str, got {}'.format(
            _CALLER, type(graph_name).__name__))
    _check_destination(filename, save_text)

    positional, keywords, inputs = _prepare_inputs(args, input_names)
    hook = _TraceHook()
    with using_config('train', bool(train)), \
            using_config('enable_backprop', True), \
            using_config('in_recomputing', True), hook:
        # in_recomputing: links such as BatchNormalization leave their
        # running statistics alone during this extra forward pass.
        result = model(*positional, **keywords)
    outputs = _name_outputs(result, output_names)

    model_proto = _build_model(onnx, opset, model, hook, inputs, outputs,
                               export_params, graph_name)
    if filename is not None:
        _write(filename, model_proto, save_text)
    if return_named_inout:
        return model_proto, inputs, outputs
    return model_proto


# ---------------------------------------------------------------- inputs
def _is_array(value):
    from dynet.backend import get_array_types
    return isinstance(value, get_array_types())


def _as_input_variable(value, where):
    if isinstance(value, Variable):
        array = value.array
    elif _is_array(value):
        array = value
    else:
        raise TypeError(
            '{}: {} must be an array or a Variable, got {}'.format(
                _CALLER, where, type(value).__name__))
    if array is None:
        raise ValueError('{}: {} is a Variable without data'.format(
            _CALLER, where))
    # A fresh Variable that requires a gradient (integer inputs too), so
    # that every operation on it is recorded; backward is never run.
    return Variable(array, requires_grad=True)


def _prepare_inputs(args, input_names):
    """``(positional, keywords, named inputs)`` for calling the model."""
    if isinstance(args, dict):
        keys = list(args)
        for key in keys:
            if not isinstance(key, str):
                raise TypeError('{}: the keys of a dict args must be str, '
                                'got {!r}'.format(_CALLER, key))
        variables = [_as_input_variable(args[k], 'args[{!r}]'.format(k))
                     for k in keys]
        positional, keywords = [], dict(zip(keys, variables))
        defaults = keys
    elif isinstance(args, (list, tuple)):
        keys = list(range(len(args)))
        variables = [_as_input_variable(a, 'args[{}]'.format(i))
                     for i, a in enumerate(args)]
        positional, keywords = variables, {}
        defaults = ['Input_{}'.format(i) for i in keys]
    elif isinstance(args, Variable) or _is_array(args):
        keys = [0]
        variables = [_as_input_variable(args, 'args')]
        positional, keywords = variables, {}
        defaults = ['Input_0']
    else:
        raise TypeError(
            '{}: args must be an array, a Variable, or a list, tuple or '
            'dict of them, got {}'.format(_CALLER, type(args).__name__))
    names = _apply_names('input_names', input_names, keys, defaults,
                         isinstance(args, dict))
    return positional, keywords, collections.OrderedDict(
        zip(names, variables))


def _apply_names(arg_name, given, keys, defaults, keyed):
    """The graph names of values with ``keys``: ``defaults`` overridden
    by ``given`` (a str, a list/tuple or a dict)."""
    if given is None:
        names = list(defaults)
    elif isinstance(given, str):
        if len(keys) != 1:
            raise ValueError('{}: {} is one name but there are {} values'
                             .format(_CALLER, arg_name, len(keys)))
        names = [given]
    elif isinstance(given, (list, tuple)):
        if len(given) != len(keys):
            raise ValueError('{}: {} has {} names but there are {} values'
                             .format(_CALLER, arg_name, len(given),
                                     len(keys)))
        names = list(given)
    elif isinstance(given, dict):
        if not keyed:
            raise TypeError('{}: {} may be a dict only when the values are '
                            'keyed (a dict)'.format(_CALLER, arg_name))
        unknown = [k for k in given if k not in keys]
        if unknown:
            raise ValueError('{}: {} has unknown keys {}; the keys are {}'
                             .format(_CALLER, arg_name, unknown, keys))
        names = [given.get(k, d) for k, d in zip(keys, defaults)]
    else:
        raise TypeError('{}: {} must be a str, a list, a tuple or a dict, '
                        'got {}'.format(_CALLER, arg_name,
                                        type(given).__name__))
    for name in names:
        if not isinstance(name, str) or not name:
            raise TypeError('{}: the entries of {} must be non-empty str, '
                            'got {!r}'.format(_CALLER, arg_name, name))
    if len(set(names)) != len(names):
        raise ValueError('{}: {} has duplicate names: {}'.format(
            _CALLER, arg_name, names))
    return names


def _name_outputs(result, output_names):
    """An OrderedDict graph name -> output Variable."""
    if isinstance(result, Variable):
        values, keys, keyed = [result], [0], False
        defaults = ['Output_0']
    elif isinstance(result, (list, tuple)):
        values, keys, keyed = list(result), list(range(len(result))), False
        defaults = ['Output_{}'.format(i) for i in keys]
    elif isinstance(result, dict):
        keys = list(result)
        values, keyed = [result[k] for k in keys], True
        defaults = [str(k) for k in keys]
    else:
        raise TypeError(
            '{}: the model must return a Variable, or a list, tuple or dict '
            'of Variables, got {}'.format(_CALLER, type(result).__name__))
    if not values:
        raise ValueError('{}: the model returned no outputs'.format(_CALLER))
    for key, value in zip(keys, values):
        if not isinstance(value, Variable):
            raise TypeError('{}: output {!r} of the model must be a '
                            'Variable, got {}'.format(
                                _CALLER, key, type(value).__name__))
    names = _apply_names('output_names', output_names, keys, defaults, keyed)
    return collections.OrderedDict(zip(names, values))


# ----------------------------------------------------------------- trace
class _TraceHook(function_hook.FunctionHook):
    """Records every function applied during the traced call, in order,
    with its input arrays (constants are read from here)."""

    name = 'dynet.onnx.export'

    def __init__(self):
        self.order = {}       # id(function) -> application index
        self.in_data = {}     # id(function) -> tuple of input arrays
        self._functions = []  # keeps the ids above valid

    def forward_preprocess(self, function, in_data):
        key = id(function)
        if key not in self.order:
            self.order[key] = len(self._functions)
            self._functions.append(function)
            self.in_data[key] = tuple(in_data)


def _walk(hook, inputs, outputs):
    """The traced functions the outputs depend on (in application order)
    and the leaf nodes with their arrays."""
    input_ids = {id(v.node) for v in inputs.values()}
    functions = {}
    leaf_arrays = {}
    for var in outputs.values():
        leaf_arrays.setdefault(id(var.node), var.array)
    stack = [var.node for var in outputs.values()]
    visited = set()
    leaves = []
    first_use = {}
    while stack:
        node = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if id(node) in input_ids:
            continue
        creator = node.creator_node
        if creator is None or id(creator) not in hook.order:
            # Made before the trace, or by a function of constants only.
            leaves.append(node)
            continue
        functions[id(creator)] = creator
        arrays = hook.in_data[id(creator)]
        order = hook.order[id(creator)]
        for index, in_node in enumerate(creator.inputs):
            leaf_arrays.setdefault(id(in_node), arrays[index])
            use = (order, index)
            first_use[id(in_node)] = min(first_use.get(id(in_node), use),
                                         use)
            stack.append(in_node)
    ordered = sorted(functions.values(), key=lambda f: hook.order[id(f)])
    # Leaves in the order the model first used them (outputs that are
    # leaves last), so that the initializers come out in a stable order.
    last = (len(hook.order), 0)
    leaves.sort(key=lambda n: first_use.get(id(n), last))
    return ordered, leaves, leaf_arrays


def _model_state(model):
    """``({id(param): name}, {id(array): name})`` for the parameters and
    persistent arrays of a Link, named by path with dots."""
    params, persistents = {}, {}
    if not isinstance(model, Link):
        return params, persistents
    for path, param in model.namedparams():
        params.setdefault(id(param), _dotted(path))
    for path, link in model.namedlinks():
        for attr in getattr(link, '_persistent', ()):
            value = getattr(link, attr, None)
            if _is_array(value):
                full = path.rstrip('/') + '/' + attr
                persistents.setdefault(id(value), _dotted(full))
    return params, persistents


def _dotted(path):
    return path.strip('/').replace('/', '.')


# ----------------------------------------------------------------- build
def _elem_type(onnx, dtype, what):
    try:
        return onnx.helper.np_dtype_to_tensor_dtype(numpy.dtype(dtype))
    except (KeyError, TypeError, ValueError):
        raise TypeError('{}: {} has dtype {}, which ONNX cannot hold'.format(
            _CALLER, what, dtype)) from None


def _build_model(onnx, opset, model, hook, inputs, outputs, export_params,
                 graph_name):
    helper = onnx.helper
    g = GraphBuilder(onnx, opset)
    names = {}
    for name, var in inputs.items():
        names[id(var.node)] = g.reserve(name)
    for name in outputs:
        if name not in names.values():
            g.reserve(name)
        else:
            raise ValueError('{}: the output name {!r} is also an input '
                             'name'.format(_CALLER, name))

    functions, leaves, leaf_arrays = _walk(hook, inputs, outputs)
    param_names, persistent_names = _model_state(model)
    graph_inputs = [helper.make_tensor_value_info(
        name, _elem_type(onnx, var.dtype, 'input ' + name), var.shape)
        for name, var in inputs.items()]

    named_leaves = set()
    for node in leaves:
        array = leaf_arrays[id(node)]
        var = node.get_variable_or_none()
        name = None
        if isinstance(var, Parameter):
            name = param_names.get(id(var))
        if name is None:
            name = persistent_names.get(id(array))
        if name is None:
            names[id(node)] = g.constant(to_numpy(array), hint='Constant')
            continue
        names[id(node)] = name
        if name in named_leaves:
            # A persistent array fed to several functions (each wraps it
            # in a node of its own): one initializer.
            continue
        named_leaves.add(name)
        g.reserve(name)
        array = to_numpy(array)
        if export_params:
            g.initializer(name, array)
        else:
            graph_inputs.append(helper.make_tensor_value_info(
                name, _elem_type(onnx, array.dtype, name), array.shape))

    # Outputs computed by a function take the graph output name directly;
    # the others (inputs, leaves, repeated outputs) go through Identity.
    produced = {id(out()) for f in functions for out in f.outputs
                if out() is not None}
    identities = []
    for name, var in outputs.items():
        key = id(var.node)
        if key in produced and key not in names:
            names[key] = name
        else:
            identities.append((name, var.node))

    for function in functions:
        _export_ops.convert(g, function, names)
    for name, node in identities:
        g.op('Identity', [names[id(node)]], [name])

    graph_outputs = [helper.make_tensor_value_info(
        name, _elem_type(onnx, var.dtype, 'output ' + name), var.shape)
        for name, var in outputs.items()]
    graph = helper.make_graph(g.nodes, graph_name, graph_inputs,
                              graph_outputs, initializer=g.initializers)
    opset_ids = [helper.make_operatorsetid('', opset)]
    model_proto = helper.make_model(
        graph, producer_name='dynet', producer_version=__version__,
        opset_imports=opset_ids)
    model_proto.ir_version = helper.find_min_ir_version_for(opset_ids)
    onnx.checker.check_model(model_proto)
    return model_proto


# ----------------------------------------------------------------- write
def _check_destination(filename, save_text):
    if filename is None:
        if save_text:
            raise ValueError('{}: save_text=True needs a filename'.format(
                _CALLER))
        return
    if isinstance(filename, (str, bytes, os.PathLike)):
        return
    if not hasattr(filename, 'write'):
        raise TypeError('{}: filename must be a path or a binary file '
                        'object, got {}'.format(
                            _CALLER, type(filename).__name__))
    if save_text:
        raise ValueError('{}: save_text=True needs filename to be a path '
                         '(the text goes to filename + ".txt"), got a file '
                         'object'.format(_CALLER))


def _write(filename, model_proto, save_text):
    from dynet.serializers._atomic import atomic_write
    data = model_proto.SerializeToString()
    if not isinstance(filename, (str, bytes, os.PathLike)):
        filename.write(data)
        return
    path = os.fsdecode(filename)
    text = str(model_proto).encode('utf-8') if save_text else None
    with atomic_write(path) as f:
        f.write(data)
    if text is not None:
        with atomic_write(path + '.txt') as f:
            f.write(text)
