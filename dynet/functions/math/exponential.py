"""Natural exponential and logarithm."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


class _FloatUnary(FunctionNode):

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])


class Exp(_FloatUnary):

    def forward(self, inputs):
        self.retain_outputs((0,))
        x = inputs[0]
        return backend.get_array_module(x).exp(x),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return grad_outputs[0] * y,


def exp(x):
    """Elementwise ``e ** x`` (float inputs)."""
    return Exp().apply((x,))[0]


class Log(_FloatUnary):

    def forward(self, inputs):
        self.retain_inputs((0,))
        x = inputs[0]
        return backend.get_array_module(x).log(x),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] / x,


def log(x):
    """Elementwise natural logarithm (float inputs; ``log(0) = -inf``)."""
    return Log().apply((x,))[0]
