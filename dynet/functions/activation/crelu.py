"""Concatenated rectifier ``concat(relu(x), relu(-x))``."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


class CReLU(FunctionNode):

    def __init__(self, axis=1):
        self.axis = axis

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])
        _check.normalize_axis(self, self.axis, in_data[0].ndim)

    def forward(self, inputs):
        x = inputs[0]
        xp = backend.get_array_module(x)
        zero = x.dtype.type(0)
        self._positive = x > zero
        self._negative = x < zero
        return xp.concatenate(
            (xp.maximum(x, zero), xp.maximum(-x, zero)), axis=self.axis),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.array.get_item import get_item
        gy = grad_outputs[0]
        axis = self.axis % gy.ndim
        n = self.inputs[0].shape[axis]
        lead = (slice(None),) * axis
        g_pos = get_item(gy, lead + (slice(0, n),))
        g_neg = get_item(gy, lead + (slice(n, 2 * n),))
        return g_pos * self._positive - g_neg * self._negative,


def crelu(x, axis=1):
    """Concatenated ReLU: ``relu(x)`` and ``relu(-x)`` joined along
    ``axis``.

    Args:
        x (Variable or array): float16/32/64 input with ``x.ndim >= 1``.
        axis (int): the axis to concatenate along (negative counts from
            the end).
    Returns:
        Variable of ``x``'s dtype whose ``axis`` dimension is twice that
        of ``x``. The gradient at ``x == 0`` is 0 (as for ``relu``).
    """
    if not isinstance(axis, (int, numpy.integer)) or isinstance(axis, bool):
        raise TypeError('crelu: axis must be an int, got {!r}'.format(axis))
    return CReLU(axis).apply((x,))[0]
