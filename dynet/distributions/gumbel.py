"""Gumbel (type-I extreme value) distribution."""
import math

from dynet import functions as F
from dynet.distribution import Distribution, register_kl
from dynet.distributions import _util

_EULER = 0.57721566490153286061


class Gumbel(Distribution):
    """Gumbel distribution ``p(x) = exp(-(z + exp(-z))) / scale`` with ``z
    = (x - loc) / scale``.

    Args:
        loc (Variable or array): the location (mode).
        scale (Variable or array): the scale ``> 0``.

    Samples are reparameterized (``loc + scale * eps`` with standard Gumbel
    ``eps``).
    """

    def __init__(self, loc, scale):
        v = _util.broadcast_params('Gumbel', _util.params_to_variables(
            'Gumbel', loc=loc, scale=scale))
        self.loc, self.scale = v['loc'], v['scale']

    @property
    def batch_shape(self):
        return self.loc.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'loc': self.loc, 'scale': self.scale}

    @property
    def support(self):
        return 'real'

    @property
    def mean(self):
        return self.loc + _EULER * self.scale

    @property
    def mode(self):
        return self.loc

    @property
    def variance(self):
        return (math.pi ** 2 / 6) * F.square(self.scale)

    @property
    def entropy(self):
        return F.log(self.scale) + (_EULER + 1)

    def _z(self, method, x):
        x = _util.value_to_variable(self, method, x)
        return (x - self.loc) / self.scale

    def log_prob(self, x):
        z = self._z('log_prob', x)
        return -(z + F.exp(-z)) - F.log(self.scale)

    def cdf(self, x):
        return F.exp(-F.exp(-self._z('cdf', x)))

    def log_cdf(self, x):
        return -F.exp(-self._z('log_cdf', x))

    def icdf(self, x):
        p = _util.value_to_variable(self, 'icdf', x)
        return self.loc - self.scale * F.log(-F.log(p))

    def sample_n(self, n):
        n = _util.check_n(self, n)
        xp = self.xp
        eps = xp.random.gumbel(size=(n,) + self.batch_shape)
        return self.loc + self.scale * eps.astype(self.loc.dtype, copy=False)


@register_kl(Gumbel, Gumbel)
def _kl_gumbel_gumbel(dist1, dist2):
    # log(b2 / b1) + gamma (b1 / b2 - 1) + (m1 - m2) / b2
    #   + exp((m2 - m1) / b2) Gamma(b1 / b2 + 1) - 1
    b1, b2 = dist1.scale, dist2.scale
    ratio = b1 / b2
    return (F.log(b2) - F.log(b1) + _EULER * (ratio - 1)
            + (dist1.loc - dist2.loc) / b2
            + F.exp((dist2.loc - dist1.loc) / b2 + F.lgamma(ratio + 1)) - 1)
