"""Elementwise square."""
from dynet import backend
from dynet.functions.math._elementwise import UnaryFloat, as_output


class Square(UnaryFloat):

    label = 'square'

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        return as_output(backend.get_array_module(x).square(x), x.dtype),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * (x * 2),


def square(x):
    """Elementwise square, ``y = x ** 2``.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype (``d/dx x**2 = 2x``).
    """
    return Square().apply((x,))[0]
