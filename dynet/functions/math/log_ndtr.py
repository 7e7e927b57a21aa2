"""Logarithm of the standard normal CDF."""
import math

import numpy

from dynet import backend
from dynet.functions.math._elementwise import UnaryFloat, as_output, special

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2 = 1.0 / math.sqrt(2.0)


class LogNdtr(UnaryFloat):

    label = 'log_ndtr'

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        return as_output(special(x, 'log_ndtr').log_ndtr(x), x.dtype),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * _LogNdtrGrad().apply((x,))[0],


def _grad_array(x, dtype):
    """``h(x) = pdf(x) / ndtr(x) = sqrt(2 / pi) / erfcx(-x / sqrt(2))`` in
    ``dtype`` (at least float32): finite everywhere, about ``-x`` for large
    negative ``x`` and 0 where erfcx overflows for large positive ``x``."""
    z = x.astype(dtype, copy=False) * -_INV_SQRT_2
    with numpy.errstate(over='ignore'):
        return _SQRT_2_OVER_PI / special(x, 'log_ndtr').erfcx(z)


def _mills_offset(x, h):
    """``x + h(x)`` without the cancellation of the two terms for large
    negative ``x``: below -30 it is ``x s / (1 + s)`` where ``1 + s`` is the
    asymptotic series of ``-x / h(x)`` (``s = -1/x^2 + 3/x^4 - ...``, six
    terms: a relative error of 2e-13 at -30, falling fast beyond, where the
    direct sum ``x + h`` would lose ``log10(x^2)`` digits)."""
    xp = backend.get_array_module(x)
    # The series is evaluated everywhere (cheap) but used only below -30.
    t = 1 / xp.maximum(x * x, 900.0)
    s = -t * (1 - t * (3 - t * (15 - t * (105 - t * (945 - t * 10395)))))
    return xp.where(x < -30, x * s / (1 + s), x + h)


class _LogNdtrGrad(UnaryFloat):
    """``h(x) = d/dx log(ndtr(x))``; its derivative is
    ``h'(x) = -h(x) (x + h(x))`` (``_LogNdtrGradGrad``)."""

    label = 'log_ndtr_grad'

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        dtype = numpy.promote_types(x.dtype, numpy.float32)
        return as_output(_grad_array(x, dtype), x.dtype),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * _LogNdtrGradGrad().apply((x,))[0],


class _LogNdtrGradGrad(UnaryFloat):
    """``h'(x) = -h(x) (x + h(x))``, computed in float64 with the offset
    ``x + h`` free of cancellation, so the second derivative of log_ndtr
    is right (about -1) far in the negative tail. Higher derivatives are
    built from differentiable pieces."""

    label = 'log_ndtr_grad_grad'

    def forward(self, inputs):
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        x, = inputs
        x64 = x.astype(numpy.float64, copy=False)
        h = _grad_array(x64, numpy.float64)
        return as_output(-h * _mills_offset(x64, h), x.dtype),

    def backward(self, indexes, grad_outputs):
        # h'' = -h' (x + h) - h (1 + h')
        x, = self.get_retained_inputs()
        h1, = self.get_retained_outputs()
        h = _LogNdtrGrad().apply((x,))[0]
        return -(grad_outputs[0] * (h1 * (x + h) + h * (h1 + 1))),


def log_ndtr(x):
    """Elementwise logarithm of the standard normal CDF,
    ``log(ndtr(x))``, accurate for large negative ``x`` (where ``ndtr``
    underflows to 0) and for large positive ``x`` (where it rounds to 1).

    The CPU computation needs SciPy (``scipy.special.log_ndtr``; an
    ImportError names the missing package otherwise); on GPU it uses
    ``cupyx.scipy.special.log_ndtr``. The gradient ``pdf(x) / ndtr(x)`` is
    computed as ``sqrt(2/pi) / erfcx(-x / sqrt(2))``, stable at both ends,
    and is itself differentiable (``h' = -h (x + h)``, computed without
    cancellation in the negative tail).

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype.
    """
    return LogNdtr().apply((x,))[0]
