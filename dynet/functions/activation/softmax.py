"""Softmax along one axis."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


def _check_axis_type(func_name, axis):
    if not isinstance(axis, (int, numpy.integer)) or isinstance(axis, bool):
        raise TypeError('{}: axis must be an int, got {!r}'.format(
            func_name, axis))


class Softmax(FunctionNode):

    def __init__(self, axis=1):
        self.axis = axis

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])
        _check.normalize_axis(self, self.axis, in_data[0].ndim)

    def forward(self, inputs):
        self.retain_outputs((0,))
        x = inputs[0]
        if x.size == 0:
            return x.copy(),
        xp = backend.get_array_module(x)
        # Shifting by the maximum keeps exp() from overflowing.
        e = xp.exp(x - x.max(axis=self.axis, keepdims=True))
        e /= e.sum(axis=self.axis, keepdims=True)
        return e,

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.sum import sum as _sum
        y, = self.get_retained_outputs()
        gx = y * grad_outputs[0]
        return gx - y * _sum(gx, axis=self.axis, keepdims=True),


def softmax(x, axis=1):
    """Softmax ``exp(x) / sum(exp(x), axis)`` along ``axis``.

    Computed with the maximum along ``axis`` subtracted first, so large
    logits (e.g. ``1e4``) neither overflow nor give NaN.

    Args:
        x (Variable or array): float16/32/64 input with ``x.ndim >= 1``.
        axis (int): the axis to normalize over (negative counts from the
            end).
    Returns:
        Variable of ``x``'s shape and dtype whose entries along ``axis``
        are positive and sum to 1. Double backprop is supported.
    """
    _check_axis_type('softmax', axis)
    return Softmax(axis).apply((x,))[0]
