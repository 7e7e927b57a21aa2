"""Linear-chain CRF: negative log-likelihood (``crf1d``) and Viterbi
decoding (``argmax_crf1d``).

Both are built from dynet functions, so gradients (and gradients of
gradients) reach ``cost`` and ``xs``. Sequences of different lengths come
as a time-major list sorted by decreasing length: ``xs[i]`` holds step
``i`` of the ``xs[i].shape[0]`` sequences that are longer than ``i``.
"""
import numpy

from dynet import backend
from dynet.config import config
from dynet.functions import _check
from dynet.functions.loss import _util
from dynet.functions.loss._wrapper_check import Named, as_array
from dynet.variable import Variable

_REDUCE = ('mean', 'no')


def _check_costs(name, cost, xs):
    """Validates ``cost`` (K, K) and ``xs`` (list of (B_i, K), B_i not
    increasing); returns K."""
    if not isinstance(xs, (list, tuple)) or len(xs) == 0:
        raise ValueError(
            '{}: xs must be a non-empty list of (batch, n_label) arrays, '
            'got {}'.format(name, 'an empty list' if isinstance(
                xs, (list, tuple)) else type(xs).__name__))
    c = as_array(cost)
    _check.float_kind(name, 'cost', c)
    _check.ndim_equal(name, 'cost', c, 2)
    if c.shape[0] != c.shape[1]:
        _check.fail(name, 'cost.shape[0] == cost.shape[1] (a square '
                    'transition matrix)', 'cost.shape == {}'.format(c.shape))
    n_label = c.shape[0]
    previous = None
    for i, x in enumerate(xs):
        a = as_array(x)
        x_name = 'xs[{}]'.format(i)
        if a.dtype != c.dtype:
            _check.fail(name, '{}.dtype == cost.dtype'.format(x_name),
                        '{} != {}'.format(a.dtype, c.dtype))
        _check.ndim_equal(name, x_name, a, 2)
        if a.shape[1] != n_label:
            _check.fail(name, '{}.shape[1] == cost.shape[0]'.format(x_name),
                        '{} != {}'.format(a.shape[1], n_label))
        if previous is not None and a.shape[0] > previous:
            _check.fail(
                name, '{}.shape[0] <= xs[{}].shape[0] (sequences sorted by '
                'decreasing length)'.format(x_name, i - 1),
                '{} > {}'.format(a.shape[0], previous))
        previous = a.shape[0]
    return n_label


def _check_labels(name, xs, ys, n_label):
    if not isinstance(ys, (list, tuple)) or len(ys) != len(xs):
        raise ValueError(
            '{}: ys must be a list with one label array per element of xs '
            '(len(xs) == {}), got {}'.format(
                name, len(xs), 'a list of length {}'.format(len(ys))
                if isinstance(ys, (list, tuple)) else type(ys).__name__))
    for i, (x, y) in enumerate(zip(xs, ys)):
        y = as_array(y)
        y_name = 'ys[{}]'.format(i)
        _check.int_kind(name, y_name, y)
        if y.shape != (x.shape[0],):
            _check.fail(name, '{}.shape == (xs[{}].shape[0],)'.format(
                y_name, i), '{}.shape == {}, xs[{}].shape == {}'.format(
                    y_name, y.shape, i, x.shape))
        if config.type_check:
            _util.check_labels(Named(name), y, 0, n_label, name=y_name)


def _concat_rows(first, rest):
    """``first`` followed by the arrays in ``rest`` taken last to first:
    the rows of sequences that ended later come before those that ended
    earlier, which restores the batch order."""
    from dynet.functions.array.concat import concat
    pieces = [first] + [r for r in reversed(rest) if r is not None]
    return first if len(pieces) == 1 else concat(pieces, axis=0)


def crf1d(cost, xs, ys, reduce='mean'):
    """Negative log-likelihood of a linear-chain conditional random field.

    With ``c[s, t]`` the cost of moving from label ``s`` to label ``t``,
    ``x[i, t]`` the cost of label ``t`` at position ``i`` and ``y`` the
    expected labels of a sequence of length ``l``, the loss is
    ``-(sum_i x[i, y_i] + sum_{i<l} c[y_i, y_{i+1}] - log Z)`` where ``Z``
    sums the exponentiated score over all label sequences.

    Args:
        cost: Variable or array ``(K, K)`` of transition costs (float16/32/
            64).
        xs (list): one Variable or array ``(B_i, K)`` per position, of
            ``cost``'s dtype. Batches of sequences of different lengths are
            sorted by decreasing length and transposed, so
            ``B_0 >= B_1 >= ...`` (see ``F.transpose_sequence``).
        ys (list): one int array (or Variable) ``(B_i,)`` of labels in
            ``[0, K)`` per position.
        reduce (str): ``'mean'`` (the sum over the ``B_0`` sequences
            divided by ``B_0``) or ``'no'`` (one loss per sequence, shape
            ``(B_0,)``); anything else raises ValueError.
    Returns:
        Variable of ``cost``'s dtype.
    Raises:
        ValueError: bad ``reduce``, empty ``xs``, ``len(ys) != len(xs)`` or
            a label out of range (checked when ``config.type_check`` is on).
        dynet.utils.type_check.InvalidType: wrong dtypes or shapes.
    """
    from dynet.functions.array.broadcast import broadcast
    from dynet.functions.array.expand_dims import expand_dims
    from dynet.functions.array.reshape import reshape
    from dynet.functions.array.select_item import select_item
    from dynet.functions.connection.embed_id import embed_id
    from dynet.functions.math.logsumexp import logsumexp
    from dynet.functions.math.sum import sum as _sum

    _util.check_reduce('crf1d', reduce, _REDUCE)
    n_label = _check_costs('crf1d', cost, xs)
    _check_labels('crf1d', xs, ys, n_label)
    ys = [as_array(y) for y in ys]
    n_batch = xs[0].shape[0]

    # Forward algorithm: alpha[b, t] = log of the summed exponentiated
    # scores of all prefixes ending in label t.
    alpha = xs[0]
    ended = []
    for x in xs[1:]:
        batch = x.shape[0]
        if alpha.shape[0] > batch:
            ended.append(alpha[batch:])
            alpha = alpha[:batch]
        b_alpha, b_cost = broadcast(expand_dims(alpha, 2), cost)
        alpha = logsumexp(b_alpha + b_cost, axis=1) + x
    log_z = logsumexp(_concat_rows(alpha, ended), axis=1)

    # Score of the expected label sequences.
    flat_cost = reshape(cost, (n_label * n_label, 1))
    score = select_item(xs[0], ys[0])
    ended = []
    for x, y, y_prev in zip(xs[1:], ys[1:], ys[:-1]):
        batch = x.shape[0]
        if score.shape[0] > batch:
            ended.append(score[batch:])
            score = score[:batch]
        transition = embed_id(y_prev[:batch] * n_label + y, flat_cost)
        score = score + (select_item(x, y) + reshape(transition, (batch,)))
    score = _concat_rows(score, ended)

    loss = log_z - score
    if reduce == 'mean':
        return _sum(loss) / n_batch
    return loss


def argmax_crf1d(cost, xs):
    """The most probable label sequences of a linear-chain CRF (Viterbi).

    Args:
        cost: Variable or array ``(K, K)`` of transition costs.
        xs (list): one Variable or array ``(B_i, K)`` per position, sorted
            as for :func:`crf1d` (``B_0 >= B_1 >= ...``).
    Returns:
        tuple: ``(score, path)``. ``score`` is a Variable ``(B_0,)``: the
        best (unnormalized) total score of each sequence, differentiable
        with respect to ``cost`` and ``xs``. ``path`` is a list of
        ``len(xs)`` int32 arrays, ``path[i].shape == (B_i,)``: the labels
        that reach it. Ties go to the smallest label.
    """
    from dynet.functions.array.broadcast import broadcast
    from dynet.functions.array.expand_dims import expand_dims
    from dynet.functions.math.minmax import max as _max

    _check_costs('argmax_crf1d', cost, xs)
    xp = backend.get_array_module(as_array(xs[0]))

    alpha = xs[0] if isinstance(xs[0], Variable) else Variable(
        xs[0], requires_grad=False)
    ended = []          # per step: rows of sequences that ended before it
    best_previous = []  # per step: (B_i, K) best label at the step before
    for x in xs[1:]:
        batch = x.shape[0]
        if alpha.shape[0] > batch:
            ended.append(alpha[batch:])
            alpha = alpha[:batch]
        else:
            ended.append(None)
        b_alpha, b_cost = broadcast(expand_dims(alpha, 2), cost)
        scores = b_alpha + b_cost
        best_previous.append(scores.array.argmax(axis=1).astype(numpy.int32))
        alpha = _max(scores, axis=1) + x

    labels = alpha.array.argmax(axis=1).astype(numpy.int32)
    path = [labels]
    for pointers, rest in zip(reversed(best_previous), reversed(ended)):
        labels = pointers[xp.arange(labels.shape[0]), labels]
        if rest is not None:
            labels = xp.concatenate(
                [labels, rest.array.argmax(axis=1).astype(numpy.int32)])
        path.append(labels)
    path.reverse()

    score = _concat_rows(
        _max(alpha, axis=1),
        [None if r is None else _max(r, axis=1) for r in ended])
    return score, path
