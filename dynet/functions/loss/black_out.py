"""BlackOut loss: a softmax over the correct label and sampled negatives."""
from dynet.config import config
from dynet.functions import _check
from dynet.functions.loss import _util
from dynet.functions.loss._wrapper_check import Named, as_array

_REDUCE = ('mean', 'no')
_NAME = 'black_out'


def _check_inputs(x, t, W, samples):
    _check.float_kind(_NAME, 'x', x)
    _check.ndim_equal(_NAME, 'x', x, 2)
    _check.int_kind(_NAME, 't', t)
    _check.ndim_equal(_NAME, 't', t, 1)
    _check.float_kind(_NAME, 'W', W)
    _check.ndim_equal(_NAME, 'W', W, 2)
    _check.int_kind(_NAME, 'samples', samples)
    _check.ndim_equal(_NAME, 'samples', samples, 2)
    _check.same_dtype(_NAME, ('W', 'x'), (W, x))
    if W.shape[1] != x.shape[1]:
        _check.fail(_NAME, 'W.shape[1] == x.shape[1]',
                    '{} != {}'.format(W.shape[1], x.shape[1]))
    for name, array in (('t', t), ('samples', samples)):
        if array.shape[0] != x.shape[0]:
            _check.fail(_NAME, '{}.shape[0] == x.shape[0]'.format(name),
                        '{} != {}'.format(array.shape[0], x.shape[0]))
    if config.type_check:
        vocab = W.shape[0]
        _util.check_labels(Named(_NAME), t, 0, vocab)
        _util.check_labels(Named(_NAME), samples, 0, vocab, name='samples')


def black_out(x, t, W, samples, reduce='mean'):
    """BlackOut loss.

    With ``s_y = W_y . x`` and ``p(y) = exp(s_y) / (exp(s_t) +
    sum_{n in samples} exp(s_n))`` (a softmax over the correct label ``t``
    and the example's negative samples), the loss of an example is
    ``-log p(t) - sum_{n in samples} log(1 - p(n))``.

    Args:
        x: Variable or array ``(N, D)`` of float16/32/64.
        t: int array (or Variable) ``(N,)`` of labels in ``[0, V)``.
        W: Variable or array ``(V, D)`` of ``x``'s dtype.
        samples: int array (or Variable) ``(N, S)`` of negative ids in
            ``[0, V)``.
        reduce (str): ``'mean'`` (the average over the batch) or ``'no'``
            (shape ``(N,)``); anything else raises ValueError.
    Returns:
        Variable of ``x``'s dtype. ``x`` and ``W`` get gradients (double
        backprop is supported).
    Raises:
        ValueError: bad ``reduce`` or an id out of range (checked when
            ``config.type_check`` is on; Chainer's documentation also
            allows ``t == -1``, which Chainer itself does not handle).
    """
    from dynet.functions.array.broadcast import broadcast_to
    from dynet.functions.array.concat import concat
    from dynet.functions.array.expand_dims import expand_dims
    from dynet.functions.connection.embed_id import embed_id
    from dynet.functions.math.average import average
    from dynet.functions.math.exponential import exp
    from dynet.functions.math.exponential import log1p
    from dynet.functions.math.logsumexp import logsumexp
    from dynet.functions.math.sum import sum as _sum

    _util.check_reduce(_NAME, reduce, _REDUCE)
    t, samples = as_array(t), as_array(samples)
    _check_inputs(as_array(x), t, as_array(W), samples)

    negative_w = embed_id(samples, W)                              # (N, S, D)
    negative = _sum(negative_w * broadcast_to(expand_dims(x, 1),
                                              negative_w.shape), axis=2)
    positive = _sum(embed_id(t, W) * x, axis=1)                    # (N,)
    log_z = logsumexp(concat([expand_dims(positive, 1), negative], axis=1),
                      axis=1)
    # log(1 - p(n)) for every negative n, with p(n) = exp(s_n - log_z).
    log_z_b = broadcast_to(expand_dims(log_z, 1), negative.shape)
    not_chosen = _sum(log1p(-exp(negative - log_z_b)), axis=1)
    loss = -(positive - log_z + not_chosen)
    if reduce == 'mean':
        loss = average(loss)
    return loss
