"""Square root and its reciprocal."""
from dynet import backend
from dynet.functions.math._elementwise import UnaryFloat, as_output


class Sqrt(UnaryFloat):

    label = 'sqrt'

    def forward(self, inputs):
        self.retain_outputs((0,))
        x, = inputs
        return as_output(backend.get_array_module(x).sqrt(x), x.dtype),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return grad_outputs[0] / (y * 2),


def sqrt(x):
    """Elementwise square root, ``y = sqrt(x)``.

    Negative inputs give NaN (as NumPy and CuPy). The gradient
    ``1 / (2 sqrt(x))`` is infinite at 0.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype.
    """
    return Sqrt().apply((x,))[0]


def rsqrt(x):
    """Elementwise reciprocal square root, ``y = 1 / sqrt(x)``.

    Computed as ``1 / sqrt(x)`` (as Chainer), so it is differentiable as
    many times as ``sqrt`` and the division are.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype.
    """
    return 1.0 / sqrt(x)
