"""Complementary error function."""
import math

from dynet.functions.math._elementwise import (
    UnaryFloat, as_output, special_or_fallback)

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


class Erfc(UnaryFloat):

    label = 'erfc'

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        f = special_or_fallback(x, 'erfc', 'erfc', math.erfc)
        return as_output(f(x), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.exponential import exp
        from dynet.functions.math.square import square
        x, = self.get_retained_inputs()
        return grad_outputs[0] * (exp(-square(x)) * -_TWO_OVER_SQRT_PI),


def erfc(x):
    """Elementwise complementary error function, ``erfc(x) = 1 - erf(x)``,
    computed without the cancellation of ``1 - erf(x)`` for large ``x``.

    On CPU it uses ``scipy.special.erfc``; without SciPy it falls back to
    Python's ``math.erfc`` element by element (slow; a PerformanceWarning
    is issued). On GPU it uses ``cupyx.scipy.special.erfc``.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype
        (``d/dx erfc(x) = -2 / sqrt(pi) * exp(-x**2)``).
    """
    return Erfc().apply((x,))[0]
