"""Independent: reinterprets batch axes of a distribution as event axes."""
import numbers

import numpy

from dynet import functions as F
from dynet.distribution import Distribution, kl_divergence, register_kl
from dynet.distributions import _util


class Independent(Distribution):
    """Treats the rightmost batch axes of ``distribution`` as event axes.

    The result is one distribution over the joint of those independent
    components: ``log_prob``, ``entropy`` and ``log_cdf`` sum over the
    reinterpreted axes, ``prob`` and ``cdf`` multiply.

    Args:
        distribution (Distribution): the base distribution.
        reinterpreted_batch_ndims (int): how many rightmost batch axes
            become event axes. ``None`` (the default) moves all batch axes
            but the first.
    """

    def __init__(self, distribution, reinterpreted_batch_ndims=None):
        if not isinstance(distribution, Distribution):
            raise TypeError('Independent: distribution must be a '
                            'Distribution, got {}'.format(
                                type(distribution).__name__))
        batch_ndim = len(distribution.batch_shape)
        if reinterpreted_batch_ndims is None:
            reinterpreted_batch_ndims = max(0, batch_ndim - 1)
        if (not isinstance(reinterpreted_batch_ndims, numbers.Integral)
                or isinstance(reinterpreted_batch_ndims, bool)):
            raise TypeError('Independent: reinterpreted_batch_ndims must be '
                            'an int or None, got {!r}'.format(
                                reinterpreted_batch_ndims))
        if not 0 <= reinterpreted_batch_ndims <= batch_ndim:
            raise ValueError(
                'Independent: reinterpreted_batch_ndims must be in [0, {}] '
                '(the number of batch axes of the {}, batch_shape {}), got '
                '{}'.format(batch_ndim, type(distribution).__name__,
                            tuple(distribution.batch_shape),
                            reinterpreted_batch_ndims))
        self._distribution = distribution
        self._ndims = int(reinterpreted_batch_ndims)
        split = batch_ndim - self._ndims
        base_batch = tuple(distribution.batch_shape)
        self._batch_shape = base_batch[:split]
        self._event_shape = base_batch[split:] + tuple(
            distribution.event_shape)

    @property
    def distribution(self):
        """Distribution: the base distribution."""
        return self._distribution

    @property
    def reinterpreted_batch_ndims(self):
        """int: the number of batch axes moved to the event."""
        return self._ndims

    @property
    def batch_shape(self):
        return self._batch_shape

    @property
    def event_shape(self):
        return self._event_shape

    @property
    def params(self):
        return self._distribution.params

    @property
    def support(self):
        return self._distribution.support

    @property
    def xp(self):
        return self._distribution.xp

    @property
    def device(self):
        return self._distribution.device

    @property
    def mean(self):
        return self._distribution.mean

    @property
    def mode(self):
        return self._distribution.mode

    @property
    def variance(self):
        return self._distribution.variance

    @property
    def stddev(self):
        return self._distribution.stddev

    @property
    def entropy(self):
        return _util.sum_last(self._distribution.entropy, self._ndims)

    @property
    def covariance(self):
        """Block-diagonal covariance over the flattened event: the base's
        covariance (or variance, for scalar events) repeated along the
        reinterpreted axes. Shape ``batch_shape + (m, m)`` with ``m`` the
        size of ``event_shape``."""
        base = self._distribution
        inner = int(numpy.prod(base.event_shape, dtype=numpy.int64))
        count = int(numpy.prod(base.batch_shape[len(self._batch_shape):],
                               dtype=numpy.int64))
        xp = self.xp
        if len(base.event_shape) == 0:
            var = F.reshape(base.variance, self._batch_shape + (count,))
            eye = xp.eye(count, dtype=var.dtype)
            return F.expand_dims(var, -1) * eye
        if len(base.event_shape) != 1:
            raise NotImplementedError(
                'Independent.covariance: base distributions with events of '
                'more than one axis are not supported (event_shape {})'
                .format(tuple(base.event_shape)))
        cov = F.reshape(base.covariance,
                        self._batch_shape + (count, inner, 1, inner))
        # block[..., i, a, j, b] = (i == j) * cov[..., i, a, b]
        eye = xp.eye(count, dtype=cov.dtype).reshape(count, 1, count, 1)
        blocks = cov * eye
        return F.reshape(blocks, self._batch_shape + (count * inner,
                                                      count * inner))

    def log_prob(self, x):
        return _util.sum_last(self._distribution.log_prob(x), self._ndims)

    def prob(self, x):
        return _util.prod_last(self._distribution.prob(x), self._ndims)

    def cdf(self, x):
        return _util.prod_last(self._distribution.cdf(x), self._ndims)

    def log_cdf(self, x):
        return _util.sum_last(self._distribution.log_cdf(x), self._ndims)

    def survival_function(self, x):
        return _util.prod_last(self._distribution.survival_function(x),
                               self._ndims)

    def log_survival_function(self, x):
        return _util.sum_last(self._distribution.log_survival_function(x),
                              self._ndims)

    def icdf(self, x):
        raise RuntimeError('Independent.icdf: the cumulative distribution '
                           'function of a multivariate variable is not '
                           'invertible')

    def sample_n(self, n):
        return self._distribution.sample_n(n)

    def __repr__(self):
        return ('Independent({!r}, reinterpreted_batch_ndims={})'.format(
            self._distribution, self._ndims))


@register_kl(Independent, Independent)
def _kl_independent_independent(dist1, dist2):
    if tuple(dist1.event_shape) != tuple(dist2.event_shape):
        raise ValueError('kl_divergence: the event shapes of the two '
                         'Independent distributions differ: {} and {}'.format(
                             tuple(dist1.event_shape),
                             tuple(dist2.event_shape)))
    p, q = dist1.distribution, dist2.distribution
    if tuple(p.event_shape) != tuple(q.event_shape):
        raise NotImplementedError(
            'kl_divergence: Independent distributions over bases with '
            'different event shapes ({} and {}) are not supported'.format(
                tuple(p.event_shape), tuple(q.event_shape)))
    axes = len(dist1.event_shape) - len(p.event_shape)
    return _util.sum_last(kl_divergence(p, q), axes)
