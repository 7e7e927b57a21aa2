"""Exponential distribution."""
from dynet import functions as F
from dynet.distribution import Distribution, register_kl
from dynet.distributions import _util


class Exponential(Distribution):
    """Exponential distribution ``p(x) = lam exp(-lam x)`` for ``x >= 0``.

    Args:
        lam (Variable or array): the rate ``lambda > 0``.

    Samples are reparameterized (``eps / lam`` with standard exponential
    ``eps``).
    """

    def __init__(self, lam):
        self.lam = _util.params_to_variables('Exponential', lam=lam)['lam']

    @property
    def batch_shape(self):
        return self.lam.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'lam': self.lam}

    @property
    def support(self):
        return 'positive'

    @property
    def mean(self):
        return 1 / self.lam

    @property
    def mode(self):
        return self.lam * 0

    @property
    def variance(self):
        return 1 / F.square(self.lam)

    @property
    def stddev(self):
        return 1 / self.lam

    @property
    def entropy(self):
        return 1 - F.log(self.lam)

    def log_prob(self, x):
        x = _util.value_to_variable(self, 'log_prob', x)
        y = F.log(self.lam) - self.lam * x
        return _util.where_finite(x.array >= 0, y, -float('inf'))

    def cdf(self, x):
        x = _util.value_to_variable(self, 'cdf', x)
        y = -F.expm1(-self.lam * x)
        return _util.where_finite(x.array >= 0, y, 0)

    def log_cdf(self, x):
        return F.log(self.cdf(x))

    def survival_function(self, x):
        x = _util.value_to_variable(self, 'survival_function', x)
        y = F.exp(-self.lam * x)
        return _util.where_finite(x.array >= 0, y, 1)

    def log_survival_function(self, x):
        x = _util.value_to_variable(self, 'log_survival_function', x)
        y = -self.lam * x
        return _util.where_finite(x.array >= 0, y, 0)

    def icdf(self, x):
        p = _util.value_to_variable(self, 'icdf', x)
        return -F.log1p(-p) / self.lam

    def sample_n(self, n):
        n = _util.check_n(self, n)
        xp = self.xp
        eps = xp.random.standard_exponential((n,) + self.batch_shape)
        return eps.astype(self.lam.dtype, copy=False) / self.lam


@register_kl(Exponential, Exponential)
def _kl_exponential_exponential(dist1, dist2):
    # log(l1 / l2) + l2 / l1 - 1
    return F.log(dist1.lam) - F.log(dist2.lam) + dist2.lam / dist1.lam - 1
