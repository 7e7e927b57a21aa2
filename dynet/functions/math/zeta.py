"""Hurwitz zeta function, differentiable in its second argument."""
import numbers

import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.math._elementwise import (
    as_output, special, sum_to_shape)


def _exponent_array(x):
    """``x`` of ``zeta(x, q)`` as an array (it is a constant of the node).
    """
    from dynet.variable import Variable
    if isinstance(x, Variable):
        if x.requires_grad:
            raise TypeError(
                'zeta: x must not require a gradient: zeta is '
                'differentiable only with respect to q (as in Chainer); '
                'pass x as an array or a Variable with requires_grad=False')
        x = x.array
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return numpy.asarray(x, dtype=numpy.float64)
    if not isinstance(x, backend.get_array_types()):
        raise TypeError('zeta: x must be a real number, an array or a '
                        'Variable, got {}'.format(type(x).__name__))
    if x.dtype.kind not in 'iuf':
        raise TypeError('zeta: x must hold real numbers (an integer or '
                        'floating-point array), got dtype {}'.format(
                            x.dtype))
    return x


class Zeta(FunctionNode):
    """``zeta(x, q)`` for the constant ``x``; the only input is ``q``."""

    label = 'zeta'

    def __init__(self, x):
        self.x = x

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        q, = in_data
        _check.float_kind(self, 'q', q)
        if self.x.shape != q.shape:
            _check.broadcastable(self, ('x', 'q'), (self.x, q))

    def _exponent(self, q):
        """``x`` on ``q``'s device."""
        return backend.get_device_from_array(q).send_array(self.x)

    def forward(self, inputs):
        self.retain_inputs((0,))
        q, = inputs
        x = self._exponent(q)
        return as_output(special(q, 'zeta').zeta(x, q), q.dtype),

    def backward(self, indexes, grad_outputs):
        # d/dq sum_n (q + n) ** -x = -x * sum_n (q + n) ** -(x + 1).
        q, = self.get_retained_inputs()
        x = self._exponent(q.array).astype(q.dtype, copy=False)
        gq = grad_outputs[0] * (zeta(x + 1, q) * -x)
        return sum_to_shape(gq, self.inputs[0].shape),


def zeta(x, q):
    """Elementwise Hurwitz zeta function ``zeta(x, q) = sum_{n >= 0}
    (q + n) ** -x``.

    Differentiable only with respect to ``q`` (as in Chainer): ``d/dq
    zeta(x, q) = -x * zeta(x + 1, q)``. The series converges for ``x > 1``;
    SciPy gives ``inf`` at ``x == 1`` and NaN below.

    The CPU computation needs SciPy (``scipy.special.zeta``; an
    ImportError names the missing package otherwise); on GPU it uses
    ``cupyx.scipy.special.zeta``.

    Args:
        x: the exponent: a real number, an integer or float array, or a
            Variable that does not require a gradient (it receives none).
        q (Variable or array): float16/32/64, broadcastable with ``x``.
    Returns:
        Variable of the broadcast shape and ``q``'s dtype. Double backprop
        is supported.
    """
    return Zeta(_exponent_array(x)).apply((q,))[0]
