"""Gaussian error linear unit ``x * Phi(x)``."""
import math

import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check

_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _erfc_module(xp):
    """A module with a vectorized ``erfc`` for arrays of ``xp``."""
    if xp is numpy:
        try:
            import scipy.special
            return scipy.special
        except ImportError:
            return None
    import cupyx.scipy.special  # only reached with CuPy arrays
    return cupyx.scipy.special


_math_erfc = numpy.vectorize(math.erfc, otypes=[numpy.float64])


def _normal_cdf_array(x):
    """``Phi(x) = erfc(-x / sqrt(2)) / 2`` in ``x``'s dtype.

    erfc keeps full relative precision in the lower tail, where
    ``(1 + erf(.)) / 2`` would cancel.
    """
    xp = backend.get_array_module(x)
    work = numpy.float32 if x.dtype == numpy.float16 else x.dtype.type
    z = x.astype(work, copy=False) * work(-_SQRT_HALF)
    special = _erfc_module(xp)
    if special is not None:
        cdf = special.erfc(z)
    else:
        cdf = _math_erfc(z) if z.size else numpy.zeros(z.shape)
    cdf = xp.asarray(cdf) * 0.5
    return cdf.astype(x.dtype, copy=False)


class NormalCDF(FunctionNode):
    """The standard normal CDF ``Phi(x)``; its derivative is the density
    ``phi(x) = exp(-x**2 / 2) / sqrt(2 pi)``."""

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])

    def forward(self, inputs):
        self.retain_inputs((0,))
        return _normal_cdf_array(inputs[0]),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * _normal_pdf(x),


def _normal_pdf(x):
    from dynet.functions.math.exponential import exp
    return exp(x * x * -0.5) * _INV_SQRT_2PI


class GELU(FunctionNode):

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])

    def forward(self, inputs):
        self.retain_inputs((0,))
        x = inputs[0]
        return x * _normal_cdf_array(x),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        slope = NormalCDF().apply((x,))[0] + x * _normal_pdf(x)
        return grad_outputs[0] * slope,


def gelu(x):
    """Gaussian error linear unit ``x * Phi(x)``, elementwise.

    ``Phi`` is the standard normal CDF, computed exactly (through
    ``erfc``), not with the tanh approximation. The gradient is
    ``Phi(x) + x * phi(x)`` with the normal density ``phi``; derivatives
    of any order are supported.

    Chainer v7 has no ``F.gelu``; this is a dynet addition following the
    definition of Hendrycks and Gimpel (2016).

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype.
    """
    return GELU().apply((x,))[0]
