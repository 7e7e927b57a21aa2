"""FunctionNode: one differentiable operation in the graph.

A subclass implements ``forward`` on raw arrays and ``backward`` with dynet
functions on Variables (so gradients are themselves differentiable).
``apply`` runs the forward pass and, when a gradient may be needed, records
the node in the graph.
"""
import traceback
import weakref

import numpy

from dynet import backend, function_hook
from dynet.backend._cupy import is_cupy_array
from dynet.config import config
from dynet.variable import Variable

_ndarray = numpy.ndarray
_hook_state = function_hook._state
_merged_hooks = function_hook.merged_hooks
_new_output = Variable._output


class FunctionNode:
    """Base class of differentiable functions.

    Attributes:
        inputs: tuple of the input ``VariableNode`` s (set by ``apply``).
        outputs: tuple of weak references to the output ``VariableNode`` s.
        rank: position in the graph; larger ranks run first in backward.
        stack: in debug mode, the stack where the node was applied.
    """

    inputs = None
    outputs = None
    rank = 0
    stack = None
    lazy_grad_sum = False
    _input_indexes_to_retain = None
    _output_indexes_to_retain = None
    _retained_output_data = None
    _local_function_hooks = None

    # ------------------------------------------------------------ applying
    def apply(self, inputs):
        """Computes the outputs and records this node in the graph.

        Args:
            inputs: a tuple or list of Variables and/or arrays.
        Returns:
            a tuple of output Variables.
        """
        in_data = []
        requires_grad = False
        uniform = True
        for x in inputs:
            if isinstance(x, Variable):
                array = x._data
                if x._requires_grad:
                    requires_grad = True
            else:
                array = x
            if type(array) is not _ndarray:
                uniform = False
            in_data.append(array)
        in_data = tuple(in_data)
        if not uniform:
            in_data = self._normalize_inputs(in_data)

        if config.type_check:
            self._check_inputs(in_data)

        hooks = _hook_state.function_hooks
        if hooks or self._local_function_hooks:
            # A snapshot: hooks may (un)register themselves while running.
            hooks = _merged_hooks(hooks, self._local_function_hooks)
            for hook in hooks:
                hook.forward_preprocess(self, in_data)

        self._input_indexes_to_retain = None
        self._output_indexes_to_retain = None
        outputs = self.forward(in_data)
        if type(outputs) is not tuple:
            outputs = self._forward_output_error(outputs)
        for y in outputs:
            if type(y) is not _ndarray:
                outputs = self._normalize_outputs(outputs)
                break

        if hooks:
            for hook in hooks:
                hook.forward_postprocess(self, in_data)
        if config.debug:
            self._check_finite_forward(outputs)

        out_vars = tuple([_new_output(y, requires_grad) for y in outputs])
        if requires_grad and config.enable_backprop:
            self._record(inputs, in_data, out_vars, outputs)
        return out_vars

    def _record(self, inputs, in_data, out_vars, outputs):
        """Links this node between its input and output nodes."""
        input_nodes = []
        rank = 0
        for x in inputs:
            if isinstance(x, Variable):
                node = x._node
                if node is None:
                    node = x.node
            else:
                node = Variable(x, requires_grad=False).node
            if node.rank > rank:
                rank = node.rank
            input_nodes.append(node)
        self.inputs = tuple(input_nodes)
        self.rank = rank
        out_rank = rank + 1
        output_refs = []
        for var in out_vars:
            node = var.node
            node.creator_node = self
            node.rank = out_rank
            output_refs.append(weakref.ref(node))
        self.outputs = tuple(output_refs)

        retain = self._input_indexes_to_retain
        if retain is not None:
            for index in retain:
                input_nodes[index].data = in_data[index]
        retain = self._output_indexes_to_retain
        if retain is not None:
            self._retained_output_data = tuple([outputs[i] for i in retain])
        if config.debug:
            self.stack = traceback.extract_stack()[:-2]

    def _normalize_inputs(self, in_data):
        """Slow path of ``apply``: scalars, CuPy arrays, bad inputs."""
        normalized = []
        device_id = None
        on_gpu = None
        for index, array in enumerate(in_data):
            if isinstance(array, _ndarray):
                gpu = False
            elif is_cupy_array(array):
                gpu = True
            elif isinstance(array, numpy.generic):
                array = numpy.asarray(array)
                gpu = False
            else:
                raise TypeError(
                    '{}: input {} must be a Variable, numpy.ndarray or '
                    'cupy.ndarray, got {}'.format(
                        self.label, index, type(array).__name__))
            if on_gpu is None:
                on_gpu = gpu
                device_id = array.device.id if gpu else None
            elif gpu != on_gpu or (gpu and array.device.id != device_id):
                raise ValueError(
                    '{}: all inputs must be on one device; input 0 is on {} '
                    'but input {} is on {}'.format(
                        self.label, _device_name(in_data[0]), index,
                        _device_name(array)))
            normalized.append(array)
        return tuple(normalized)

    def _normalize_outputs(self, outputs):
        normalized = []
        for index, y in enumerate(outputs):
            if isinstance(y, numpy.generic):
                y = numpy.asarray(y)
            elif not (isinstance(y, _ndarray) or is_cupy_array(y)):
                raise TypeError(
                    '{}.forward: output {} must be an array, got {}'.format(
                        self.label, index, type(y).__name__))
            normalized.append(y)
        return tuple(normalized)

    def _forward_output_error(self, outputs):
        raise TypeError(
            '{}.forward must return a tuple of arrays, got {}'.format(
                self.label, type(outputs).__name__))

    # ---------------------------------------------------------- checking
    def _check_inputs(self, in_data):
        """Validates the input arrays before ``forward``.

        dynet's own functions override this with direct checks; the
        default runs a user's ``check_type_forward`` (Chainer's type-check
        language) when the subclass defines one.
        """
        if type(self).check_type_forward is FunctionNode.check_type_forward:
            return
        from dynet.utils import type_check
        type_check.check_types(self.check_type_forward, in_data, self.label)

    def check_type_forward(self, in_types):
        """Override to check input types with ``utils.type_check``."""

    def _check_finite_forward(self, outputs):
        for index, y in enumerate(outputs):
            if y.dtype.kind == 'f' and not _all_finite(y):
                raise RuntimeError(
                    'NaN or Inf in output {} of {} (forward){}'.format(
                        index, self.label, _where(traceback.extract_stack(
                        )[:-3])))

    # ------------------------------------------------------------ forward
    def forward(self, inputs):
        """Computes the output arrays from the input arrays (a tuple)."""
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

    # ----------------------------------------------------------- backward
    def backward(self, target_input_indexes, grad_outputs):
        """Returns the gradients of the inputs as Variables (or None).

        Args:
            target_input_indexes: sorted indexes of the inputs that need a
                gradient.
            grad_outputs: one Variable (or None for "zero") per output.
        Returns:
            a tuple with one entry per input, or one per target index.
        """
        raise NotImplementedError(
            '{} does not implement backward'.format(self.label))

    def backward_accumulate(self, target_input_indexes, grad_outputs,
                            grad_inputs):
        """Like ``backward`` but adds to gradients already computed for the
        targets (``grad_inputs``); override to fuse the addition."""
        gxs = self.backward(target_input_indexes, grad_outputs)
        count = len(target_input_indexes)
        if len(gxs) != count:
            if len(gxs) != len(self.inputs):
                raise ValueError(
                    '{}.backward returned {} gradients; expected {} (one per '
                    'input) or {} (one per target)'.format(
                        self.label, len(gxs), len(self.inputs), count))
            gxs = tuple([gxs[i] for i in target_input_indexes])
        result = []
        for gx, g_input in zip(gxs, grad_inputs):
            if g_input is None:
                result.append(gx)
            elif gx is None:
                result.append(g_input)
            else:
                result.append(gx + g_input)
        return tuple(result)

    # ---------------------------------------------------------- retention
    def retain_inputs(self, indexes):
        """Keeps the given inputs' arrays for backward (call in forward)."""
        self._input_indexes_to_retain = tuple(indexes)

    def retain_outputs(self, indexes):
        """Keeps the given outputs' arrays for backward (call in forward)."""
        self._output_indexes_to_retain = tuple(indexes)

    def get_retained_inputs(self):
        """The retained inputs as Variables connected to the graph."""
        indexes = self._input_indexes_to_retain
        if indexes is None:
            return ()
        return tuple([self.inputs[i].get_variable() for i in indexes])

    def get_retained_outputs(self):
        """The retained outputs as Variables connected to the graph.

        An output whose Variable (and node) is already gone gets a fresh
        node created by this function, so gradients flowing through the
        returned Variable (double backprop) still reach the inputs.
        """
        indexes = self._output_indexes_to_retain
        if indexes is None:
            return ()
        result = []
        outputs = list(self.outputs)
        for index, data in zip(indexes, self._retained_output_data):
            node = outputs[index]()
            if node is None:
                variable = Variable(data)
                node = variable.node
                node.creator_node = self
                node.rank = self.rank + 1
                node.data = data
                outputs[index] = weakref.ref(node)
                result.append(variable)
                continue
            if node.data is None:
                node.data = data
            result.append(node.get_variable())
        self.outputs = tuple(outputs)
        return tuple(result)

    @property
    def output_data(self):
        """The retained output arrays (None for outputs not retained)."""
        if self._output_indexes_to_retain is None or self.outputs is None:
            return None
        data = [None] * len(self.outputs)
        for index, array in zip(self._output_indexes_to_retain,
                                self._retained_output_data):
            data[index] = array
        return tuple(data)

    # ---------------------------------------------------------- the graph
    def unchain(self):
        """Disconnects this node from its inputs and drops retained data."""
        if self.outputs is not None:
            for ref in self.outputs:
                node = ref()
                if node is not None and node.creator_node is self:
                    node.creator_node = None
                    node.rank = 0
        self.inputs = None
        self._retained_output_data = None

    @property
    def label(self):
        return type(self).__name__

    # --------------------------------------------------------------- hooks
    @property
    def local_function_hooks(self):
        if self._local_function_hooks is None:
            self._local_function_hooks = {}
        return self._local_function_hooks

    def add_hook(self, hook, name=None):
        if not isinstance(hook, function_hook.FunctionHook):
            raise TypeError('add_hook: hook must be a FunctionHook, got {}'
                            .format(type(hook).__name__))
        name = hook.name if name is None else name
        if name in self.local_function_hooks:
            raise KeyError('{}: a hook named {!r} is already added'.format(
                self.label, name))
        self.local_function_hooks[name] = hook
        hook.added(self)

    def delete_hook(self, name):
        if name not in self.local_function_hooks:
            raise KeyError('{}: no hook named {!r}'.format(self.label, name))
        hook = self.local_function_hooks.pop(name)
        hook.deleted(self)

    def __repr__(self):
        return '<{} rank={}>'.format(self.label, self.rank)


def _device_name(array):
    return '@cupy:{}'.format(array.device.id) if is_cupy_array(array) \
        else '@numpy'


def _all_finite(array):
    xp = backend.get_array_module(array)
    return bool(xp.isfinite(array).all())


def _where(stack):
    if not stack:
        return ''
    return '\nThe function was called at:\n' + ''.join(
        traceback.format_list(stack[-5:]))
