"""DeCov loss: off-diagonal covariance of hidden units."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.loss import _util

_REDUCE = ('half_squared_sum', 'no')


def _off_diagonal(xp, m, dtype):
    return 1 - xp.eye(m, dtype=dtype)


class DeCov(FunctionNode):

    def __init__(self, reduce='half_squared_sum'):
        self.reduce = reduce

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'h', in_data[0])
        _check.ndim_equal(self, 'h', in_data[0], 2)

    def forward(self, inputs):
        self.retain_inputs((0,))
        h, = inputs
        xp = backend.get_array_module(h)
        work = _util.work_dtype(h.dtype)
        hw = h.astype(work, copy=False)
        centered = hw - hw.mean(axis=0, keepdims=True)
        covariance = centered.T.dot(centered) / work.type(h.shape[0])
        covariance *= _off_diagonal(xp, h.shape[1], work)
        if self.reduce == 'half_squared_sum':
            loss = (covariance * covariance).sum() * work.type(0.5)
            return xp.asarray(loss, dtype=h.dtype),
        return covariance.astype(h.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.array.transpose import transpose
        from dynet.functions.math.matmul import matmul
        from dynet.functions.math.sum import sum as _sum
        h, = self.get_retained_inputs()
        n, m = h.shape
        xp = backend.get_array_module(h.array)
        off = _off_diagonal(xp, m, h.dtype)
        centered = h - _sum(h, axis=0, keepdims=True) * (1.0 / n)
        gy = grad_outputs[0]
        if self.reduce == 'half_squared_sum':
            # d/dC of sum(C_off ** 2) / 2 is C_off, a symmetric matrix.
            cov = matmul(centered, centered, transa=True) * (1.0 / n)
            g = gy * (cov * off) * 2
        else:
            g = gy * off
            g = g + transpose(g)
        # C = centered.T @ centered / n; the columns of centered @ g have
        # zero mean already, so the centering adds nothing.
        return matmul(centered, g) * (1.0 / n),


def decov(h, reduce='half_squared_sum'):
    """DeCov loss (Cogswell et al., https://arxiv.org/abs/1511.06068).

    With ``C = (h - mean(h)).T @ (h - mean(h)) / N`` (means over the batch
    axis 0) and its diagonal set to 0, the loss is ``sum(C ** 2) / 2``.

    Args:
        h: Variable or array of shape ``(N, M)`` (float16/32/64).
        reduce (str): ``'half_squared_sum'`` (0-dim loss) or ``'no'`` (the
            ``(M, M)`` matrix ``C`` with zero diagonal).
    Returns:
        Variable of ``h``'s dtype; differentiable twice.
    """
    _util.check_reduce('decov', reduce, _REDUCE)
    return DeCov(reduce).apply((h,))[0]
