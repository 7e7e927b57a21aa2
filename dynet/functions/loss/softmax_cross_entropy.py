"""Softmax cross entropy: hard (int) labels with ``ignore_label`` and class
weights, or soft (probability) targets; class axis 1."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.loss import _util
from dynet.variable import Variable

_REDUCE = ('mean', 'no')
_SOFT_TARGET_LOSSES = ('cross-entropy', 'kl-divergence')
# Added to soft targets inside the log of the KL divergence (as Chainer).
_KL_EPS = 1e-7


def _to_rows(x):
    """``(N, C, d1, ...)`` -> ``(N * d1 * ..., C)`` (class axis last)."""
    if x.ndim == 2:
        return x
    xp = backend.get_array_module(x)
    return xp.moveaxis(x, 1, -1).reshape(-1, x.shape[1])


def _from_rows(rows, shape):
    """Inverse of ``_to_rows`` for an array of ``shape``."""
    if len(shape) == 2:
        return rows
    xp = backend.get_array_module(rows)
    moved = rows.reshape((shape[0],) + tuple(shape[2:]) + (shape[1],))
    return xp.ascontiguousarray(xp.moveaxis(moved, -1, 1))


def _log_softmax_rows(x2):
    """Log-softmax of the rows of a 2-D array (max subtracted first)."""
    xp = backend.get_array_module(x2)
    z = x2 - x2.max(axis=1, keepdims=True)
    return z - xp.log(xp.exp(z).sum(axis=1, keepdims=True))


class SoftmaxCrossEntropy(FunctionNode):

    def __init__(self, normalize=True, cache_score=True, class_weight=None,
                 ignore_label=-1, reduce='mean',
                 soft_target_loss='cross-entropy',
                 enable_double_backprop=False):
        self.normalize = normalize
        self.cache_score = cache_score and not enable_double_backprop
        self.class_weight = class_weight
        self.ignore_label = ignore_label
        self.reduce = reduce
        self.soft_target_loss = soft_target_loss
        self.enable_double_backprop = enable_double_backprop
        self._y = None

    # ------------------------------------------------------------ checks
    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        x, t = in_data
        _check.float_kind(self, 'x', x)
        _check.ndim_at_least(self, 'x', x, 2)
        if t.dtype.kind == 'f':
            _check.same_shape(self, ('x', 't'), in_data)
            return
        if t.dtype.kind not in 'iu':
            _check.fail(self, 't.dtype.kind in (i, u) (int labels) or f '
                        '(soft targets)', 't.dtype == {}'.format(t.dtype))
        if t.ndim != x.ndim - 1:
            _check.fail(self, 't.ndim == x.ndim - 1',
                        't.ndim == {}, x.ndim == {}'.format(t.ndim, x.ndim))
        if t.shape[0] != x.shape[0]:
            _check.fail(self, 'x.shape[0] == t.shape[0]',
                        '{} != {}'.format(x.shape[0], t.shape[0]))
        if x.shape[2:] != t.shape[1:]:
            _check.fail(self, 'x.shape[2:] == t.shape[1:]',
                        '{} != {}'.format(x.shape[2:], t.shape[1:]))
        weight = self.class_weight
        if weight is not None and weight.shape != (x.shape[1],):
            _check.fail(self, 'class_weight.shape == (x.shape[1],)',
                        'class_weight.shape == {}, x.shape[1] == {}'.format(
                            weight.shape, x.shape[1]))
        _util.check_labels(self, t, 0, x.shape[1], self.ignore_label)

    # ----------------------------------------------------------- forward
    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, t = inputs
        self._soft = t.dtype.kind == 'f'
        if self._soft:
            return self._forward_soft(x, t)
        return self._forward_hard(x, t)

    def _class_weight_rows(self, x, labels):
        weight = backend.get_device_from_array(x).send_array(
            self.class_weight)
        return weight.astype(_util.work_dtype(x.dtype), copy=False)[labels]

    def _labels(self, t):
        """(valid mask, labels with ignored entries replaced by 0), flat."""
        xp = backend.get_array_module(t)
        flat = t.ravel()
        valid = flat != self.ignore_label
        return valid, xp.where(valid, flat, 0)

    def _forward_hard(self, x, t):
        xp = backend.get_array_module(x)
        work = _util.work_dtype(x.dtype)
        x2 = _to_rows(x.astype(work, copy=False))
        valid, labels = self._valid_labels = self._labels(t)
        rows = x2.shape[0]
        if x2.size:
            log_y = _log_softmax_rows(x2)
            if self.cache_score:
                self._y = xp.exp(log_y)
            nll = -log_y[xp.arange(rows), labels]
        else:
            nll = xp.zeros(rows, dtype=work)
        if self.class_weight is not None and rows:
            nll *= self._class_weight_rows(x, labels)
        nll *= valid
        if self.reduce == 'no':
            return nll.reshape(t.shape).astype(x.dtype, copy=False),
        count = int(valid.sum()) if self.normalize else x.shape[0]
        self._coeff = 1.0 / max(count, 1)
        return xp.asarray(nll.sum() * work.type(self._coeff),
                          dtype=x.dtype),

    def _forward_soft(self, x, t):
        xp = backend.get_array_module(x)
        work = _util.work_dtype(x.dtype)
        x2 = _to_rows(x.astype(work, copy=False))
        t2 = _to_rows(t.astype(work, copy=False))
        rows = x2.shape[0]
        if x2.size:
            log_y = _log_softmax_rows(x2)
            if self.cache_score:
                self._y = xp.exp(log_y)
            if self.soft_target_loss == 'kl-divergence':
                per_row = (t2 * (xp.log(t2 + work.type(_KL_EPS)) - log_y)
                           ).sum(axis=1)
            else:
                per_row = -(t2 * log_y).sum(axis=1)
        else:
            per_row = xp.zeros(rows, dtype=work)
        if self.reduce == 'no':
            shape = (x.shape[0],) + x.shape[2:]
            return per_row.reshape(shape).astype(x.dtype, copy=False),
        self._coeff = 1.0 / max(rows, 1)
        return xp.asarray(per_row.sum() * work.type(self._coeff),
                          dtype=x.dtype),

    # ---------------------------------------------------------- backward
    def backward(self, indexes, grad_outputs):
        x, t = self.get_retained_inputs()
        gy = grad_outputs[0]
        if self.enable_double_backprop:
            return self._backward_differentiable(x, t.array, gy), None
        grad = _SoftmaxCrossEntropyGrad(self, t.array)
        return grad.apply((x, gy))[0], None

    def grad_array(self, x, t, gy):
        """The gradient with respect to ``x`` as an array (first order)."""
        xp = backend.get_array_module(x)
        work = _util.work_dtype(x.dtype)
        if x.size == 0:
            return xp.zeros(x.shape, dtype=x.dtype)
        y = self._y
        if y is None:
            y = xp.exp(_log_softmax_rows(_to_rows(x.astype(work))))
        gy = gy.astype(work, copy=False)
        if self.reduce == 'mean':
            scale = gy * work.type(self._coeff)
        else:
            scale = gy.reshape(-1, 1) if self._soft else gy.ravel()
        if self._soft:
            t2 = _to_rows(t.astype(work, copy=False))
            gx = (y * t2.sum(axis=1, keepdims=True) - t2) * scale
            return _from_rows(gx, x.shape).astype(x.dtype, copy=False)
        valid, labels = self._valid_labels
        coeff = valid.astype(work)
        if self.class_weight is not None:
            coeff *= self._class_weight_rows(x, labels)
        coeff = coeff * scale
        gx = y * coeff[:, None]
        gx[xp.arange(gx.shape[0]), labels] -= coeff
        return _from_rows(gx, x.shape).astype(x.dtype, copy=False)

    def _backward_differentiable(self, x, t, gy):
        """The gradient written with dynet functions (differentiable)."""
        from dynet.functions.array.reshape import reshape
        from dynet.functions.activation.softmax import softmax
        xp = backend.get_array_module(t)
        shape = x.shape
        if x.size == 0:
            return Variable(xp.zeros(shape, dtype=x.dtype),
                            requires_grad=False)
        kept = (shape[0], 1) + shape[2:]
        if self.reduce == 'mean':
            scale = gy * self._coeff
        else:
            scale = reshape(gy, kept)
        y = softmax(x, axis=1)
        if self._soft:
            total = t.sum(axis=1, keepdims=True)
            return scale * (y * total - t)
        work = _util.work_dtype(x.dtype)
        valid, labels = self._valid_labels
        onehot = xp.zeros((labels.size, shape[1]), dtype=work)
        onehot[xp.arange(labels.size), labels] = 1
        onehot = _from_rows(onehot, shape)
        coeff = valid.astype(work)
        if self.class_weight is not None:
            coeff *= self._class_weight_rows(x.array, labels)
        return scale * ((y - onehot) * coeff.reshape(kept))


class _SoftmaxCrossEntropyGrad(FunctionNode):
    """First-order gradient of SoftmaxCrossEntropy (not differentiable)."""

    def __init__(self, loss, t):
        self._loss = loss
        self._t = t

    def forward(self, inputs):
        x, gy = inputs
        return self._loss.grad_array(x, self._t, gy),

    def backward(self, indexes, grad_outputs):
        raise RuntimeError(
            'softmax_cross_entropy was called with '
            'enable_double_backprop=False, but its gradient is being '
            'differentiated; call it with enable_double_backprop=True for '
            'higher-order derivatives')


def _check_class_weight(class_weight):
    if class_weight is None:
        return None
    if isinstance(class_weight, Variable):
        raise ValueError(
            'softmax_cross_entropy: class_weight must be a numpy.ndarray or '
            'cupy.ndarray, not a Variable')
    if not hasattr(class_weight, 'ndim'):
        class_weight = numpy.asarray(class_weight)
    if class_weight.ndim != 1:
        raise ValueError(
            'softmax_cross_entropy: class_weight.ndim must be 1, got {}'
            .format(class_weight.ndim))
    if class_weight.dtype.kind != 'f':
        raise ValueError(
            'softmax_cross_entropy: class_weight must have a float dtype, '
            'got {}'.format(class_weight.dtype))
    return class_weight


def softmax_cross_entropy(
        x, t, normalize=True, cache_score=True, class_weight=None,
        ignore_label=-1, reduce='mean', enable_double_backprop=False,
        soft_target_loss='cross-entropy'):
    """Cross entropy of targets ``t`` and ``softmax(x)`` over axis 1.

    With ``log_y = log_softmax(x, axis=1)`` (computed stably; logits such
    as +-1e4 are fine):

    - int ``t`` of shape ``(N, d1, ...)`` for ``x`` of shape
      ``(N, C, d1, ...)``: the loss of a position is
      ``-class_weight[t] * log_y[n, t, ...]`` (``class_weight`` 1 if None),
      and 0 where ``t == ignore_label``. Labels must be in ``[0, C)`` or be
      ``ignore_label`` (checked when ``config.type_check`` is on:
      ValueError).
    - float ``t`` of ``x``'s shape (soft targets): the loss of a position
      is ``-sum_c t_c log_y_c`` (``soft_target_loss='cross-entropy'``) or
      ``sum_c t_c (log(t_c + 1e-7) - log_y_c)`` (``'kl-divergence'``);
      ``class_weight``, ``ignore_label`` and ``normalize`` are unused, as
      in Chainer.

    Args:
        x: Variable or array of logits, ``(N, C, ...)``, float16/32/64.
        t: Variable or array of int labels or float soft targets.
        normalize (bool): for ``reduce='mean'`` with int labels, divide the
            sum by the number of non-ignored positions (True) or by ``N``
            (False); at least 1. Soft targets divide by the number of
            positions, ``x.size / C``.
        cache_score (bool): keep the softmax for backward (faster, more
            memory); no effect on results.
        class_weight: None or a 1-d float array of shape ``(C,)`` (not a
            Variable).
        ignore_label (int): label of positions to skip.
        reduce (str): ``'mean'`` (0-dim) or ``'no'`` (per position, shape
            ``t.shape`` for int labels, ``x``'s shape without axis 1 for
            soft targets).
        enable_double_backprop (bool): make the gradient differentiable
            again. If False, differentiating the gradient raises
            RuntimeError.
        soft_target_loss (str): ``'cross-entropy'`` or ``'kl-divergence'``.
    Returns:
        Variable of ``x``'s dtype (accumulated in float32 at least). Only
        ``x`` gets a gradient: ``scale * (softmax(x) - onehot(t))``, times
        the class weight, 0 at ignored positions; for soft targets
        ``scale * (sum_c(t) * softmax(x) - t)``.
    """
    if soft_target_loss not in _SOFT_TARGET_LOSSES:
        raise ValueError(
            "softmax_cross_entropy: soft_target_loss must be "
            "'cross-entropy' or 'kl-divergence', but {!r} is given".format(
                soft_target_loss))
    _util.check_reduce('softmax_cross_entropy', reduce, _REDUCE)
    class_weight = _check_class_weight(class_weight)
    if isinstance(t, Variable):
        t = t.array
    func = SoftmaxCrossEntropy(
        normalize, cache_score, class_weight, ignore_label, reduce,
        soft_target_loss, enable_double_backprop)
    return func.apply((x, t))[0]
