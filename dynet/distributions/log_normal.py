"""Log-normal distribution: ``exp`` of a normal variable."""
import math

from dynet import functions as F
from dynet.distribution import Distribution, register_kl
from dynet.distributions import _util
from dynet.distributions.gamma import positive_part_log_prob

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


class LogNormal(Distribution):
    """Log-normal distribution: ``log(x)`` is normal with mean ``mu`` and
    standard deviation ``sigma``.

    Args:
        mu (Variable or array): the mean of ``log(x)``.
        sigma (Variable or array): the standard deviation of ``log(x)``.

    Samples are reparameterized (``exp(mu + sigma * eps)``).
    """

    def __init__(self, mu, sigma):
        v = _util.broadcast_params('LogNormal', _util.params_to_variables(
            'LogNormal', mu=mu, sigma=sigma))
        self.mu, self.sigma = v['mu'], v['sigma']

    @property
    def batch_shape(self):
        return self.mu.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'mu': self.mu, 'sigma': self.sigma}

    @property
    def support(self):
        return 'positive'

    @property
    def mean(self):
        return F.exp(self.mu + F.square(self.sigma) / 2)

    @property
    def mode(self):
        return F.exp(self.mu - F.square(self.sigma))

    @property
    def variance(self):
        s2 = F.square(self.sigma)
        return F.expm1(s2) * F.exp(2 * self.mu + s2)

    @property
    def entropy(self):
        return self.mu + F.log(self.sigma) + 0.5 + _HALF_LOG_2PI

    def log_prob(self, x):
        x = _util.value_to_variable(self, 'log_prob', x)
        mu, sigma = self.mu, self.sigma

        def log_density(x):
            log_x = F.log(x)
            z = (log_x - mu) / sigma
            return -0.5 * F.square(z) - F.log(sigma) - _HALF_LOG_2PI - log_x
        return positive_part_log_prob(x, log_density)

    def cdf(self, x):
        x = _util.value_to_variable(self, 'cdf', x)
        mu, sigma = self.mu, self.sigma
        xp = self.xp
        positive = x.array > 0
        safe_x = F.where(positive, x, _util.const(xp, 1, x.dtype))
        y = F.ndtr((F.log(safe_x) - mu) / sigma)
        return _util.where_finite(positive, y, 0)

    def icdf(self, x):
        p = _util.value_to_variable(self, 'icdf', x)
        return F.exp(self.mu + self.sigma * (math.sqrt(2)
                                             * F.erfinv(2 * p - 1)))

    def sample_n(self, n):
        n = _util.check_n(self, n)
        xp = self.xp
        eps = xp.random.standard_normal((n,) + self.batch_shape)
        eps = eps.astype(self.mu.dtype, copy=False)
        return F.exp(self.mu + self.sigma * eps)


@register_kl(LogNormal, LogNormal)
def _kl_log_normal_log_normal(dist1, dist2):
    # Invariant under the shared bijection exp: the KL of the normals.
    ratio = F.square(dist1.sigma / dist2.sigma)
    diff = (dist1.mu - dist2.mu) / dist2.sigma
    return (0.5 * (ratio + F.square(diff) - 1)
            - F.log(dist1.sigma / dist2.sigma))
