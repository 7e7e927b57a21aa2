"""Sigmoid cross entropy for binary labels (-1 = ignore)."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.loss import _util

_REDUCE = ('mean', 'no')
_IGNORE = -1


class SigmoidCrossEntropy(FunctionNode):

    ignore_label = _IGNORE

    def __init__(self, normalize=True, reduce='mean'):
        self.normalize = normalize
        self.reduce = reduce

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        x, t = in_data
        _check.float_kind(self, 'x', x)
        _check.int_kind(self, 't', t)
        _check.same_shape(self, ('x', 't'), in_data)
        _util.check_labels(self, t, 0, 2, ignore_label=_IGNORE)

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, t = inputs
        xp = backend.get_array_module(x)
        work = _util.work_dtype(x.dtype)
        xw = x.astype(work, copy=False)
        valid = t != _IGNORE
        # log(1 + exp(x)) - t * x, computed without overflow for any x.
        loss = (xp.maximum(xw, 0) - xw * t.astype(work)
                + xp.log1p(xp.exp(-abs(xw))))
        loss *= valid
        if self.reduce == 'no':
            return loss.astype(x.dtype, copy=False),
        self._count = self._normalizer(valid)
        return xp.asarray(loss.sum() / work.type(self._count),
                          dtype=x.dtype),

    def _normalizer(self, valid):
        if self.normalize:
            return max(int(valid.sum()), 1)
        return max(valid.shape[0] if valid.ndim else 1, 1)

    def backward(self, indexes, grad_outputs):
        from dynet.functions.activation.sigmoid import sigmoid
        x, t = self.get_retained_inputs()
        t = t.array
        valid = t != _IGNORE
        gy = grad_outputs[0]
        if self.reduce == 'mean':
            gy = gy * (1.0 / self._count)
        gx = (sigmoid(x) - t * valid) * valid
        return gy * gx, None


def sigmoid_cross_entropy(x, t, normalize=True, reduce='mean'):
    """Cross entropy of binary labels ``t`` and ``sigmoid(x)``.

    Elementwise ``log(1 + exp(x)) - t * x`` (computed stably, so logits of
    any size such as 1e4 are fine); elements with ``t == -1`` are ignored
    (their loss is 0).

    Args:
        x: Variable or array of logits (float16/32/64), any shape.
        t: Variable or array of int labels of ``x``'s shape, values 0, 1
            or -1 (checked when ``config.type_check`` is on: ValueError).
        normalize (bool): for ``reduce='mean'``, divide the sum by the
            number of non-ignored elements (True) or by the batch size
            ``x.shape[0]`` (False); at least 1 either way.
        reduce (str): ``'mean'`` (0-dim result) or ``'no'`` (elementwise,
            ``x``'s shape; ``normalize`` is then unused).
    Returns:
        Variable of ``x``'s dtype. Only ``x`` gets a gradient
        (``(sigmoid(x) - t) / count``); differentiable twice.
    """
    _util.check_reduce('sigmoid_cross_entropy', reduce, _REDUCE)
    return SigmoidCrossEntropy(normalize, reduce).apply((x, t))[0]
