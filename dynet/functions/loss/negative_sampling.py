"""Negative sampling loss (word2vec-style sampled logistic loss)."""

from dynet import backend
from dynet.config import config
from dynet.functions import _check
from dynet.functions.loss import _util
from dynet.functions.loss._wrapper_check import Named, as_array

_REDUCE = ('sum', 'no')
_NAME = 'negative_sampling'
IGNORE_LABEL = -1


def _check_inputs(x, t, W):
    _check.float_kind(_NAME, 'x', x)
    _check.ndim_equal(_NAME, 'x', x, 2)
    _check.int_kind(_NAME, 't', t)
    _check.ndim_equal(_NAME, 't', t, 1)
    if x.shape[0] != t.shape[0]:
        _check.fail(_NAME, 'x.shape[0] == t.shape[0]',
                    '{} != {}'.format(x.shape[0], t.shape[0]))
    _check.float_kind(_NAME, 'W', W)
    _check.ndim_equal(_NAME, 'W', W, 2)
    _check.same_dtype(_NAME, ('W', 'x'), (W, x))
    if W.shape[1] != x.shape[1]:
        _check.fail(_NAME, 'W.shape[1] == x.shape[1]',
                    '{} != {}'.format(W.shape[1], x.shape[1]))
    if config.type_check:
        _util.check_labels(Named(_NAME), t, 0, W.shape[0],
                           ignore_label=IGNORE_LABEL)


def _draw_samples(sampler, t, sample_size, vocab_size, device):
    """``(B, sample_size + 1)`` ids: ``t`` in column 0, then the sampler's
    draws (the sampler is asked for the whole block, as in Chainer)."""
    shape = (t.shape[0], sample_size + 1)
    drawn = sampler(shape)
    if not (hasattr(drawn, 'dtype') and hasattr(drawn, 'shape')):
        got = type(drawn).__name__
    elif drawn.dtype.kind not in 'iu' or drawn.shape != shape:
        got = '{} array of shape {}'.format(drawn.dtype, drawn.shape)
    else:
        got = None
    if got is not None:
        raise ValueError(
            '{}: sampler{} must return an integer array of that shape, '
            'got {}'.format(_NAME, shape, got))
    samples = device.send_array(drawn).copy()
    samples[:, 0] = t
    negatives = samples[:, 1:]
    if config.type_check and negatives.size and (
            int(negatives.min()) < 0 or
            int(negatives.max()) >= vocab_size):
        raise ValueError(
            '{}: the sampler drew ids outside [0, {}) (W.shape[0])'.format(
                _NAME, vocab_size))
    return samples


def negative_sampling(x, t, W, sampler, sample_size, reduce='sum', *,
                      return_samples=False):
    """Negative sampling loss.

    For each example with input ``x_i``, label ``p = t_i`` and ``k``
    negative ids ``n`` drawn by ``sampler``, the loss is
    ``-log sigmoid(x_i . W_p) - sum_n log sigmoid(-x_i . W_n)``.
    Examples whose label is ``-1`` are ignored (their loss is 0).

    Args:
        x: Variable or array ``(B, D)`` of float16/32/64.
        t: int array (or Variable) ``(B,)`` of labels in ``[0, V)`` or -1.
        W: Variable or array ``(V, D)`` of ``x``'s dtype.
        sampler (callable): takes a shape and returns an integer array of
            that shape of ids in ``[0, V)`` (e.g. ``WalkerAlias.sample``).
            It is called once with ``(B, sample_size + 1)``; column 0 is
            then replaced with ``t``.
        sample_size (int): number of negative samples ``k`` per example.
        reduce (str): ``'sum'`` (a scalar) or ``'no'`` (one loss per
            example, shape ``(B,)``); anything else raises ValueError.
        return_samples (bool): also return the ``(B, sample_size + 1)``
            array of ids used (``t`` in column 0).
    Returns:
        Variable of ``x``'s dtype, or ``(loss, samples)`` when
        ``return_samples`` is true. ``x`` and ``W`` get gradients (double
        backprop is supported).
    """
    from dynet.functions.activation.softplus import softplus
    from dynet.functions.array.broadcast import broadcast_to
    from dynet.functions.array.expand_dims import expand_dims
    from dynet.functions.array.where import where
    from dynet.functions.connection.embed_id import embed_id
    from dynet.functions.math.sum import sum as _sum

    _util.check_reduce(_NAME, reduce, _REDUCE)
    if not _util.is_int(sample_size) or sample_size < 0:
        raise ValueError('{}: sample_size must be a non-negative int, got '
                         '{!r}'.format(_NAME, sample_size))
    x_array, t, W_array = as_array(x), as_array(t), as_array(W)
    _check_inputs(x_array, t, W_array)
    xp = backend.get_array_module(x_array)
    device = backend.get_device_from_array(x_array)
    samples = _draw_samples(sampler, t, sample_size, W_array.shape[0],
                            device)

    # Ignored rows look up row 0 and are masked out below.
    keep = t != IGNORE_LABEL
    lookup = samples.copy()
    lookup[:, 0] = xp.where(keep, t, 0)
    w = embed_id(lookup, W)                                 # (B, k + 1, D)
    scores = _sum(w * broadcast_to(expand_dims(x, 1), w.shape), axis=2)
    # -log sigmoid(s) = softplus(-s) for the label, softplus(s) otherwise.
    signs = xp.ones(samples.shape[1], dtype=x_array.dtype)
    signs[0] = -1
    per_example = _sum(softplus(scores * signs), axis=1)    # (B,)
    loss = where(keep, per_example,
                 xp.zeros(per_example.shape, x_array.dtype))
    if reduce == 'sum':
        loss = _sum(loss)
    if return_samples:
        return loss, samples
    return loss
