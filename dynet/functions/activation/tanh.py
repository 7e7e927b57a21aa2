"""Hyperbolic tangent."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


class Tanh(FunctionNode):

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])

    def forward(self, inputs):
        self.retain_outputs((0,))
        x = inputs[0]
        return backend.get_array_module(x).tanh(x),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return TanhGrad().apply((y, grad_outputs[0]))


class TanhGrad(FunctionNode):
    """``gy * (1 - y ** 2)`` from the output ``y`` of tanh and ``gy``."""

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        y, gy = inputs
        one = y.dtype.type(1)
        return gy * (one - y * y),

    def backward(self, indexes, grad_outputs):
        y, gy = self.get_retained_inputs()
        ggx = grad_outputs[0]
        result = []
        if 0 in indexes:
            result.append(ggx * gy * y * -2)
        if 1 in indexes:
            result.append(TanhGrad().apply((y, ggx))[0])
        return tuple(result)


def tanh(x):
    """Elementwise hyperbolic tangent.

    The gradient is ``1 - y ** 2``; double backprop is supported.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype.
    """
    return Tanh().apply((x,))[0]
