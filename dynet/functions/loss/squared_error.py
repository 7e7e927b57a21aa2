"""Elementwise squared error ``(x0 - x1) ** 2``."""
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.loss import _util


class SquaredError(FunctionNode):

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        _check.float_kind(self, 'x0', in_data[0])
        _util.same_dtype_and_shape(self, ('x0', 'x1'), in_data)

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x0, x1 = inputs
        diff = x0 - x1
        return diff * diff,

    def backward(self, indexes, grad_outputs):
        x0, x1 = self.get_retained_inputs()
        gx0 = grad_outputs[0] * ((x0 - x1) * 2)
        return gx0, -gx0


def squared_error(x0, x1):
    """Elementwise squared error ``(x0 - x1) ** 2``.

    Args:
        x0, x1: Variables or arrays of one float dtype (float16/32/64) and
            one shape.
    Returns:
        Variable of that shape and dtype. Both inputs get gradients;
        differentiable twice.
    """
    return SquaredError().apply((x0, x1))[0]
