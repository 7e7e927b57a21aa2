"""Splitting along an axis: ``split_axis`` (into pieces) and ``separate``
(into every slice, dropping the axis)."""
import collections.abc

import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.array import _array_utils as _u


def _parse_indices_or_sections(func, value):
    """Returns ``(indices, sections)``; exactly one of them is None."""
    if isinstance(value, numpy.ndarray) or (
            type(value).__module__.split('.')[0] == 'cupy' and
            hasattr(value, 'ndim')):
        array = backend.CpuDevice().send_array(value)
        if array.ndim > 1:
            raise TypeError('{}: indices_or_sections must be an int or a 1-D '
                            'sequence, got an array of shape {}'.format(
                                func.label, array.shape))
        if array.size and array.dtype.kind not in 'iu':
            raise TypeError('{}: indices_or_sections must hold integers, got '
                            'dtype {}'.format(func.label, array.dtype))
        if array.ndim == 0:
            value = int(array)
        else:
            value = [int(i) for i in array]
    if _u.is_int(value):
        sections = int(value)
        if sections <= 0:
            raise ValueError('{}: the number of sections must be positive, '
                             'got {}'.format(func.label, sections))
        return None, sections
    if isinstance(value, collections.abc.Sequence) and not isinstance(
            value, str):
        indices = list(value)
        if not all(_u.is_int(i) for i in indices):
            raise TypeError('{}: indices_or_sections must be an int or a '
                            'sequence of ints, got {!r}'.format(
                                func.label, value))
        indices = [int(i) for i in indices]
        if any(i < 0 for i in indices) or any(
                p > n for p, n in zip(indices, indices[1:])):
            raise ValueError('{}: indices must be non-negative and sorted, '
                             'got {}'.format(func.label, indices))
        return indices, None
    raise TypeError('{}: indices_or_sections must be an int or a 1-D '
                    'sequence of ints, got {}'.format(
                        func.label, type(value).__name__))


class SplitAxis(FunctionNode):

    def __init__(self, indices_or_sections, axis):
        self.indices, self.sections = _parse_indices_or_sections(
            self, indices_or_sections)
        self.axis = _u.require_int(self, 'axis', axis)

    def _normalized_axis(self, x):
        if x.ndim == 0:
            _check.fail(self, 'x.ndim >= 1', 'x.ndim == 0')
        return _u.axis_in(self, 'axis', self.axis, x.ndim)

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        x = in_data[0]
        axis = self._normalized_axis(x)
        size = x.shape[axis]
        if self.indices is not None:
            if self.indices and self.indices[-1] > size:
                _check.fail(self, 'x.shape[{}] >= {} (the last index)'.format(
                    axis, self.indices[-1]),
                    'x.shape[{}] == {}'.format(axis, size))
        elif size % self.sections:
            _check.fail(self, 'x.shape[{}] % sections == 0 (sections == {})'
                        .format(axis, self.sections),
                        'x.shape[{}] == {}'.format(axis, size))

    def forward(self, inputs):
        x = inputs[0]
        axis = self._normalized_axis(x)
        size = x.shape[axis]
        if self.indices is not None:
            bounds = [0] + [min(i, size) for i in self.indices] + [size]
        else:
            if size % self.sections:
                raise ValueError('{}: x.shape[{}] == {} is not divisible '
                                 'into {} sections'.format(
                                     self.label, axis, size, self.sections))
            step = size // self.sections
            bounds = [step * i for i in range(self.sections + 1)]
        self._axis = axis
        self._bounds = bounds
        lead = (slice(None),) * axis
        return tuple(x[lead + (slice(a, b),)]
                     for a, b in zip(bounds[:-1], bounds[1:]))

    def backward(self, indexes, grad_outputs):
        from dynet.functions.array.concat import concat
        node = self.inputs[0]
        xp = _u.array_module_of(grad_outputs)
        grads = []
        for gy, a, b in zip(grad_outputs, self._bounds[:-1],
                            self._bounds[1:]):
            if gy is None:
                shape = list(node.shape)
                shape[self._axis] = b - a
                gy = _u.zeros_variable(xp, tuple(shape), node.dtype)
            grads.append(gy)
        if len(grads) == 1:
            return grads[0],
        return concat(grads, self._axis),


def split_axis(x, indices_or_sections, axis, force_tuple=True):
    """Splits ``x`` into pieces along ``axis``.

    Args:
        x: Variable or array with ``ndim >= 1``.
        indices_or_sections (int or 1-D sequence of ints): an int ``N``
            splits into ``N`` equal pieces (``x.shape[axis]`` must be
            divisible by ``N``); a sorted sequence of non-negative indices
            (the last at most ``x.shape[axis]``) gives the split points,
            as in ``numpy.split``; pieces may be empty.
        axis (int): the axis to split; negative values count from the end.
        force_tuple (bool): if False and there is a single piece, return
            it as a Variable instead of a 1-tuple.
    Returns:
        tuple of Variables (or a Variable, see ``force_tuple``). Each piece
        receives its own gradient; pieces not used in the loss get zero.
    """
    outputs = SplitAxis(indices_or_sections, axis).apply((x,))
    if force_tuple or len(outputs) != 1:
        return outputs
    return outputs[0]


class Separate(FunctionNode):

    def __init__(self, axis):
        self.axis = _u.require_int(self, 'axis', axis)

    def _normalized_axis(self, x):
        if x.ndim == 0:
            _check.fail(self, 'x.ndim >= 1', 'x.ndim == 0')
        return _u.axis_in(self, 'axis', self.axis, x.ndim)

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        self._normalized_axis(in_data[0])

    def forward(self, inputs):
        x = inputs[0]
        axis = self._normalized_axis(x)
        self._axis = axis
        lead = (slice(None),) * axis
        # The Ellipsis keeps 0-dim results arrays (not NumPy scalars).
        return tuple(x[lead + (i, Ellipsis)] for i in range(x.shape[axis]))

    def backward(self, indexes, grad_outputs):
        from dynet.functions.array.stack import stack
        node = self.inputs[0]
        shape = node.shape[:self._axis] + node.shape[self._axis + 1:]
        xp = _u.array_module_of(grad_outputs)
        grads = [_u.zeros_variable(xp, shape, node.dtype) if g is None else g
                 for g in grad_outputs]
        return stack(grads, self._axis),


def separate(x, axis=0):
    """Separates ``x`` into its slices along ``axis``.

    ``separate(x, axis)[i]`` is ``x`` indexed with ``i`` on ``axis`` (the
    axis is removed). The inverse of ``stack``.

    Args:
        x: Variable or array with ``ndim >= 1``.
        axis (int): the axis to separate along.
    Returns:
        tuple of ``x.shape[axis]`` Variables.
    """
    return Separate(axis).apply((x,))
