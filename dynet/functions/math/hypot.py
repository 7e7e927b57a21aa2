"""Elementwise hypotenuse ``sqrt(x1**2 + x2**2)``."""
from dynet import backend
from dynet.functions.math._elementwise import (
    BinaryFloat, as_output, sum_to_shape)


class Hypot(BinaryFloat):

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        self.retain_outputs((0,))
        x1, x2 = inputs
        xp = backend.get_array_module(x1, x2)
        return as_output(xp.hypot(x1, x2), x1.dtype),

    def backward(self, indexes, grad_outputs):
        x1, x2 = self.get_retained_inputs()
        y, = self.get_retained_outputs()
        # d/dx1 = x1 / y, d/dx2 = x2 / y; at the origin (y == 0) both are
        # taken as 0 (a subgradient) instead of 0 / 0.
        safe_y = y + (y.array == 0)
        g = grad_outputs[0] / safe_y
        result = []
        for i in indexes:
            gx = g * (x1 if i == 0 else x2)
            result.append(sum_to_shape(gx, self.inputs[i].shape))
        return tuple(result)


def hypot(x1, x2):
    """Elementwise ``sqrt(x1**2 + x2**2)``, without intermediate overflow
    or underflow (NumPy's ``hypot``).

    Not a Chainer v7 function (dynet addition). Gradients are
    ``x1 / hypot`` and ``x2 / hypot``; at the origin both are 0.

    Args:
        x1 (Variable or array): float16/32/64 input.
        x2 (Variable or array): same dtype; the shapes are broadcast
            (NumPy rules).
    Returns:
        Variable of the broadcast shape and the inputs' dtype.
    """
    return Hypot().apply((x1, x2))[0]
