"""Normal (Gaussian) distribution."""
import math

from dynet import functions as F
from dynet.distribution import Distribution, register_kl
from dynet.distributions import _util

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
_HALF_LOG_2PIE = 0.5 * math.log(2 * math.pi * math.e)


class Normal(Distribution):
    """Normal distribution ``p(x) = exp(-(x - loc)^2 / (2 scale^2)) /
    sqrt(2 pi scale^2)``.

    Args:
        loc (Variable or array): the mean ``mu``.
        scale (Variable or array): the standard deviation ``sigma``.
        log_scale (Variable or array, keyword only): ``log(sigma)``; give
            either ``scale`` or ``log_scale``, not both.

    The parameters broadcast together; ``batch_shape`` is their common
    shape and ``event_shape`` is ``()``. Samples are reparameterized
    (``loc + scale * eps``), so gradients flow to ``loc`` and ``scale``.
    """

    def __init__(self, loc, scale=None, **kwargs):
        log_scale = kwargs.pop('log_scale', None)
        if kwargs:
            raise TypeError('Normal: unexpected keyword argument(s) {}'
                            .format(', '.join(sorted(kwargs))))
        if (scale is None) == (log_scale is None):
            raise ValueError(
                'Normal: give either scale or log_scale (not both); got {}'
                .format('both' if scale is not None else 'neither'))
        if scale is not None:
            v = _util.broadcast_params('Normal', _util.params_to_variables(
                'Normal', loc=loc, scale=scale))
            self.loc, self._scale, self._log_scale = v['loc'], v['scale'], None
        else:
            v = _util.broadcast_params('Normal', _util.params_to_variables(
                'Normal', loc=loc, log_scale=log_scale))
            self.loc, self._scale = v['loc'], None
            self._log_scale = v['log_scale']

    @property
    def scale(self):
        """Variable: the standard deviation ``sigma``."""
        if self._scale is not None:
            return self._scale
        return F.exp(self._log_scale)

    @property
    def log_scale(self):
        """Variable: ``log(sigma)``."""
        if self._log_scale is not None:
            return self._log_scale
        return F.log(self._scale)

    @property
    def batch_shape(self):
        return self.loc.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'loc': self.loc, 'scale': self.scale}

    def _reference_param(self):
        return self.loc           # params would compute exp(log_scale)

    @property
    def support(self):
        return 'real'

    @property
    def mean(self):
        return self.loc

    @property
    def mode(self):
        return self.loc

    @property
    def stddev(self):
        return self.scale

    @property
    def variance(self):
        return F.square(self.scale)

    @property
    def entropy(self):
        return self.log_scale + _HALF_LOG_2PIE

    def _standardize(self, method, x):
        x = _util.value_to_variable(self, method, x)
        if self._log_scale is not None:
            return (x - self.loc) * F.exp(-self._log_scale)
        return (x - self.loc) / self._scale

    def log_prob(self, x):
        z = self._standardize('log_prob', x)
        return -0.5 * F.square(z) - self.log_scale - _HALF_LOG_2PI

    def cdf(self, x):
        return F.ndtr(self._standardize('cdf', x))

    def log_cdf(self, x):
        return F.log_ndtr(self._standardize('log_cdf', x))

    def survival_function(self, x):
        return F.ndtr(-self._standardize('survival_function', x))

    def log_survival_function(self, x):
        return F.log_ndtr(-self._standardize('log_survival_function', x))

    def icdf(self, x):
        p = _util.value_to_variable(self, 'icdf', x)
        return self.loc + self.scale * (math.sqrt(2) * F.erfinv(2 * p - 1))

    def sample_n(self, n):
        n = _util.check_n(self, n)
        xp = self.xp
        eps = xp.random.standard_normal((n,) + self.batch_shape)
        eps = eps.astype(self.loc.dtype, copy=False)
        return self.loc + self.scale * eps


@register_kl(Normal, Normal)
def _kl_normal_normal(dist1, dist2):
    # log(s2 / s1) + (s1^2 + (m1 - m2)^2) / (2 s2^2) - 1/2
    ratio = F.exp(2 * (dist1.log_scale - dist2.log_scale))
    diff = (dist1.loc - dist2.loc) / dist2.scale
    return (dist2.log_scale - dist1.log_scale
            + 0.5 * (ratio + F.square(diff)) - 0.5)
