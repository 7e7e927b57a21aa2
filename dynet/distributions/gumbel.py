"""Gumbel (type-I extreme value) distribution."""
import math

from dynet import functions as F
from dynet.distribution import register_kl
from dynet.distributions import _util
from dynet.distributions._loc_scale import LocScale

_EULER = 0.57721566490153286061


class Gumbel(LocScale):
    """Gumbel distribution ``p(x) = exp(-(z + exp(-z))) / scale`` with ``z
    = (x - loc) / scale``.

    Args:
        loc (Variable or array): the location (mode).
        scale (Variable or array): the scale ``> 0``.

    Samples are reparameterized (``loc + scale * eps`` with standard Gumbel
    ``eps``).
    """

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

    def _standard_sample(self, shape):
        return self.xp.random.gumbel(size=shape)


@register_kl(Gumbel, Gumbel)
def _kl_gumbel_gumbel(dist1, dist2):
    # log(b2 / b1) + gamma (b1 / b2 - 1) + (m1 - m2) / b2
    #   + exp((m2 - m1) / b2) Gamma(b1 / b2 + 1) - 1
    b1, b2 = dist1.scale, dist2.scale
    ratio = b1 / b2
    return (F.log(b2) - F.log(b1) + _EULER * (ratio - 1)
            + (dist1.loc - dist2.loc) / b2
            + F.exp((dist2.loc - dist1.loc) / b2 + F.lgamma(ratio + 1)) - 1)
