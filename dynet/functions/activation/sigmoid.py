"""Logistic sigmoid ``1 / (1 + exp(-x))``."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


def _sigmoid_array(x):
    """Overflow-free sigmoid of an array, in the array's dtype."""
    xp = backend.get_array_module(x)
    half = x.dtype.type(0.5)
    return xp.tanh(x * half) * half + half


class Sigmoid(FunctionNode):

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])

    def forward(self, inputs):
        self.retain_outputs((0,))
        return _sigmoid_array(inputs[0]),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return SigmoidGrad().apply((y, grad_outputs[0]))


class SigmoidGrad(FunctionNode):
    """``gy * y * (1 - y)`` from the sigmoid's output ``y`` and ``gy``."""

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        y, gy = inputs
        one = y.dtype.type(1)
        return gy * y * (one - y),

    def backward(self, indexes, grad_outputs):
        y, gy = self.get_retained_inputs()
        ggx = grad_outputs[0]
        result = []
        if 0 in indexes:
            result.append(ggx * gy * (1 - 2 * y))
        if 1 in indexes:
            result.append(SigmoidGrad().apply((y, ggx))[0])
        return tuple(result)


def sigmoid(x):
    """Elementwise logistic sigmoid ``1 / (1 + exp(-x))``.

    Computed as ``tanh(x / 2) / 2 + 1 / 2``, which never overflows.
    The gradient is ``y * (1 - y)``; double backprop is supported.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype.
    """
    return Sigmoid().apply((x,))[0]
