"""Error function."""
import math

from dynet.functions.math._elementwise import (
    UnaryFloat, as_output, special_or_fallback)

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


class Erf(UnaryFloat):

    label = 'erf'

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        f = special_or_fallback(x, 'erf', 'erf', math.erf)
        return as_output(f(x), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.exponential import exp
        from dynet.functions.math.square import square
        x, = self.get_retained_inputs()
        return grad_outputs[0] * (exp(-square(x)) * _TWO_OVER_SQRT_PI),


def erf(x):
    """Elementwise error function,
    ``erf(x) = 2 / sqrt(pi) * integral_0^x exp(-t**2) dt``.

    On CPU it uses ``scipy.special.erf``; without SciPy it falls back to
    Python's ``math.erf`` element by element (slow; a PerformanceWarning
    is issued). On GPU it uses ``cupyx.scipy.special.erf``.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype
        (``d/dx erf(x) = 2 / sqrt(pi) * exp(-x**2)``).
    """
    return Erf().apply((x,))[0]
