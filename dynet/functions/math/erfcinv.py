"""Inverse of the complementary error function."""
import math

from dynet.functions.math._elementwise import UnaryFloat, as_output, special

_HALF_SQRT_PI = math.sqrt(math.pi) / 2.0


class ErfcInv(UnaryFloat):

    label = 'erfcinv'

    def forward(self, inputs):
        self.retain_outputs((0,))
        x, = inputs
        return as_output(special(x, 'erfcinv').erfcinv(x), x.dtype),

    def backward(self, indexes, grad_outputs):
        # erfc'(y) = -2 / sqrt(pi) * exp(-y ** 2), so the inverse has the
        # derivative -sqrt(pi) / 2 * exp(y ** 2).
        from dynet.functions.math.exponential import exp
        from dynet.functions.math.square import square
        y, = self.get_retained_outputs()
        return grad_outputs[0] * (exp(square(y)) * -_HALF_SQRT_PI),


def erfcinv(x):
    """Elementwise inverse of the complementary error function:
    ``erfc(erfcinv(x)) = x``.

    The domain is ``[0, 2]``: ``erfcinv(0) = inf``, ``erfcinv(2) = -inf``
    and inputs outside it give NaN.

    The CPU computation needs SciPy (``scipy.special.erfcinv``; an
    ImportError names the missing package otherwise); on GPU it uses
    ``cupyx.scipy.special.erfcinv``.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype (``d/dx erfcinv(x) =
        -sqrt(pi) / 2 * exp(erfcinv(x)**2)``); double backprop is
        supported.
    """
    return ErfcInv().apply((x,))[0]
