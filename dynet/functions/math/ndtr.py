"""Standard normal cumulative distribution function."""
import math

from dynet.functions.math._elementwise import (
    UnaryFloat, as_output, slow_ndtr, special_or_fallback)

_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


class Ndtr(UnaryFloat):

    label = 'ndtr'

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        f = special_or_fallback(x, 'ndtr', 'ndtr', slow_ndtr)
        return as_output(f(x), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.exponential import exp
        from dynet.functions.math.square import square
        x, = self.get_retained_inputs()
        return grad_outputs[0] * (exp(square(x) * -0.5) * _INV_SQRT_2PI),


def ndtr(x):
    """Elementwise CDF of the standard normal distribution,
    ``ndtr(x) = (1 + erf(x / sqrt(2))) / 2``.

    On CPU it uses ``scipy.special.ndtr``; without SciPy it falls back to
    ``math.erfc`` element by element (slow; a PerformanceWarning is
    issued). On GPU it uses ``cupyx.scipy.special.ndtr``.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype; its derivative is the normal
        density ``exp(-x**2 / 2) / sqrt(2 pi)``.
    """
    return Ndtr().apply((x,))[0]
