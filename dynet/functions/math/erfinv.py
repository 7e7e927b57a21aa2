"""Inverse error function."""
import math

from dynet.functions.math._elementwise import UnaryFloat, as_output, special

_HALF_SQRT_PI = math.sqrt(math.pi) / 2.0


class ErfInv(UnaryFloat):

    label = 'erfinv'

    def forward(self, inputs):
        self.retain_outputs((0,))
        x, = inputs
        return as_output(special(x, 'erfinv').erfinv(x), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.exponential import exp
        from dynet.functions.math.square import square
        y, = self.get_retained_outputs()
        return grad_outputs[0] * (exp(square(y)) * _HALF_SQRT_PI),


def erfinv(x):
    """Elementwise inverse error function: ``erf(erfinv(x)) = x``.

    ``erfinv(+-1) = +-inf``; inputs outside ``[-1, 1]`` give NaN.

    The CPU computation needs SciPy (``scipy.special.erfinv``; an
    ImportError names the missing package otherwise); on GPU it uses
    ``cupyx.scipy.special.erfinv``.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype
        (``d/dx erfinv(x) = sqrt(pi) / 2 * exp(erfinv(x)**2)``).
    """
    return ErfInv().apply((x,))[0]
