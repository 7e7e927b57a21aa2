"""Group normalization: per sample, channels normalized in groups."""
import numbers

from dynet.config import config
from dynet.functions import _check
from dynet.functions.normalization import _util

_LABEL = 'GroupNormalization'


def _check_arguments(x, gamma, beta):
    func = _util.Named(_LABEL)
    _check.float_kind(func, 'x', x)
    _check.ndim_at_least(func, 'x', x, 2)
    _check.ndim_equal(func, 'gamma', gamma, 1)
    _check.ndim_equal(func, 'beta', beta, 1)
    _check.float_kind(func, 'gamma', gamma)
    _check.same_dtype(func, ('gamma', 'beta'), (gamma, beta))
    _check.same_shape(func, ('gamma', 'beta'), (gamma, beta))
    if gamma.shape[0] != x.shape[1]:
        _check.fail(func, 'gamma.shape[0] == x.shape[1]',
                    'gamma.shape[0] == {}, x.shape[1] == {}'.format(
                        gamma.shape[0], x.shape[1]))


def group_normalization(x, groups, gamma, beta, eps=1e-5):
    """Group normalization.

    The ``C`` channels of each sample are split into ``groups`` groups of
    ``C // groups`` consecutive channels; each group (with all its spatial
    positions) is normalized by its own mean and biased variance, then
    every channel is scaled and shifted:

    ``y[n, c] = gamma[c] * (x[n, c] - mean[n, g]) / sqrt(var[n, g] + eps)
    + beta[c]`` with ``g = c // (C // groups)``.

    Args:
        x: Variable or array of shape ``(N, C, ...)``, float16/32/64
            (float16 statistics are computed in float32).
        groups (int): the number of groups; must divide ``C``.
        gamma, beta: scale and shift of shape ``(C,)``, floats of one dtype
            (``x``'s dtype, or e.g. float32 for a float16 ``x``).
        eps (float): added to the variances.
    Returns:
        Variable of ``x``'s shape and dtype; differentiable to any order in
        ``x``, ``gamma`` and ``beta``.

    Raises:
        TypeError: ``groups`` is not an int.
        ValueError: ``groups`` is not positive or does not divide ``C``.
    """
    from dynet.functions.array.reshape import reshape
    if not isinstance(groups, numbers.Integral) or isinstance(groups, bool):
        raise TypeError('group_normalization: groups must be an int, got '
                        '{!r}'.format(groups))
    if config.type_check:
        _check_arguments(x, gamma, beta)
    shape = x.shape
    batch_size, channels = shape[:2]
    if groups <= 0 or channels % groups != 0:
        raise ValueError(
            'group_normalization: groups must be a positive divisor of the '
            'number of channels {}, got {}'.format(channels, groups))
    spatial = 1
    for n in shape[2:]:
        spatial *= n
    x_hat = _util.standardize(
        reshape(x, (batch_size, groups, channels // groups * spatial)),
        (2,), eps)
    x_hat = reshape(x_hat, (batch_size, channels, spatial))
    dtype = _util.stat_dtype(x.dtype, gamma.dtype) \
        if gamma.dtype != x.dtype else x.dtype
    x_hat = _util.to_dtype(x_hat, dtype)
    gamma = reshape(_util.to_dtype(gamma, dtype), (channels, 1))
    beta = reshape(_util.to_dtype(beta, dtype), (channels, 1))
    y = reshape(x_hat * gamma + beta, shape)
    return _util.to_dtype(y, x.dtype)
