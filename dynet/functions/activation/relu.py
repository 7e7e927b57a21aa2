"""Rectified linear unit."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


class ReLU(FunctionNode):

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])

    def forward(self, inputs):
        self.retain_outputs((0,))
        x = inputs[0]
        return backend.get_array_module(x).maximum(x, 0, dtype=x.dtype),

    def backward(self, indexes, grad_outputs):
        y = self.output_data[0]
        return grad_outputs[0] * (y > 0),


def relu(x):
    """``max(x, 0)`` elementwise (float inputs).

    The gradient at 0 is 0.
    """
    return ReLU().apply((x,))[0]
