"""Contrastive loss of pairs labelled similar (1) or dissimilar (0)."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.loss import _util

_REDUCE = ('mean', 'no')


class Contrastive(FunctionNode):

    def __init__(self, margin, reduce='mean'):
        self.margin = float(margin)
        self.reduce = reduce

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 3)
        x0, x1, y = in_data
        _check.float_kind(self, 'x0', x0)
        _util.same_dtype_and_shape(self, ('x0', 'x1'), (x0, x1))
        _check.int_kind(self, 'y', y)
        _check.ndim_equal(self, 'x0', x0, 2)
        _check.ndim_equal(self, 'y', y, 1)
        _check.shape_prefix(self, ('x0', 'y'), (x0, y), 1)
        if x0.shape[0] == 0:
            _check.fail(self, 'x0.shape[0] > 0', 'x0.shape[0] == 0')

    def forward(self, inputs):
        self.retain_inputs((0, 1, 2))
        x0, x1, y = inputs
        xp = backend.get_array_module(x0)
        work = _util.work_dtype(x0.dtype)
        diff = x0.astype(work) - x1.astype(work)
        dist_sq = (diff * diff).sum(axis=1)
        short = xp.maximum(self.margin - xp.sqrt(dist_sq), 0)
        yw = y.astype(work)
        loss = (yw * dist_sq + (1 - yw) * short * short) * work.type(0.5)
        if self.reduce == 'mean':
            loss = xp.asarray(loss.sum() / work.type(x0.shape[0]))
        return loss.astype(x0.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.activation.relu import relu
        from dynet.functions.array.reshape import reshape
        from dynet.functions.math.sum import sum as _sum
        x0, x1, y = self.get_retained_inputs()
        n = x0.shape[0]
        y = y.array.reshape(n, 1)
        gy = grad_outputs[0]
        if self.reduce == 'mean':
            gy = gy * (1.0 / n)
        else:
            gy = reshape(gy, (n, 1))
        diff = x0 - x1
        dist_sq = reshape(_sum(diff * diff, axis=1), (n, 1))
        # The distance, kept away from 0 where it divides (as Chainer does,
        # with a larger floor for float16): sqrt(max(dist_sq, eps ** 2)).
        eps = 5e-3 if x0.dtype == numpy.float16 else 1e-7
        dist = (dist_sq + relu(eps * eps - dist_sq)) ** 0.5
        # d/dx0 of (y d^2 + (1 - y) max(margin - d, 0)^2) / 2.
        coeff = relu(self.margin - dist) / dist * (y - 1) + y
        gx0 = gy * coeff * diff
        return gx0, -gx0, None


def contrastive(x0, x1, y, margin=1, reduce='mean'):
    """Contrastive loss of pairs ``(x0[n], x1[n])`` labelled ``y[n]``.

    With ``d[n] = ||x0[n] - x1[n]||_2`` the loss of pair ``n`` is
    ``(y[n] d[n] ** 2 + (1 - y[n]) max(margin - d[n], 0) ** 2) / 2``.

    Args:
        x0, x1: Variables or arrays of shape ``(N, K)``, ``N > 0``, of one
            float dtype.
        y: Variable or array of int labels, shape ``(N,)``: 1 for similar
            pairs, 0 for dissimilar ones.
        margin (float): positive margin (else ValueError).
        reduce (str): ``'mean'`` (average over the batch, 0-dim) or
            ``'no'`` (the ``(N,)`` per-pair values).
    Returns:
        Variable of ``x0``'s dtype. ``x0`` and ``x1`` get gradients
        (``y`` does not); differentiable twice.
    """
    if margin <= 0:
        raise ValueError(
            'contrastive: margin must be positive, but {!r} is given'.format(
                margin))
    _util.check_reduce('contrastive', reduce, _REDUCE)
    return Contrastive(margin, reduce).apply((x0, x1, y))[0]
