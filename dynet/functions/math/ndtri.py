"""Inverse of the standard normal cumulative distribution function."""
import math

from dynet.functions.math._elementwise import UnaryFloat, as_output, special

_SQRT_2PI = math.sqrt(2.0 * math.pi)


class Ndtri(UnaryFloat):

    label = 'ndtri'

    def forward(self, inputs):
        self.retain_outputs((0,))
        x, = inputs
        return as_output(special(x, 'ndtri').ndtri(x), x.dtype),

    def backward(self, indexes, grad_outputs):
        # The derivative of the inverse is 1 / density(y), with the normal
        # density exp(-y ** 2 / 2) / sqrt(2 pi).
        from dynet.functions.math.exponential import exp
        from dynet.functions.math.square import square
        y, = self.get_retained_outputs()
        return grad_outputs[0] * (exp(square(y) * 0.5) * _SQRT_2PI),


def ndtri(x):
    """Elementwise inverse of :func:`ndtr`, the standard normal CDF
    (the normal quantile function): ``ndtr(ndtri(p)) = p``.

    The domain is ``[0, 1]``: ``ndtri(0) = -inf``, ``ndtri(1) = inf`` and
    inputs outside it give NaN.

    The CPU computation needs SciPy (``scipy.special.ndtri``; an
    ImportError names the missing package otherwise); on GPU it uses
    ``cupyx.scipy.special.ndtri``.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype (``d/dx ndtri(x) = sqrt(2 pi) *
        exp(ndtri(x)**2 / 2)``); double backprop is supported.
    """
    return Ndtri().apply((x,))[0]
