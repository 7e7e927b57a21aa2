"""Clipped rectifier ``min(max(0, x), z)`` and ReLU6."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


class ClippedReLU(FunctionNode):
    """``min(max(0, x), z)``; the gradient is 1 on ``0 < x < z`` and 0
    elsewhere (also at both kinks)."""

    def __init__(self, z):
        if not isinstance(z, (float, numpy.floating)):
            raise TypeError('clipped_relu: z must be a float value, got {!r}'
                            .format(z))
        if not z > 0:
            raise ValueError('clipped_relu: z must be positive, got {!r}'
                             .format(z))
        self.cap = z

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])

    def forward(self, inputs):
        x = inputs[0]
        xp = backend.get_array_module(x)
        zero = x.dtype.type(0)
        cap = x.dtype.type(self.cap)
        self._mask = (x > zero) & (x < cap)
        return xp.minimum(xp.maximum(x, zero), cap),

    def backward(self, indexes, grad_outputs):
        return grad_outputs[0] * self._mask,


def clipped_relu(x, z=20.0):
    """Clipped rectifier ``min(max(0, x), z)``, elementwise.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
        z (float): the positive cap (a Python or NumPy float, as in
            Chainer; an int raises ``TypeError``).
    Returns:
        Variable of ``x``'s shape and dtype. The gradient is 1 where
        ``0 < x < z`` and 0 elsewhere, including ``x == 0`` and ``x == z``.
    """
    return ClippedReLU(z).apply((x,))[0]


def relu6(x):
    """ReLU6 ``min(max(0, x), 6)``, elementwise (``clipped_relu(x, 6.)``).

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype; the gradient is 1 on
        ``0 < x < 6`` and 0 elsewhere.
    """
    return ClippedReLU(6.0).apply((x,))[0]
