"""Matrix inverse of one square matrix (``inv``) or of a batch
(``batch_inv``)."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


def _check_square(func, a):
    if a.shape[-1] != a.shape[-2]:
        _check.fail(func, 'a.shape[-1] == a.shape[-2] (square matrices)',
                    'a.shape == {}'.format(a.shape))


def _linalg_input(a):
    """NumPy's and CuPy's linalg refuse float16: work in float32."""
    return a.astype(numpy.float32) if a.dtype == numpy.float16 else a


def _singular_error(func):
    return numpy.linalg.LinAlgError(
        '{}: the input has singular matrices, which have no inverse'.format(
            func.label))


class _MatrixInverse(FunctionNode):
    """Inverse of each matrix of a stack of shape ``(..., n, n)``."""

    _ndim = None  # the exact ndim the public function accepts

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        a, = in_data
        _check.float_kind(self, 'a', a)
        if self._ndim is None:
            _check.ndim_at_least(self, 'a', a, 2)
        else:
            _check.ndim_equal(self, 'a', a, self._ndim)
        _check_square(self, a)

    def forward(self, inputs):
        self.retain_outputs((0,))
        a, = inputs
        xp = backend.get_array_module(a)
        try:
            y = xp.linalg.inv(_linalg_input(a))
        except numpy.linalg.LinAlgError:
            raise _singular_error(self) from None
        if xp is not numpy and not bool(xp.isfinite(y).all()):
            # CuPy reports singular input with non-finite values.
            raise _singular_error(self)
        return y.astype(a.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        # d(A^-1) = -A^-1 dA A^-1, so gA = -A^-T gY A^-T.
        from dynet.functions.math.matmul import matmul
        y, = self.get_retained_outputs()
        gy = grad_outputs[0]
        return -matmul(matmul(y, gy, transa=True), y, transb=True),


class Inv(_MatrixInverse):
    _ndim = 2


class BatchInv(_MatrixInverse):
    _ndim = 3


def _inverse_any(a):
    """Inverse of a stack of matrices of any ndim >= 2 (private)."""
    return _MatrixInverse().apply((a,))[0]


def inv(a):
    """Inverse of a square matrix.

    Args:
        a: Variable or array of shape ``(n, n)``, float16/32/64 (float16 is
            inverted in float32 and rounded back).
    Returns:
        Variable of ``a``'s shape and dtype with ``a @ y == I``. Raises
        ``numpy.linalg.LinAlgError`` (a ``ValueError``) for a singular
        matrix. Double backprop is supported.
    """
    return Inv().apply((a,))[0]


def batch_inv(a):
    """Inverse of each matrix of a batch.

    Args:
        a: Variable or array of shape ``(m, n, n)`` (``m`` matrices),
            float16/32/64.
    Returns:
        Variable of ``a``'s shape and dtype. Raises
        ``numpy.linalg.LinAlgError`` (a ``ValueError``) if any matrix is
        singular. Double backprop is supported.
    """
    return BatchInv().apply((a,))[0]
