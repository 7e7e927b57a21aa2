"""Determinant of one square matrix (``det``) or of a batch
(``batch_det``)."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.math.inv import _check_square, _linalg_input


class _Determinant(FunctionNode):
    """Determinant of each matrix of a stack of shape ``(..., n, n)``."""

    _ndim = None

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        a, = in_data
        _check.float_kind(self, 'a', a)
        _check.ndim_equal(self, 'a', a, self._ndim)
        _check_square(self, a)

    def forward(self, inputs):
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        a, = inputs
        xp = backend.get_array_module(a)
        y = xp.asarray(xp.linalg.det(_linalg_input(a)))
        return y.astype(a.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        # d det(A) / dA = det(A) * A^-T (Jacobi's formula); differentiable
        # again through the inverse and the retained output.
        from dynet.functions.array.broadcast import broadcast_to
        from dynet.functions.array.reshape import reshape
        from dynet.functions.array.transpose import transpose
        from dynet.functions.math.inv import _inverse_any
        a, = self.get_retained_inputs()
        y, = self.get_retained_outputs()
        perm = tuple(range(a.ndim - 2)) + (a.ndim - 1, a.ndim - 2)
        inv_t = _inverse_any(transpose(a, perm))
        scale = reshape(grad_outputs[0] * y, y.shape + (1, 1))
        return broadcast_to(scale, a.shape) * inv_t,


class Det(_Determinant):
    _ndim = 2


class BatchDet(_Determinant):
    _ndim = 3


def det(a):
    """Determinant of a square matrix.

    Args:
        a: Variable or array of shape ``(n, n)``, float16/32/64 (float16 is
            computed in float32 and rounded back).
    Returns:
        0-dim Variable of ``a``'s dtype. The gradient is ``det(a) *
        inv(a).T``; backward raises ``numpy.linalg.LinAlgError`` for a
        singular matrix (as Chainer, whose gradient also needs the
        inverse). Double backprop is supported.
    """
    return Det().apply((a,))[0]


def batch_det(a):
    """Determinant of each matrix of a batch.

    Args:
        a: Variable or array of shape ``(m, n, n)``, float16/32/64.
    Returns:
        Variable of shape ``(m,)`` and ``a``'s dtype. Backward raises
        ``numpy.linalg.LinAlgError`` if a matrix is singular. Double
        backprop is supported.
    """
    return BatchDet().apply((a,))[0]
