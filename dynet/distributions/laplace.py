"""Laplace (double exponential) distribution."""
import math

from dynet import functions as F
from dynet.distribution import register_kl
from dynet.distributions import _util
from dynet.distributions._loc_scale import LocScale


class Laplace(LocScale):
    """Laplace distribution ``p(x) = exp(-|x - loc| / scale) / (2
    scale)``.

    Args:
        loc (Variable or array): the location (mean and median).
        scale (Variable or array): the scale ``b > 0``.

    Samples are reparameterized (``loc + scale * eps`` with standard Laplace
    ``eps``).
    """

    @property
    def mean(self):
        return self.loc

    @property
    def mode(self):
        return self.loc

    @property
    def variance(self):
        return 2 * F.square(self.scale)

    @property
    def stddev(self):
        return math.sqrt(2) * self.scale

    @property
    def entropy(self):
        return F.log(2 * self.scale) + 1

    def log_prob(self, x):
        z = self._z('log_prob', x)
        return -F.absolute(z) - F.log(2 * self.scale)

    def cdf(self, x):
        z = self._z('cdf', x)
        # 0.5 exp(z) below the location, 1 - 0.5 exp(-z) above. Each
        # branch sees only its own half of z, so the exp never overflows
        # (an inf in the unused branch would turn its zero gradient NaN).
        below = z.array < 0
        zero = _util.const(self.xp, 0, z.dtype)
        z_below = F.where(below, z, zero)
        z_above = F.where(below, zero, z)
        return F.where(below, 0.5 * F.exp(z_below),
                       1 - 0.5 * F.exp(-z_above))

    def icdf(self, x):
        p = _util.value_to_variable(self, 'icdf', x)
        centered = p - 0.5
        sign = self.xp.sign(centered.array).astype(p.dtype)
        return self.loc - self.scale * sign * F.log1p(
            -2 * F.absolute(centered))

    def _standard_sample(self, shape):
        return self.xp.random.laplace(size=shape)


@register_kl(Laplace, Laplace)
def _kl_laplace_laplace(dist1, dist2):
    # log(b2 / b1) + |m1 - m2| / b2 + (b1 / b2) exp(-|m1 - m2| / b1) - 1
    b1, b2 = dist1.scale, dist2.scale
    gap = F.absolute(dist1.loc - dist2.loc)
    return (F.log(b2) - F.log(b1) + gap / b2
            + b1 / b2 * F.exp(-gap / b1) - 1)
