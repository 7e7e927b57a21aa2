"""Reversing the order of elements along an axis: ``flip``, ``fliplr``,
``flipud``."""
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.array import _array_utils as _u


class Flip(FunctionNode):

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
        return x[(slice(None),) * axis + (slice(None, None, -1),)],

    def backward(self, indexes, grad_outputs):
        return flip(grad_outputs[0], self.axis),


class FlipLR(Flip):

    def __init__(self):
        self.axis = 1

    def _normalized_axis(self, x):
        _check.ndim_at_least(self, 'a', x, 2)
        return 1

    def backward(self, indexes, grad_outputs):
        return fliplr(grad_outputs[0]),


class FlipUD(Flip):

    def __init__(self):
        self.axis = 0

    def _normalized_axis(self, x):
        _check.ndim_at_least(self, 'a', x, 1)
        return 0

    def backward(self, indexes, grad_outputs):
        return flipud(grad_outputs[0]),


def flip(x, axis):
    """Reverses the order of elements along ``axis``.

    Args:
        x: Variable or array with ``ndim >= 1``.
        axis (int): the axis to flip; negative values count from the end.
    Returns:
        Variable (a view of ``x``'s data with a negative stride).
    """
    return Flip(axis).apply((x,))[0]


def fliplr(a):
    """Flips ``a`` in the left/right direction (axis 1); ``a.ndim >= 2``.

    Returns:
        Variable of ``a``'s shape.
    """
    return FlipLR().apply((a,))[0]


def flipud(a):
    """Flips ``a`` in the up/down direction (axis 0); ``a.ndim >= 1``.

    Returns:
        Variable of ``a``'s shape.
    """
    return FlipUD().apply((a,))[0]
