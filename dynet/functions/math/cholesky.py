"""Cholesky decomposition of a symmetric positive-definite matrix."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.math.inv import _check_square, _linalg_input


def _not_positive_definite(func):
    return numpy.linalg.LinAlgError(
        '{}: the input is not positive definite (its lower triangle does '
        'not define a symmetric positive-definite matrix), so it has no '
        'Cholesky factor'.format(func.label))


def _half_lower_mask(n, dtype, xp):
    """Ones below the diagonal, 1/2 on it, zeros above: the elementwise
    map taking the lower triangle with the diagonal halved."""
    return xp.tri(n, dtype=dtype) - xp.eye(n, dtype=dtype) * dtype.type(0.5)


def _cholesky_cupy(xp, a):
    """CuPy reports failures only when asked to (cupyx.errstate)."""
    try:
        import cupyx
        errstate = cupyx.errstate
    except (ImportError, AttributeError):
        return xp.linalg.cholesky(a)
    with errstate(linalg='raise'):
        return xp.linalg.cholesky(a)


class Cholesky(FunctionNode):
    """Lower Cholesky factor ``L`` of each matrix of ``(..., n, n)``."""

    label = 'cholesky'

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        a, = in_data
        _check.float_kind(self, 'a', a)
        _check.ndim_at_least(self, 'a', a, 2)
        _check_square(self, a)

    def forward(self, inputs):
        self.retain_outputs((0,))
        a, = inputs
        xp = backend.get_array_module(a)
        try:
            if xp is numpy:
                y = numpy.linalg.cholesky(_linalg_input(a))
            else:
                y = _cholesky_cupy(xp, _linalg_input(a))
        except numpy.linalg.LinAlgError:
            raise _not_positive_definite(self) from None
        if xp is not numpy and not bool(xp.isfinite(y).all()):
            raise _not_positive_definite(self)
        return y.astype(a.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        # With A = L L^T and Phi(X) = lower triangle of X with the diagonal
        # halved: dL = L Phi(L^-1 dA L^-T). Its adjoint gives, for the
        # symmetric perturbation dA, S = L^-T Phi(L^T gL) L^-1. Only the
        # lower triangle of A is read, and an off-diagonal a_ij (i > j)
        # stands for both A_ij and A_ji, so gA = Phi(S + S^T) (lower
        # triangular, as in Chainer). Written with dynet functions:
        # differentiable again.
        from dynet.functions.array.axes import swapaxes
        from dynet.functions.math.inv import _inverse_any
        from dynet.functions.math.matmul import matmul
        y, = self.get_retained_outputs()
        gy = grad_outputs[0]
        xp = backend.get_array_module(y.array)
        mask = _half_lower_mask(y.shape[-1], y.dtype, xp)
        phi = matmul(y, gy, transa=True) * mask
        y_inv = _inverse_any(y)
        s = matmul(matmul(y_inv, phi, transa=True), y_inv)
        return (s + swapaxes(s, -1, -2)) * mask,


def cholesky(a):
    """Cholesky decomposition: the lower-triangular ``L`` with positive
    diagonal such that ``L @ L.T == a``.

    Only the lower triangle (with the diagonal) of ``a`` is read, as
    ``numpy.linalg.cholesky`` does; ``a`` is meant to be symmetric
    positive definite.

    Args:
        a (Variable or array): float16/32/64 matrix of shape ``(n, n)``,
            or a stack of them ``(..., n, n)`` (float16 is factorized in
            float32 and rounded back).
    Returns:
        Variable of ``a``'s shape and dtype. The gradient with respect to
        ``a`` is lower triangular (the upper triangle is not read). Raises
        ``numpy.linalg.LinAlgError`` (a ``ValueError``) when a matrix is
        not positive definite. Double backprop is supported.
    """
    return Cholesky().apply((a,))[0]
