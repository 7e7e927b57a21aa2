"""Leaky rectifier."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


class LeakyReLU(FunctionNode):
    """``x`` for ``x > 0``, ``slope * x`` otherwise."""

    def __init__(self, slope=0.2):
        self.slope = slope

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])

    def forward(self, inputs):
        x = inputs[0]
        xp = backend.get_array_module(x)
        self._positive = x > x.dtype.type(0)
        return xp.where(self._positive, x, x * x.dtype.type(self.slope)),

    def backward(self, indexes, grad_outputs):
        gy = grad_outputs[0]
        xp = backend.get_array_module(self._positive)
        dtype = gy.dtype
        slope = xp.where(self._positive, dtype.type(1),
                         dtype.type(self.slope)).astype(dtype, copy=False)
        return gy * slope,


def leaky_relu(x, slope=0.2):
    """Leaky rectifier: ``x`` for ``x > 0`` and ``slope * x`` otherwise.

    As in Chainer, ``x == 0`` belongs to the sloped part: the gradient
    there is ``slope``. Double backprop is supported (the second
    derivative is 0).

    Args:
        x (Variable or array): float16/32/64 input of any shape.
        slope (float): the slope for ``x <= 0``.
    Returns:
        Variable of ``x``'s shape and dtype.
    """
    return LeakyReLU(slope).apply((x,))[0]
