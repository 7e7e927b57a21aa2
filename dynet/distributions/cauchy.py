"""Cauchy distribution."""
import math
import warnings

from dynet import functions as F
from dynet.distribution import register_kl
from dynet.distributions import _util
from dynet.distributions._loc_scale import LocScale


class Cauchy(LocScale):
    """Cauchy distribution ``p(x) = 1 / (pi scale (1 + ((x - loc) /
    scale)^2))``.

    Args:
        loc (Variable or array): the location (median and mode).
        scale (Variable or array): the scale ``> 0``.

    The mean and variance are undefined: they warn and return NaN.
    Samples are reparameterized (``loc + scale * eps`` with standard Cauchy
    ``eps``).
    """

    def _undefined(self, what):
        warnings.warn('Cauchy.{}: the {} of the Cauchy distribution is '
                      'undefined; returning NaN'.format(what, what),
                      RuntimeWarning)
        return _util.full_like(self.loc, float('nan'))

    @property
    def mean(self):
        from dynet.variable import Variable
        return Variable(self._undefined('mean'), requires_grad=False)

    @property
    def variance(self):
        from dynet.variable import Variable
        return Variable(self._undefined('variance'), requires_grad=False)

    @property
    def mode(self):
        return self.loc

    @property
    def entropy(self):
        return F.log(4 * math.pi * self.scale)

    def log_prob(self, x):
        z = self._z('log_prob', x)
        return -math.log(math.pi) - F.log(self.scale) - F.log1p(F.square(z))

    def cdf(self, x):
        return 0.5 + F.arctan(self._z('cdf', x)) / math.pi

    def icdf(self, x):
        p = _util.value_to_variable(self, 'icdf', x)
        return self.loc + self.scale * F.tan(math.pi * (p - 0.5))

    def _standard_sample(self, shape):
        return self.xp.random.standard_cauchy(shape)


@register_kl(Cauchy, Cauchy)
def _kl_cauchy_cauchy(dist1, dist2):
    # log(((s1 + s2)^2 + (m1 - m2)^2) / (4 s1 s2))
    s1, s2 = dist1.scale, dist2.scale
    return (F.log(F.square(s1 + s2) + F.square(dist1.loc - dist2.loc))
            - F.log(4 * s1 * s2))
