"""Exponential linear unit."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


class ELU(FunctionNode):
    """``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` otherwise."""

    def __init__(self, alpha=1.0):
        self.alpha = float(alpha)

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])

    def forward(self, inputs):
        self.retain_outputs((0,))
        x = inputs[0]
        xp = backend.get_array_module(x)
        zero = x.dtype.type(0)
        self._positive = x > zero
        # expm1 only sees non-positive values: no overflow for large x.
        negative = xp.expm1(xp.minimum(x, zero)) * x.dtype.type(self.alpha)
        return xp.where(self._positive, x, negative),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return ELUGrad(self.alpha, self._positive).apply(
            (y, grad_outputs[0]))


class ELUGrad(FunctionNode):
    """``gy * (1 if x > 0 else y + alpha)`` (``y + alpha = alpha e^x``)."""

    def __init__(self, alpha, positive):
        self.alpha = alpha
        self.positive = positive

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        y, gy = inputs
        xp = backend.get_array_module(y)
        slope = xp.where(self.positive, y.dtype.type(1),
                         y + y.dtype.type(self.alpha))
        return gy * slope,

    def backward(self, indexes, grad_outputs):
        y, gy = self.get_retained_inputs()
        ggx = grad_outputs[0]
        result = []
        if 0 in indexes:
            # d(y + alpha)/dy = 1 on the negative branch, 0 elsewhere.
            result.append(ggx * gy * ~self.positive)
        if 1 in indexes:
            result.append(ELUGrad(self.alpha, self.positive).apply(
                (y, ggx))[0])
        return tuple(result)


def elu(x, alpha=1.0):
    """Exponential linear unit, elementwise.

    ``y = x`` for ``x > 0`` and ``alpha * (exp(x) - 1)`` for ``x <= 0``.
    As in Chainer, the gradient at ``x == 0`` is ``alpha`` (the left
    derivative). Double backprop is supported.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
        alpha (float): the scale of the negative part.
    Returns:
        Variable of ``x``'s shape and dtype.
    """
    return ELU(alpha).apply((x,))[0]
