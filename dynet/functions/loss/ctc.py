"""Connectionist Temporal Classification (CTC) loss, computed in log space."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.loss import _util
from dynet.variable import Variable

_REDUCE = ('mean', 'no')


def _logsumexp3(a, b, c):
    xp = backend.get_array_module(a)
    return xp.logaddexp(xp.logaddexp(a, b), c)


def _shift(a, k, fill):
    """``a`` shifted right by ``k`` along the last axis, ``fill`` in front."""
    xp = backend.get_array_module(a)
    out = xp.full(a.shape, fill, dtype=a.dtype)
    if k < a.shape[-1]:
        out[..., k:] = a[..., :a.shape[-1] - k]
    return out


def _unshift(a, k, fill):
    """``a`` shifted left by ``k`` along the last axis, ``fill`` behind."""
    xp = backend.get_array_module(a)
    out = xp.full(a.shape, fill, dtype=a.dtype)
    if k < a.shape[-1]:
        out[..., :a.shape[-1] - k] = a[..., k:]
    return out


class ConnectionistTemporalClassification(FunctionNode):
    """Inputs: ``input_length``, ``label_length``, ``t``, then one
    ``(B, V)`` array of logits per time step (Chainer's order)."""

    def __init__(self, blank_symbol, reduce='mean'):
        self.blank_symbol = blank_symbol
        self.reduce = reduce

    def _check_inputs(self, in_data):
        if len(in_data) < 4:
            _check.fail(self, 'at least 4 inputs (input_length, '
                        'label_length, t and one time step of x)',
                        '{} input(s)'.format(len(in_data)))
        input_length, label_length, t = in_data[:3]
        xs = in_data[3:]
        names = ['x[{}]'.format(i) for i in range(len(xs))]
        _check.float_kind(self, 'x[0]', xs[0])
        _check.ndim_equal(self, 'x[0]', xs[0], 2)
        _check.same_dtype(self, names, xs)
        _check.same_shape(self, names, xs)
        batch, vocabulary = xs[0].shape
        _check.int_kind(self, 't', t)
        _check.ndim_equal(self, 't', t, 2)
        for name, array in (('input_length', input_length),
                            ('label_length', label_length)):
            _check.int_kind(self, name, array)
            if array.shape != (batch,):
                _check.fail(self, '{}.shape == (x[0].shape[0],)'.format(
                    name), '{}.shape == {}, x[0].shape == {}'.format(
                        name, array.shape, xs[0].shape))
        if t.shape[0] != batch:
            _check.fail(self, 't.shape[0] == x[0].shape[0]',
                        '{} != {}'.format(t.shape[0], batch))
        _util.check_labels(self, input_length, 0, len(xs) + 1,
                           name='input_length')
        _util.check_labels(self, label_length, 0, t.shape[1] + 1,
                           name='label_length')
        xp = backend.get_array_module(t)
        used = xp.arange(t.shape[1])[None, :] < label_length[:, None]
        _util.check_labels(self, xp.where(used, t, 0), 0, vocabulary)

    def forward(self, inputs):
        # Backward reads the lengths, and hands the logits to _CTCGrad.
        self.retain_inputs(tuple(range(len(inputs))))
        input_length, label_length, t = inputs[:3]
        xs = inputs[3:]
        xp = backend.get_array_module(*xs)
        dtype = xs[0].dtype
        work = numpy.dtype(numpy.float64) if dtype == numpy.float64 else \
            numpy.dtype(numpy.float32)
        steps = len(xs)
        batch, vocabulary = xs[0].shape
        x = xp.stack([a.astype(work, copy=False) for a in xs])  # (T, B, V)
        z = x - x.max(axis=2, keepdims=True)
        log_y = z - xp.log(xp.exp(z).sum(axis=2, keepdims=True))

        # The label sequence with blanks around and between the labels.
        length = t.shape[1]
        states = 2 * length + 1
        extended = xp.full((batch, states), self.blank_symbol,
                           dtype=numpy.int64)
        if length:
            used = xp.arange(length)[None, :] < label_length[:, None]
            extended[:, 1::2] = xp.where(used, t, self.blank_symbol)
        n_states = 2 * label_length.astype(numpy.int64) + 1  # (B,)
        in_path = xp.arange(states)[None, :] < n_states[:, None]
        # A label may be reached from two states back unless it repeats
        # the label before it.
        skip = xp.zeros((batch, states), dtype=bool)
        if length > 1:
            skip[:, 3::2] = extended[:, 3::2] != extended[:, 1:-2:2]
        neg_inf = work.type(-numpy.inf)
        # log_y of the path's labels at each step: (T, B, S).
        emit = xp.take_along_axis(
            log_y, xp.broadcast_to(extended[None], (steps, batch, states)),
            axis=2)
        emit = xp.where(in_path[None], emit, neg_inf)

        alpha = xp.full((steps, batch, states), neg_inf, dtype=work)
        if steps:
            alpha[0, :, 0] = emit[0, :, 0]
            if states > 1:
                alpha[0, :, 1] = emit[0, :, 1]
        for i in range(1, steps):
            prev = alpha[i - 1]
            from_skip = xp.where(skip, _shift(prev, 2, neg_inf), neg_inf)
            alpha[i] = _logsumexp3(prev, _shift(prev, 1, neg_inf),
                                   from_skip) + emit[i]

        # log p(t | x) from the last valid step of each sequence.
        last = input_length.astype(numpy.int64) - 1
        rows = xp.arange(batch)
        final = alpha[xp.maximum(last, 0), rows]  # (B, S)
        end = n_states - 1
        log_p = xp.logaddexp(
            final[rows, end],
            xp.where(end > 0, final[rows, xp.maximum(end - 1, 0)], neg_inf))
        # No frames at all: probability 1 for the empty label, else 0.
        log_p = xp.where(last >= 0, log_p,
                         xp.where(label_length == 0, 0, neg_inf).astype(work))

        self._saved = (log_y, extended, in_path, skip, emit, alpha, log_p)
        loss = -log_p
        if self.reduce == 'mean':
            loss = xp.asarray(loss.mean() if batch else 0.0)
        return loss.astype(dtype, copy=False),

    def grad_arrays(self, gy):
        """Gradients of the logits, one ``(B, V)`` array per step."""
        log_y, extended, in_path, skip, emit, alpha, log_p = self._saved
        xp = backend.get_array_module(log_y)
        work = log_y.dtype
        steps, batch, vocabulary = log_y.shape
        states = extended.shape[1]
        input_length = self.inputs[0].data
        last = input_length.astype(numpy.int64) - 1
        neg_inf = work.type(-numpy.inf)

        # beta[i, b, s]: log-probability of the rest of the path after
        # step i, given state s at step i.
        end = 2 * self.inputs[1].data.astype(numpy.int64)  # last state
        states_range = xp.arange(states)[None, :]
        init = xp.where((states_range == end[:, None]) |
                        (states_range == end[:, None] - 1), 0, neg_inf
                        ).astype(work)
        init = xp.where(in_path, init, neg_inf)
        next_skip = _unshift(skip, 2, False)
        beta = xp.full((steps, batch, states), neg_inf, dtype=work)
        for i in range(steps - 1, -1, -1):
            if i + 1 < steps:
                after = beta[i + 1] + emit[i + 1]
                recurred = _logsumexp3(
                    after, _unshift(after, 1, neg_inf),
                    xp.where(next_skip, _unshift(after, 2, neg_inf), neg_inf))
            else:
                recurred = xp.full((batch, states), neg_inf, dtype=work)
            here = (i == last)[:, None]
            beta[i] = xp.where(here, init,
                               xp.where((i < last)[:, None], recurred,
                                        neg_inf))

        feasible = xp.isfinite(log_p)
        safe_log_p = xp.where(feasible, log_p, 0)
        # Posterior of each path state, summed per symbol.
        occupancy = xp.exp(alpha + beta - safe_log_p[None, :, None])
        onehot = (extended[:, :, None] == xp.arange(vocabulary)[None, None]
                  ) & in_path[:, :, None]
        posterior = xp.matmul(occupancy.transpose(1, 0, 2),
                              onehot.astype(work))  # (B, T, V)
        grad = xp.exp(log_y) - posterior.transpose(1, 0, 2)
        valid = (xp.arange(steps)[:, None] <= last[None, :]) & \
            feasible[None, :]
        grad *= valid[:, :, None]
        gy = gy.astype(work, copy=False)
        if self.reduce == 'mean':
            grad *= gy / work.type(max(batch, 1))
        else:
            grad *= gy[None, :, None]
        dtype = self.inputs[3].dtype
        return tuple(g.astype(dtype, copy=False) for g in grad)

    def backward(self, indexes, grad_outputs):
        xs = [self.inputs[i].get_variable()
              for i in range(3, len(self.inputs))]
        grads = _CTCGrad(self).apply([grad_outputs[0]] + xs)
        return (None, None, None) + tuple(grads)


class _CTCGrad(FunctionNode):
    """First-order gradient of the CTC loss (not differentiable)."""

    def __init__(self, loss):
        self._loss = loss

    def forward(self, inputs):
        return self._loss.grad_arrays(inputs[0])

    def backward(self, indexes, grad_outputs):
        raise RuntimeError(
            'connectionist_temporal_classification does not support '
            'higher-order derivatives')


def _as_array(value):
    if isinstance(value, Variable):
        value = value.array
    if not hasattr(value, 'dtype'):
        value = numpy.asarray(value)
    return value


def connectionist_temporal_classification(
        x, t, blank_symbol, input_length=None, label_length=None,
        reduce='mean'):
    """Connectionist Temporal Classification loss (Graves et al., 2006).

    The loss of sequence ``b`` is ``-log p(t[b] | x)``: the probability
    that the per-step softmax of ``x`` emits, after merging repeated
    symbols and removing blanks, the label sequence ``t[b, :L_b]``, summed
    over all alignments. It is computed with the forward-backward
    algorithm in log space (float32 at least; float64 inputs in float64).

    Args:
        x (list or tuple of Variables or arrays): ``T`` time steps, each of
            shape ``(B, V)``: unnormalised scores (logits; the softmax is
            applied here), one float dtype.
        t: Variable or int array of shape ``(B, L)``, the labels (padded
            beyond ``label_length``); each used label in ``[0, V)``.
        blank_symbol (int): index of the blank, ``0 <= blank_symbol < V``.
        input_length: None (every sequence has ``T`` steps) or an int
            array / Variable of shape ``(B,)`` with values in ``[0, T]``.
        label_length: None (every label sequence has ``L`` labels) or an
            int array / Variable of shape ``(B,)`` in ``[0, L]``.
        reduce (str): ``'mean'`` (average over the batch, 0-dim) or
            ``'no'`` (the ``(B,)`` per-sequence losses).
    Returns:
        Variable of ``x``'s dtype. Only ``x`` gets gradients (0 beyond each
        sequence's length); they cannot be differentiated again. A label
        sequence that no alignment can produce (too short an input) has
        an infinite loss and a zero gradient.
    """
    if not isinstance(x, (list, tuple)):
        raise TypeError(
            'connectionist_temporal_classification: x must be a list or '
            'tuple of Variables (one (B, V) array per time step), got {}'
            .format(type(x).__name__))
    if not x:
        raise ValueError('connectionist_temporal_classification: x is empty')
    if not _util.is_int(blank_symbol) or blank_symbol < 0:
        raise TypeError(
            'connectionist_temporal_classification: blank_symbol must be a '
            'non-negative int, got {!r}'.format(blank_symbol))
    _util.check_reduce('connectionist_temporal_classification', reduce,
                       _REDUCE)
    if len(x[0].shape) != 2:
        raise ValueError(
            'connectionist_temporal_classification: each x[i] must have '
            'shape (B, V), got {}'.format(x[0].shape))
    batch, vocabulary = x[0].shape
    if blank_symbol >= vocabulary:
        raise ValueError(
            'connectionist_temporal_classification: blank_symbol must be '
            'smaller than the number of symbols x[0].shape[1] == {}, got {}'
            .format(vocabulary, blank_symbol))
    t = _as_array(t)
    xp = backend.get_array_module(t)
    if input_length is None:
        input_length = xp.full((batch,), len(x), dtype=numpy.int32)
    if label_length is None:
        length = t.shape[1] if t.ndim == 2 else 0
        label_length = xp.full((batch,), length, dtype=numpy.int32)
    input_length = _as_array(input_length)
    label_length = _as_array(label_length)
    func = ConnectionistTemporalClassification(int(blank_symbol), reduce)
    return func.apply((input_length, label_length, t) + tuple(x))[0]
