"""Elementwise linear interpolation ``p * x + (1 - p) * y``."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.math._elementwise import as_output


class LinearInterpolate(FunctionNode):

    _names = ('p', 'x', 'y')

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 3)
        _check.float_kind(self, 'p', in_data[0])
        _check.same_dtype(self, self._names, in_data)
        _check.same_shape(self, self._names, in_data)

    def forward(self, inputs):
        self.retain_inputs((0, 1, 2))
        p, x, y = inputs
        xp = backend.get_array_module(p, x, y)
        one = p.dtype.type(1)
        return as_output(xp.add(p * x, (one - p) * y), p.dtype),

    def backward(self, indexes, grad_outputs):
        p, x, y = self.get_retained_inputs()
        gz = grad_outputs[0]
        result = []
        for i in indexes:
            if i == 0:
                result.append(gz * (x - y))
            elif i == 1:
                result.append(gz * p)
            else:
                result.append(gz * (1 - p))
        return tuple(result)


def linear_interpolate(p, x, y):
    """Elementwise linear interpolation ``f(p, x, y) = p x + (1 - p) y``.

    Args:
        p (Variable or array): weights, float16/32/64.
        x (Variable or array): values where ``p == 1``; same shape and
            dtype as ``p``.
        y (Variable or array): values where ``p == 0``; same shape and
            dtype as ``p``.
    Returns:
        Variable of the common shape and dtype. Gradients: ``x - y`` for
        ``p``, ``p`` for ``x`` and ``1 - p`` for ``y``.
    """
    return LinearInterpolate().apply((p, x, y))[0]
