"""Layer normalization: each sample normalized over its units."""
from dynet.config import config
from dynet.functions import _check
from dynet.functions.normalization import _util

_LABEL = 'LayerNormalization'


def _check_arguments(x, gamma, beta):
    func = _util.Named(_LABEL)
    _check.float_kind(func, 'x', x)
    _check.ndim_equal(func, 'x', x, 2)
    _check.ndim_equal(func, 'gamma', gamma, 1)
    _check.ndim_equal(func, 'beta', beta, 1)
    _check.same_dtype(func, ('x', 'gamma', 'beta'), (x, gamma, beta))
    _check.same_shape(func, ('gamma', 'beta'), (gamma, beta))
    if gamma.shape[0] != x.shape[1]:
        _check.fail(func, 'gamma.shape[0] == x.shape[1]',
                    'gamma.shape[0] == {}, x.shape[1] == {}'.format(
                        gamma.shape[0], x.shape[1]))


def layer_normalization(x, gamma, beta, eps=1e-5):
    """Layer normalization: each row of ``x`` normalized by its own mean
    and (biased) variance, then scaled and shifted:

    ``y[i] = gamma * (x[i] - mean(x[i])) / sqrt(var(x[i]) + eps) + beta``

    Args:
        x: Variable or array of shape ``(batch_size, unit_size)``,
            float16/32/64 (float16 statistics are computed in float32).
        gamma, beta: scale and shift of shape ``(unit_size,)`` and
            ``x``'s dtype.
        eps (float): added to the variance.
    Returns:
        Variable of ``x``'s shape and dtype; differentiable to any order in
        all three inputs.
    """
    if config.type_check:
        _check_arguments(x, gamma, beta)
    x_hat = _util.standardize(x, (1,), eps)
    return x_hat * gamma + beta
