"""Elementwise absolute error ``|x0 - x1|``."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.loss import _util


class AbsoluteError(FunctionNode):

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        _check.float_kind(self, 'x0', in_data[0])
        _util.same_dtype_and_shape(self, ('x0', 'x1'), in_data)

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x0, x1 = inputs
        return abs(x0 - x1),

    def backward(self, indexes, grad_outputs):
        x0, x1 = self.inputs[0].data, self.inputs[1].data
        xp = backend.get_array_module(x0)
        # The sign is a constant: the second derivative is zero (as in
        # Chainer), also at x0 == x1, where the gradient is taken as 0.
        gx0 = grad_outputs[0] * xp.sign(x0 - x1)
        return gx0, -gx0


def absolute_error(x0, x1):
    """Elementwise absolute error ``|x0 - x1|``.

    Args:
        x0, x1: Variables or arrays of one float dtype (float16/32/64) and
            one shape.
    Returns:
        Variable of that shape and dtype. Both inputs get gradients
        (``gy * sign(x0 - x1)`` and its negation; 0 where ``x0 == x1``).
    """
    return AbsoluteError().apply((x0, x1))[0]
