"""Repeating elements (``numpy.repeat``)."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.array import _array_utils as _u


def _repeat_array(x, repeats, axis):
    xp = backend.get_array_module(x)
    if len(repeats) == 1:
        repeats = repeats[0]
    else:
        repeats = list(repeats)
    return xp.repeat(x, repeats, axis)


class Repeat(FunctionNode):

    def __init__(self, repeats, axis=None):
        if _u.is_int(repeats):
            repeats = (int(repeats),)
        elif isinstance(repeats, (tuple, list)) and all(
                _u.is_int(r) for r in repeats):
            repeats = tuple(int(r) for r in repeats)
        else:
            raise TypeError('{}: repeats must be an int or a tuple of ints, '
                            'got {!r}'.format(self.label, repeats))
        if any(r < 0 for r in repeats):
            raise ValueError('{}: repeats must be non-negative, got {}'
                             .format(self.label, repeats))
        if axis is not None:
            axis = _u.require_int(self, 'axis', axis)
        self.repeats = repeats
        self.axis = axis

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        x = in_data[0]
        if self.axis is None:
            length = x.size
        else:
            if x.ndim == 0:
                _check.fail(self, 'x.ndim >= 1 (axis is given)',
                            'x.ndim == 0')
            length = x.shape[_u.axis_in(self, 'axis', self.axis, x.ndim)]
        if len(self.repeats) not in (1, length):
            _check.fail(self, 'len(repeats) in (1, {}) (the length of the '
                        'repeated axis)'.format(length),
                        'len(repeats) == {}'.format(len(self.repeats)))

    def forward(self, inputs):
        return _repeat_array(inputs[0], self.repeats, self.axis),

    def backward(self, indexes, grad_outputs):
        return RepeatGrad(self.repeats, self.axis,
                          self.inputs[0].shape).apply(grad_outputs)


class RepeatGrad(FunctionNode):
    """Sums each group of repeated copies back onto its source element."""

    def __init__(self, repeats, axis, shape):
        self.repeats = repeats
        self.axis = axis
        self.shape = shape

    def forward(self, inputs):
        gy = inputs[0]
        xp = backend.get_array_module(gy)
        # Repeating the flat indices of x tells where each gy element came
        # from.
        source = _repeat_array(_u.flat_index_map(xp, self.shape),
                               self.repeats, self.axis)
        size = int(numpy.prod(self.shape))
        gx = _u.scatter_sum(gy, source, size, gy.dtype)
        return gx.reshape(self.shape),

    def backward(self, indexes, grad_outputs):
        return Repeat(self.repeats, self.axis).apply(grad_outputs)


def repeat(x, repeats, axis=None):
    """Repeats elements of ``x`` (like ``numpy.repeat``).

    Args:
        x: Variable or array.
        repeats (int or tuple of ints): repetitions of every element, or of
            each element along ``axis`` (non-negative).
        axis (int or None): the axis to repeat along; None repeats the
            flattened ``x`` and returns a 1-d Variable.
    Returns:
        Variable of ``x``'s dtype.
    """
    return Repeat(repeats, axis).apply((x,))[0]
