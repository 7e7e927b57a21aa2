"""Digamma function (logarithmic derivative of the gamma function)."""
from dynet import backend
from dynet.functions.math._elementwise import UnaryFloat, as_output, special


class DiGamma(UnaryFloat):

    label = 'digamma'

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        return as_output(special(x, 'digamma').digamma(x), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.polygamma import polygamma
        x, = self.get_retained_inputs()
        one = backend.get_array_module(x.array).asarray(1)
        return grad_outputs[0] * polygamma(one, x),


def digamma(x):
    """Elementwise digamma function ``psi(x) = d/dx log Gamma(x)``.

    The CPU computation needs SciPy (``scipy.special.digamma``; an
    ImportError names the missing package otherwise); on GPU it uses
    ``cupyx.scipy.special.digamma``.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype; its derivative is
        ``polygamma(1, x)``.
    """
    return DiGamma().apply((x,))[0]
