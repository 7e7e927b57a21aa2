"""Polygamma functions (derivatives of the digamma function)."""
import numbers

import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.math._elementwise import (
    as_output, special, sum_to_shape)


class PolyGamma(FunctionNode):

    label = 'polygamma'

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        n, x = in_data
        _check.int_kind(self, 'n', n)
        _check.float_kind(self, 'x', x)
        if n.shape != x.shape:
            _check.broadcastable(self, ('n', 'x'), in_data)

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        n, x = inputs
        return as_output(special(x, 'polygamma').polygamma(n, x), x.dtype),

    def backward(self, indexes, grad_outputs):
        n, x = self.get_retained_inputs()
        gx = grad_outputs[0] * polygamma(n.array + 1, x)
        return None, sum_to_shape(gx, self.inputs[1].shape)


def polygamma(n, x):
    """Elementwise polygamma function ``psi^(n)(x)``, the ``n``-th
    derivative of the digamma function (``n = 0`` is digamma itself).

    The CPU computation needs SciPy (``scipy.special.polygamma``; an
    ImportError names the missing package otherwise); on GPU it uses
    ``cupyx.scipy.special.polygamma``.

    Args:
        n (Variable, array or int): order(s) of the derivative, an integer
            array (a Python int is accepted too) broadcastable with ``x``.
            It receives no gradient.
        x (Variable or array): float16/32/64 input.
    Returns:
        Variable of the broadcast shape and ``x``'s dtype; its derivative
        in ``x`` is ``polygamma(n + 1, x)``.
    """
    if isinstance(n, (numbers.Integral, numpy.integer)) and \
            not isinstance(n, bool):
        xp = backend.get_array_module(x)
        n = xp.asarray(n)
    return PolyGamma().apply((n, x))[0]
