"""Old-style (Chainer v1 style) differentiable functions.

A :class:`Function` subclass implements ``forward`` and ``backward`` on raw
arrays.  Calling an instance (``MyFunc()(x, y)``) wraps it in a
:class:`FunctionAdapter`, a :class:`~dynet.FunctionNode` that is what the
graph actually records: its ``forward`` calls the function's ``forward``,
and its ``backward`` unwraps the output gradients to arrays, calls the
function's ``backward`` and wraps the results as Variables.

Because the gradients are computed on arrays, nothing of the backward
computation is recorded: an old-style function cannot be differentiated
twice.  With ``enable_double_backprop=True`` the gradients it produces are
marked, and a later backward pass that needs to go through them raises
``RuntimeError``.

Ownership follows Chainer: before it is applied, the Function owns its
adapter; once applied, the adapter (held by the graph) owns the Function
and the Function keeps only a weak reference to the adapter.
"""
import warnings
import weakref

import numpy

from dynet.backend._cupy import is_cupy_array
from dynet.config import config, force_backprop_mode, no_backprop_mode  # NOQA
from dynet.function_node import FunctionNode
from dynet.variable import Variable

__all__ = ['Function', 'FunctionAdapter', 'force_backprop_mode',
           'no_backprop_mode']


class FunctionAdapter(FunctionNode):
    """A :class:`FunctionNode` that runs an old-style :class:`Function`.

    Args:
        function (Function): the function to wrap.
    """

    _function = None        # strong reference, once applied
    _weak_function = None   # weak reference, before that

    def __init__(self, function):
        self._weak_function = weakref.ref(function)
        function._owned_node = self

    @property
    def function(self):
        """The wrapped :class:`Function`."""
        function = self._function
        if function is None:
            function = self._weak_function()
        return function

    @property
    def label(self):
        return self.function.label

    # ---------------------------------------------------------- checking
    def _check_inputs(self, in_data):
        function = self.function
        check = type(function).check_type_forward
        if check is Function.check_type_forward:
            return
        from dynet.utils import type_check
        type_check.check_types(function.check_type_forward, in_data,
                               self.label)

    def check_type_forward(self, in_types):
        self.function.check_type_forward(in_types)

    # ------------------------------------------------------------ forward
    def forward(self, inputs):
        # Old-style functions keep every input unless they say otherwise.
        self.retain_inputs(range(len(inputs)))
        outputs = self.function.forward(inputs)
        if isinstance(outputs, list):
            outputs = tuple(outputs)
        return outputs

    def _forward_output_error(self, outputs):
        raise TypeError(
            '{}.forward must return a tuple of arrays, got {}'.format(
                self.label, type(outputs).__name__))

    # ----------------------------------------------------------- backward
    def backward(self, target_input_indexes, grad_outputs):
        inputs = self.inputs
        in_data = tuple([x.data for x in inputs])
        grad_out_data = tuple([None if g is None else g._data
                               for g in grad_outputs])
        function = self.function
        device = _cupy_device(in_data + grad_out_data)
        if device is None:
            gxs = function.backward(in_data, grad_out_data)
        else:
            with device:
                gxs = function.backward(in_data, grad_out_data)
        gxs = self._check_grads(gxs)

        double = config.enable_backprop
        result = []
        for index in target_input_indexes:
            gx = gxs[index]
            if gx is None:
                result.append(None)
            elif double:
                result.append(self._marked_grad(gx))
            else:
                result.append(Variable._output(gx, False))
        return tuple(result)

    def _check_grads(self, gxs):
        label = self.label
        if isinstance(gxs, list):
            gxs = tuple(gxs)
        if not isinstance(gxs, tuple):
            raise TypeError(
                '{}.backward must return a tuple of arrays (None for no '
                'gradient), got {}'.format(label, type(gxs).__name__))
        inputs = self.inputs
        if len(gxs) != len(inputs):
            raise ValueError(
                '{}.backward returned {} gradients for {} inputs'.format(
                    label, len(gxs), len(inputs)))
        checked = []
        for index, (x, gx) in enumerate(zip(inputs, gxs)):
            if gx is None:
                checked.append(None)
                continue
            if isinstance(gx, numpy.generic):
                gx = numpy.asarray(gx)  # 0-d arithmetic yields scalars
            if isinstance(gx, Variable):
                raise TypeError(
                    '{}.backward must return arrays, not Variables (input '
                    '{}); an old-style Function works on arrays'.format(
                        label, index))
            if not (isinstance(gx, numpy.ndarray) or is_cupy_array(gx)):
                raise TypeError(
                    '{}.backward: the gradient of input {} must be an array '
                    'or None, got {}'.format(label, index,
                                             type(gx).__name__))
            if x.dtype is not None and gx.dtype != x.dtype:
                raise TypeError(
                    '{}.backward: the gradient of input {} has dtype {}, but '
                    'the input has dtype {}'.format(label, index, gx.dtype,
                                                    x.dtype))
            if x.shape is not None and gx.shape != x.shape:
                raise ValueError(
                    '{}.backward: the gradient of input {} has shape {}, but '
                    'the input has shape {}'.format(label, index, gx.shape,
                                                    x.shape))
            checked.append(gx)
        return tuple(checked)

    def _marked_grad(self, gx):
        """A gradient Variable whose creator refuses to be differentiated.

        It is linked to this function's inputs, so a backward pass that
        needs the derivative of this gradient reaches the marker and
        fails, instead of silently treating the gradient as a constant.
        """
        marker = _OldStyleGradient(self.label)
        marker.inputs = self.inputs
        marker.rank = self.rank
        variable = Variable(gx)
        node = variable.node
        node.creator_node = marker
        node.rank = self.rank + 1
        marker.outputs = (weakref.ref(node),)
        return variable


class _OldStyleGradient(FunctionNode):
    """Creator of a gradient made by an old-style function's backward."""

    def __init__(self, function_label):
        self._function_label = function_label

    @property
    def label(self):
        return '_OldStyleGradient({})'.format(self._function_label)

    def forward(self, inputs):  # never applied
        raise RuntimeError('_OldStyleGradient is not applied')

    def backward(self, target_input_indexes, grad_outputs):
        raise RuntimeError(
            'cannot differentiate twice through the old-style Function {!r}:'
            ' its backward works on arrays, so the gradients it returns are '
            'not part of a graph. Rewrite it as a FunctionNode to support '
            'double backprop.'.format(self._function_label))


def _cupy_device(arrays):
    for array in arrays:
        if array is not None and is_cupy_array(array):
            return array.device
    return None


class Function:
    """Old-style interface of a differentiable function.

    Subclasses implement ``forward`` (or ``forward_cpu`` / ``forward_gpu``)
    and ``backward`` (or ``backward_cpu`` / ``backward_gpu``) on tuples of
    arrays. All inputs are retained for ``backward`` unless ``forward``
    calls :meth:`retain_inputs`; outputs are retained only when it calls
    :meth:`retain_outputs`, and are then read as :attr:`output_data`.

    Unlike a :class:`~dynet.FunctionNode`, an old-style function cannot
    be differentiated twice.
    """

    _node = None         # weak reference to the adapter, once applied
    _owned_node = None   # the adapter, before it is applied

    def __call__(self, *inputs):
        """Applies the function to Variables and/or arrays.

        Returns:
            a Variable if the function has one output, otherwise a tuple of
            Variables.
        """
        node = self.node
        if node.inputs is not None or node.outputs is not None:
            # Already applied once: give this application its own node so
            # that the first one stays intact in its graph.
            previous = node
            node = FunctionAdapter(self)
            if previous._local_function_hooks:
                node._local_function_hooks = dict(
                    previous._local_function_hooks)
        # From now on the adapter (held by the graph) owns this function.
        node._function = self
        node._weak_function = None
        self._node = weakref.ref(node)
        self._owned_node = None
        outputs = node.apply(inputs)
        if len(outputs) == 1:
            return outputs[0]
        return outputs

    @property
    def node(self):
        """The :class:`FunctionAdapter` that represents this function in
        the graph."""
        ref = self._node
        node = ref() if ref is not None else self._owned_node
        if node is None:
            node = FunctionAdapter(self)
        return node

    @property
    def label(self):
        """Name of the function shown in messages and graphs."""
        return type(self).__name__

    @property
    def inputs(self):
        """The input ``VariableNode`` s of the last application."""
        return self.node.inputs

    @property
    def outputs(self):
        """Weak references to the output ``VariableNode`` s."""
        return self.node.outputs

    @property
    def output_data(self):
        """The retained output arrays (None for outputs not retained)."""
        return self.node.output_data

    @property
    def rank(self):
        return self.node.rank

    @property
    def stack(self):
        return self.node.stack

    @property
    def local_function_hooks(self):
        """Hooks registered to this function only (name -> hook)."""
        return self.node.local_function_hooks

    # ---------------------------------------------------- to implement
    def check_type_forward(self, in_types):
        """Override to check the inputs with ``dynet.utils.type_check``."""

    def forward(self, inputs):
        """Computes the output arrays (a tuple) from the input arrays.

        By default dispatches to ``forward_gpu`` if any input is a CuPy
        array and to ``forward_cpu`` otherwise.
        """
        for array in inputs:
            if is_cupy_array(array):
                return self.forward_gpu(inputs)
        return self.forward_cpu(inputs)

    def forward_cpu(self, inputs):
        raise NotImplementedError(
            '{} implements neither forward nor forward_cpu'.format(
                self.label))

    def forward_gpu(self, inputs):
        raise NotImplementedError(
            '{} implements neither forward nor forward_gpu'.format(
                self.label))

    def backward(self, inputs, grad_outputs):
        """Computes the input gradients (a tuple of arrays or None).

        Args:
            inputs: the input arrays (None for inputs not retained).
            grad_outputs: the output gradient arrays (None where an output
                received no gradient).

        By default dispatches to ``backward_gpu`` or ``backward_cpu``.
        """
        for array in inputs + grad_outputs:
            if array is not None and is_cupy_array(array):
                return self.backward_gpu(inputs, grad_outputs)
        return self.backward_cpu(inputs, grad_outputs)

    def backward_cpu(self, inputs, grad_outputs):
        """Default: no gradient for any input."""
        return tuple([None] * len(inputs))

    def backward_gpu(self, inputs, grad_outputs):
        """Default: no gradient for any input."""
        return tuple([None] * len(inputs))

    # ------------------------------------------------------ forwarding
    def unchain(self):
        """Disconnects the function's node from its inputs."""
        self.node.unchain()

    def add_hook(self, hook, name=None):
        """Registers a :class:`~dynet.FunctionHook` to this function."""
        self.node.add_hook(hook, name)

    def delete_hook(self, name):
        """Unregisters the function hook named ``name``."""
        self.node.delete_hook(name)

    def retain_inputs(self, indexes):
        """Keeps only the given inputs for backward (call in ``forward``);
        the others reach ``backward`` as None."""
        self.node.retain_inputs(indexes)

    def retain_outputs(self, indexes, retain_after_backward=False):
        """Keeps the given outputs for backward (call in ``forward``).

        ``retain_after_backward`` has no effect; it is accepted for
        backward compatibility.
        """
        if retain_after_backward:
            warnings.warn('retain_after_backward has no effect and will be '
                          'removed', DeprecationWarning, stacklevel=2)
        self.node.retain_outputs(indexes)

    def __repr__(self):
        return '<{} (old-style Function)>'.format(self.label)
