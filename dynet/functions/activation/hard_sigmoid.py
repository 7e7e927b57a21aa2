"""Piecewise-linear approximation of the sigmoid."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


class HardSigmoid(FunctionNode):
    """``clip(0.2 * x + 0.5, 0, 1)``."""

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])

    def forward(self, inputs):
        x = inputs[0]
        xp = backend.get_array_module(x)
        t = x.dtype.type
        self._linear = (x > t(-2.5)) & (x < t(2.5))
        return xp.clip(x * t(0.2) + t(0.5), t(0), t(1)),

    def backward(self, indexes, grad_outputs):
        gy = grad_outputs[0]
        return gy * (self._linear * gy.dtype.type(0.2)),


def hard_sigmoid(x):
    """Hard sigmoid ``clip(0.2 * x + 0.5, 0, 1)``, elementwise.

    The gradient is 0.2 on ``-2.5 < x < 2.5`` and 0 elsewhere (also at
    the kinks ``x == ±2.5``).

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype.
    """
    return HardSigmoid().apply((x,))[0]
