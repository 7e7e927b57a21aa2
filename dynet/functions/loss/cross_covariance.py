"""Cross-covariance penalty between two batches of features."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.loss import _util

_REDUCE = ('half_squared_sum', 'no')


def _centered_variable(x, n):
    """``x - mean(x, axis=0)`` as a differentiable Variable."""
    from dynet.functions.math.sum import sum as _sum
    return x - _sum(x, axis=0, keepdims=True) * (1.0 / n)


class CrossCovariance(FunctionNode):

    def __init__(self, reduce='half_squared_sum'):
        self.reduce = reduce

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        y, z = in_data
        _check.float_kind(self, 'y', y)
        _check.same_dtype(self, ('y', 'z'), in_data)
        _check.ndim_equal(self, 'y', y, 2)
        _check.ndim_equal(self, 'z', z, 2)
        _check.shape_prefix(self, ('y', 'z'), in_data, 1)

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        y, z = inputs
        xp = backend.get_array_module(y)
        work = _util.work_dtype(y.dtype)
        y = y.astype(work, copy=False)
        z = z.astype(work, copy=False)
        n = y.shape[0]
        covariance = (y - y.mean(axis=0, keepdims=True)).T.dot(
            z - z.mean(axis=0, keepdims=True)) / work.type(n)
        if self.reduce == 'half_squared_sum':
            loss = (covariance * covariance).sum() * work.type(0.5)
            return xp.asarray(loss, dtype=inputs[0].dtype),
        return covariance.astype(inputs[0].dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.matmul import matmul
        y, z = self.get_retained_inputs()
        n = y.shape[0]
        gy = grad_outputs[0]
        yc = _centered_variable(y, n)
        zc = _centered_variable(z, n)
        if self.reduce == 'half_squared_sum':
            gcov = gy * matmul(yc, zc, transa=True) * (1.0 / n)
        else:
            gcov = gy
        # The columns of zc @ gcov.T (and yc @ gcov) already have zero
        # mean, so the centering adds nothing to these gradients.
        result = []
        if 0 in indexes:
            result.append(matmul(zc, gcov, transb=True) * (1.0 / n))
        if 1 in indexes:
            result.append(matmul(yc, gcov) * (1.0 / n))
        return tuple(result)


def cross_covariance(y, z, reduce='half_squared_sum'):
    """Cross-covariance penalty between ``y`` and ``z``.

    The cross-covariance matrix is ``C = (y - mean(y)).T @ (z - mean(z))
    / N`` (means over the batch axis 0).

    Args:
        y: Variable or array of shape ``(N, M)`` (float16/32/64).
        z: Variable or array of shape ``(N, K)``, same dtype.
        reduce (str): ``'half_squared_sum'`` (``sum(C ** 2) / 2``, 0-dim)
            or ``'no'`` (the ``(M, K)`` matrix ``C``).
    Returns:
        Variable of ``y``'s dtype. Both inputs get gradients;
        differentiable twice.
    """
    _util.check_reduce('cross_covariance', reduce, _REDUCE)
    return CrossCovariance(reduce).apply((y, z))[0]
