"""Softplus ``log(1 + exp(beta * x)) / beta``."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


class Softplus(FunctionNode):

    def __init__(self, beta=1.0):
        self.beta = beta

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])

    def forward(self, inputs):
        self.retain_inputs((0,))
        x = inputs[0]
        xp = backend.get_array_module(x)
        t = x.dtype.type
        bx = x * t(self.beta)
        # max(bx, 0) + log1p(exp(-|bx|)): exp never overflows.
        y = xp.maximum(bx, t(0)) + xp.log1p(xp.exp(-abs(bx)))
        y *= t(1.0 / self.beta)
        return y,

    def backward(self, indexes, grad_outputs):
        from dynet.functions.activation.sigmoid import sigmoid
        x, = self.get_retained_inputs()
        return grad_outputs[0] * sigmoid(x * self.beta),


def softplus(x, beta=1.0):
    """Softplus ``log(1 + exp(beta * x)) / beta``, elementwise.

    Computed without overflow for large ``|beta * x|``. The gradient is
    ``sigmoid(beta * x)``; double backprop is supported.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
        beta (float): sharpness; large values approach ``max(x, 0)``.
    Returns:
        Variable of ``x``'s shape and dtype.
    """
    return Softplus(beta).apply((x,))[0]
