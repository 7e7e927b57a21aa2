"""Logarithm of the absolute value of the gamma function."""
from dynet.functions.math._elementwise import UnaryFloat, as_output, special


class LGamma(UnaryFloat):

    label = 'lgamma'

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        return as_output(special(x, 'lgamma').gammaln(x), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.digamma import digamma
        x, = self.get_retained_inputs()
        return grad_outputs[0] * digamma(x),


def lgamma(x):
    """Elementwise ``log |Gamma(x)|``.

    The CPU computation needs SciPy (``scipy.special.gammaln``; an
    ImportError names the missing package otherwise); on GPU it uses
    ``cupyx.scipy.special.gammaln``. Poles (0, -1, -2, ...) give ``inf``.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype; its derivative is
        ``digamma(x)``.
    """
    return LGamma().apply((x,))[0]
