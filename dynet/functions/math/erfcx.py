"""Scaled complementary error function."""
import math

from dynet.functions.math._elementwise import UnaryFloat, as_output, special

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


class Erfcx(UnaryFloat):

    label = 'erfcx'

    def forward(self, inputs):
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        x, = inputs
        return as_output(special(x, 'erfcx').erfcx(x), x.dtype),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        y, = self.get_retained_outputs()
        return grad_outputs[0] * (x * y * 2 - _TWO_OVER_SQRT_PI),


def erfcx(x):
    """Elementwise scaled complementary error function,
    ``erfcx(x) = exp(x**2) * erfc(x)``, without overflow or underflow for
    large ``|x|`` (``erfcx(x) ~ 1 / (x sqrt(pi))`` as ``x -> inf``).

    The CPU computation needs SciPy (``scipy.special.erfcx``; an
    ImportError names the missing package otherwise); on GPU it uses
    ``cupyx.scipy.special.erfcx``.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype
        (``d/dx erfcx(x) = 2 x erfcx(x) - 2 / sqrt(pi)``).
    """
    return Erfcx().apply((x,))[0]
