"""Triplet loss."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.loss import _util

_REDUCE = ('mean', 'no')
_NAMES = ('anchor', 'positive', 'negative')


class Triplet(FunctionNode):

    def __init__(self, margin, reduce='mean'):
        self.margin = float(margin)
        self.reduce = reduce

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 3)
        _check.float_kind(self, 'anchor', in_data[0])
        _util.same_dtype_and_shape(self, _NAMES, in_data)
        _check.ndim_equal(self, 'anchor', in_data[0], 2)
        if in_data[0].shape[0] == 0:
            _check.fail(self, 'anchor.shape[0] > 0', 'anchor.shape[0] == 0')

    def forward(self, inputs):
        self.retain_inputs((0, 1, 2))
        xp = backend.get_array_module(*inputs)
        dtype = inputs[0].dtype
        work = _util.work_dtype(dtype)
        a, p, n = [x.astype(work, copy=False) for x in inputs]
        dp = a - p
        dn = a - n
        dist = (dp * dp).sum(axis=1) - (dn * dn).sum(axis=1) + self.margin
        # The mask of triplets inside the margin (array, for backward).
        self._active = (dist > 0).reshape(-1, 1)
        loss = xp.maximum(dist, 0)
        if self.reduce == 'mean':
            loss = xp.asarray(loss.sum() / work.type(a.shape[0]))
        return loss.astype(dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.array.reshape import reshape
        a, p, n = self.get_retained_inputs()
        gy = grad_outputs[0]
        if self.reduce == 'mean':
            gy = gy * (1.0 / a.shape[0])
        else:
            gy = reshape(gy, (a.shape[0], 1))
        coeff = gy * (2 * self._active)
        result = []
        if 0 in indexes:
            result.append(coeff * (n - p))
        if 1 in indexes:
            result.append(coeff * (p - a))
        if 2 in indexes:
            result.append(coeff * (a - n))
        return tuple(result)


def triplet(anchor, positive, negative, margin=0.2, reduce='mean'):
    """Triplet loss ``max(||a - p||^2 - ||a - n||^2 + margin, 0)`` per
    sample (squared Euclidean distances over axis 1).

    Args:
        anchor, positive, negative: Variables or arrays of shape
            ``(N, K)``, ``N > 0``, of one float dtype.
        margin (float): positive margin (else ValueError).
        reduce (str): ``'mean'`` (average over the batch, 0-dim) or
            ``'no'`` (the ``(N,)`` per-sample values).
    Returns:
        Variable of the inputs' dtype. All three inputs get gradients;
        differentiable twice.
    """
    if margin <= 0:
        raise ValueError(
            'triplet: margin must be positive, but {!r} is given'.format(
                margin))
    _util.check_reduce('triplet', reduce, _REDUCE)
    return Triplet(margin, reduce).apply((anchor, positive, negative))[0]
