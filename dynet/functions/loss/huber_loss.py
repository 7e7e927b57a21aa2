"""Huber loss."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.loss import _util

_REDUCE = ('sum_along_second_axis', 'no')


class HuberLoss(FunctionNode):

    def __init__(self, delta, reduce='sum_along_second_axis'):
        self.delta = float(delta)
        self.reduce = reduce

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        _check.float_kind(self, 'x', in_data[0])
        _util.same_dtype_and_shape(self, ('x', 't'), in_data)
        if self.reduce == 'sum_along_second_axis':
            _check.ndim_at_least(self, 'x', in_data[0], 2)

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, t = inputs
        xp = backend.get_array_module(x)
        work = _util.work_dtype(x.dtype)
        a = abs(x.astype(work, copy=False) - t.astype(work, copy=False))
        over = xp.maximum(a - work.type(self.delta), 0)
        # a ** 2 / 2 where |a| <= delta, delta * (|a| - delta / 2) beyond.
        loss = (a * a - over * over) * work.type(0.5)
        if self.reduce == 'sum_along_second_axis':
            loss = loss.sum(axis=1)
        return loss.astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.activation.relu import relu
        from dynet.functions.array.reshape import reshape
        x, t = self.get_retained_inputs()
        gy = grad_outputs[0]
        delta = self.delta
        diff = x - t
        # clip(diff, -delta, delta), written so it differentiates again.
        clipped = diff - relu(diff - delta) + relu(-diff - delta)
        if self.reduce == 'sum_along_second_axis':
            shape = list(x.shape)
            shape[1] = 1
            gy = reshape(gy, tuple(shape))
        gx = gy * clipped
        return gx, -gx


def huber_loss(x, t, delta, reduce='sum_along_second_axis'):
    """Huber loss of ``a = x - t``, elementwise:
    ``a ** 2 / 2`` where ``|a| <= delta`` and ``delta * (|a| - delta / 2)``
    elsewhere.

    Args:
        x: Variable or array (float16/32/64), shape ``(N, K, ...)`` for
            ``reduce='sum_along_second_axis'``.
        t: Variable or array of the same shape and dtype (the target).
        delta (float): the threshold between the quadratic and the linear
            part.
        reduce (str): ``'sum_along_second_axis'`` (default: sums over axis
            1) or ``'no'`` (elementwise values).
    Returns:
        Variable of ``x``'s dtype: ``x``'s shape without axis 1, or
        ``x``'s shape for ``'no'``. Both inputs get gradients
        (``gy * clip(x - t, -delta, delta)`` and its negation);
        differentiable twice.
    """
    _util.check_reduce('huber_loss', reduce, _REDUCE)
    return HuberLoss(delta, reduce).apply((x, t))[0]
