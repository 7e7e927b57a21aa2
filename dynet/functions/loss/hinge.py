"""Hinge loss for one-of-many classification."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.loss import _util

_REDUCE = ('mean', 'no')


def _label_signs(x, t):
    """+1 at ``(n, t[n])`` and -1 elsewhere, in ``x``'s dtype."""
    xp = backend.get_array_module(x)
    signs = xp.full(x.shape, -1, dtype=x.dtype)
    if x.size:
        signs[xp.arange(x.shape[0]), t] = 1
    return signs


class Hinge(FunctionNode):

    def __init__(self, norm='L1', reduce='mean'):
        self.norm = norm
        self.reduce = reduce

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        x, t = in_data
        _check.float_kind(self, 'x', x)
        _check.int_kind(self, 't', t)
        _check.ndim_equal(self, 'x', x, 2)
        _check.ndim_equal(self, 't', t, 1)
        _check.shape_prefix(self, ('x', 't'), in_data, 1)
        _util.check_labels(self, t, 0, x.shape[1])

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, t = inputs
        xp = backend.get_array_module(x)
        work = _util.work_dtype(x.dtype)
        margin = xp.maximum(
            1 - _label_signs(x, t).astype(work) * x.astype(work), 0)
        loss = margin if self.norm == 'L1' else margin * margin
        if self.reduce == 'mean':
            loss = xp.asarray(loss.sum() / work.type(max(x.shape[0], 1)))
        return loss.astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        x, t = self.inputs[0].data, self.inputs[1].data
        gy = grad_outputs[0]
        if self.reduce == 'mean':
            gy = gy * (1.0 / max(x.shape[0], 1))
        signs = _label_signs(x, t)
        if self.norm == 'L1':
            # Piecewise linear: slope -sign where the margin is positive,
            # 0 elsewhere (also on the kink); the second derivative is 0.
            return gy * (-signs * (1 - signs * x > 0)), None
        from dynet.functions.activation.relu import relu
        x_var, = self.get_retained_inputs()[:1]
        margin = relu(x_var * -signs + 1)
        return gy * (margin * (-2 * signs)), None


def hinge(x, t, norm='L1', reduce='mean'):
    """Hinge loss for one-of-many classification.

    With ``delta[n, k] = 1`` if ``t[n] == k`` and ``-1`` otherwise, the
    elementwise loss is ``max(0, 1 - delta[n, k] * x[n, k]) ** p`` with
    ``p = 1`` for ``norm='L1'`` and ``p = 2`` for ``norm='L2'``.

    Args:
        x: Variable or array of shape ``(N, K)`` (float16/32/64).
        t: Variable or array of int labels, shape ``(N,)``, values in
            ``[0, K)`` (checked when ``config.type_check`` is on:
            ValueError).
        norm (str): ``'L1'`` or ``'L2'`` (else NotImplementedError, as in
            Chainer).
        reduce (str): ``'mean'`` (sum divided by the batch size ``N``) or
            ``'no'`` (the ``(N, K)`` elementwise values).
    Returns:
        Variable of ``x``'s dtype. Only ``x`` gets a gradient.
    """
    if norm not in ('L1', 'L2'):
        raise NotImplementedError(
            "hinge: norm must be 'L1' or 'L2', but {!r} is given".format(
                norm))
    _util.check_reduce('hinge', reduce, _REDUCE)
    return Hinge(norm, reduce).apply((x, t))[0]
