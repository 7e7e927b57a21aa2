"""Hyperbolic sine and cosine (``tanh`` is an activation function)."""
from dynet import backend
from dynet.functions.math._elementwise import UnaryFloat, as_output


class Sinh(UnaryFloat):

    label = 'sinh'

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        return as_output(backend.get_array_module(x).sinh(x), x.dtype),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * cosh(x),


def sinh(x):
    """Elementwise hyperbolic sine, ``y = (exp(x) - exp(-x)) / 2``.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype (``d/dx sinh(x) = cosh(x)``).
    """
    return Sinh().apply((x,))[0]


class Cosh(UnaryFloat):

    label = 'cosh'

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        return as_output(backend.get_array_module(x).cosh(x), x.dtype),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * sinh(x),


def cosh(x):
    """Elementwise hyperbolic cosine, ``y = (exp(x) + exp(-x)) / 2``.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype (``d/dx cosh(x) = sinh(x)``).
    """
    return Cosh().apply((x,))[0]
