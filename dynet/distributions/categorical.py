"""Categorical distribution over ``{0, ..., K - 1}``."""
import numpy

from dynet import backend
from dynet import functions as F
from dynet.distribution import Distribution, register_kl
from dynet.distributions import _util


def check_probabilities(owner, p):
    """Raises ValueError unless ``p`` (an array) holds probability vectors
    along its last axis."""
    if p.ndim < 1 or p.shape[-1] < 1:
        raise ValueError('{}: p must have at least one axis of at least one '
                         'category, got p.shape == {}'.format(owner, p.shape))
    xp = backend.get_array_module(p)
    if bool(xp.any(p < 0)) or not bool(xp.all(xp.isfinite(p))):
        raise ValueError('{}: p must hold finite non-negative probabilities'
                         .format(owner))
    tolerance = 1e-2 if p.dtype == numpy.float16 else 1e-4 * max(
        1, p.shape[-1] ** 0.5)
    sums = p.sum(axis=-1, dtype=numpy.float64)
    if p.size and float(abs(sums - 1).max()) > tolerance:
        raise ValueError('{}: p must sum to 1 along its last axis; the sums '
                         'are off by up to {:.3g}'.format(
                             owner, float(abs(sums - 1).max())))


def check_logit(owner, logit):
    if logit.ndim < 1 or logit.shape[-1] < 1:
        raise ValueError('{}: logit must have at least one axis of at least '
                         'one category, got logit.shape == {}'.format(
                             owner, logit.shape))


def sample_indices(xp, p, n):
    """``n`` category indices per row of ``p`` (shape ``batch + (K,)``),
    shape ``(n,) + batch``, int32.

    Draws like ``numpy.random.choice(K, n, p=row)`` row after row: ``n``
    uniforms per row, then the first category whose cumulative probability
    exceeds them. So a seeded NumPy run gives Chainer's numbers.
    """
    batch, k = p.shape[:-1], p.shape[-1]
    rows = p.reshape(-1, k).astype(numpy.float64)
    cdf = rows.cumsum(axis=-1)
    cdf /= cdf[:, -1:]
    uniforms = xp.random.random_sample((rows.shape[0], n))
    indices = xp.empty((rows.shape[0], n), dtype=numpy.int32)
    # Compare in chunks of rows to bound memory at about 4M booleans.
    chunk = max(1, (1 << 22) // max(1, n * k))
    for start in range(0, rows.shape[0], chunk):
        stop = start + chunk
        below = cdf[start:stop, None, :] <= uniforms[start:stop, :, None]
        indices[start:stop] = below.sum(axis=-1)
    xp.minimum(indices, k - 1, out=indices)   # guards rounding at the top
    return indices.T.reshape((n,) + batch)


class Categorical(Distribution):
    """Categorical distribution ``P(x = i) = p_i``.

    Args:
        p (Variable or array): probabilities along the last axis (shape
            ``batch_shape + (K,)``).
        logit (Variable or array): unnormalized log probabilities
            ``log p + C``; give either ``p`` or ``logit``, not both.

    ``event_shape`` is ``()``. ``log_prob`` takes integer indices; samples
    are int32 indices without gradient.
    """

    def __init__(self, p=None, logit=None):
        if (p is None) == (logit is None):
            raise ValueError(
                'Categorical: give either p or logit (not both); got {}'
                .format('both' if p is not None else 'neither'))
        if p is not None:
            self._p = _util.params_to_variables('Categorical', p=p)['p']
            check_probabilities('Categorical', self._p.array)
            self._logit = None
        else:
            self._logit = _util.params_to_variables(
                'Categorical', logit=logit)['logit']
            check_logit('Categorical', self._logit)
            self._p = None

    @property
    def _param(self):
        return self._p if self._p is not None else self._logit

    @property
    def p(self):
        """Variable: the probabilities (shape ``batch_shape + (K,)``)."""
        if self._p is not None:
            return self._p
        return F.softmax(self._logit, axis=-1)

    @property
    def log_p(self):
        """Variable: the log probabilities."""
        if self._p is not None:
            return F.log(self._p)
        return F.log_softmax(self._logit, axis=-1)

    @property
    def logit(self):
        """Variable: the logit given, or ``log p``."""
        if self._logit is not None:
            return self._logit
        return F.log(self._p)

    @property
    def batch_shape(self):
        return self._param.shape[:-1]

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        if self._p is not None:
            return {'p': self._p}
        return {'logit': self._logit}

    @property
    def support(self):
        return '{{0, 1, ..., {}}}'.format(self._param.shape[-1] - 1)

    @property
    def entropy(self):
        if self._p is not None:
            return -F.sum(_util.xlogx(self._p), axis=-1)
        return -F.sum(self.p * self.log_p, axis=-1)

    def log_prob(self, x):
        x = _util.value_array(self, 'log_prob', x)
        k = self._param.shape[-1]
        if x.dtype.kind not in 'iu' and x.size:
            if not bool((x == x.astype(numpy.int64)).all()):
                raise ValueError('Categorical.log_prob: x must hold integer '
                                 'category indices, got dtype {}'.format(
                                     x.dtype))
        if x.size and (bool((x < 0).any()) or bool((x >= k).any())):
            raise ValueError('Categorical.log_prob: x must hold indices in '
                             '[0, {}), got values from {} to {}'.format(
                                 k, x.min().item(), x.max().item()))
        shape = numpy.broadcast_shapes(x.shape, self.batch_shape)
        xp = self.xp
        x = xp.broadcast_to(x, shape).reshape(-1).astype(numpy.int32)
        log_p = _util.broadcast_to(self.log_p, shape + (k,))
        log_p = F.reshape(log_p, (-1, k))
        return F.reshape(F.select_item(log_p, x), shape)

    def sample_n(self, n):
        n = _util.check_n(self, n)
        indices = sample_indices(self.xp, self.p.array, n)
        return _util.random_variable(self.xp, indices, numpy.int32)


def safe_log_p(dist, mask):
    """``log p`` of a Categorical-like ``dist``, with the entries under
    ``mask`` computed as ``log 1`` so that neither they nor their gradients
    are infinite or NaN (the caller multiplies them by zero)."""
    if dist._p is None:
        return dist.log_p          # log_softmax of finite logits is finite
    if not bool(mask.any()):
        return F.log(dist._p)
    xp = backend.get_array_module(dist._p)
    return F.log(F.where(mask, _util.const(xp, 1, dist._p.dtype), dist._p))


def kl_categorical(dist1, dist2):
    """``sum(p1 (log p1 - log p2))`` over the last axis, with ``0 log 0 =
    0``, for Categorical-like distributions (``_p``/``_logit``/``p``/
    ``log_p``)."""
    p1 = dist1.p
    zero = p1.array == 0
    return F.sum(p1 * (safe_log_p(dist1, zero) - safe_log_p(dist2, zero)),
                 axis=-1)


@register_kl(Categorical, Categorical)
def _kl_categorical_categorical(dist1, dist2):
    return kl_categorical(dist1, dist2)
