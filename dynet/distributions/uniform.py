"""Continuous uniform distribution on ``[low, high]``."""
import math

from dynet import functions as F
from dynet.distribution import Distribution, register_kl
from dynet.distributions import _util


class Uniform(Distribution):
    """Uniform distribution with density ``1 / (high - low)`` on ``[low,
    high]``.

    Give either ``low`` and ``high`` or (as keywords) ``loc`` and ``scale``,
    meaning ``low = loc`` and ``high = loc + scale``. The parameters
    broadcast together. Samples are reparameterized (``low + u * (high -
    low)``), so gradients flow to both bounds.
    """

    def __init__(self, low=None, high=None, **kwargs):
        loc = kwargs.pop('loc', None)
        scale = kwargs.pop('scale', None)
        if kwargs:
            raise TypeError('Uniform: unexpected keyword argument(s) {}'
                            .format(', '.join(sorted(kwargs))))
        by_bounds = low is not None or high is not None
        by_loc = loc is not None or scale is not None
        if by_bounds and by_loc:
            raise ValueError('Uniform: give either low and high or loc and '
                             'scale, not both')
        if by_bounds:
            if low is None or high is None:
                raise ValueError('Uniform: give both low and high')
            v = _util.broadcast_params('Uniform', _util.params_to_variables(
                'Uniform', low=low, high=high))
            self.low, self.high = v['low'], v['high']
        elif by_loc:
            if loc is None or scale is None:
                raise ValueError('Uniform: give both loc and scale')
            v = _util.broadcast_params('Uniform', _util.params_to_variables(
                'Uniform', loc=loc, scale=scale))
            self.low, self.high = v['loc'], v['loc'] + v['scale']
        else:
            raise ValueError('Uniform: give low and high (or loc and scale)')

    @property
    def loc(self):
        """Variable: ``low``."""
        return self.low

    @property
    def scale(self):
        """Variable: ``high - low``."""
        return self.high - self.low

    @property
    def batch_shape(self):
        return self.low.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'low': self.low, 'high': self.high}

    @property
    def support(self):
        return '[low, high]'

    @property
    def mean(self):
        return (self.low + self.high) / 2

    @property
    def variance(self):
        return F.square(self.scale) / 12

    @property
    def stddev(self):
        return self.scale / math.sqrt(12)

    @property
    def entropy(self):
        return F.log(self.scale)

    def _inside(self, x):
        return (x.array >= self.low.array) & (x.array <= self.high.array)

    def log_prob(self, x):
        x = _util.value_to_variable(self, 'log_prob', x)
        shape = _util.broadcast_shapes('Uniform.log_prob', {
            'x': x.shape, 'low': self.low.shape})
        density = _util.broadcast_to(-F.log(self.scale), shape)
        return _util.where_finite(self._inside(x), density, -float('inf'))

    def cdf(self, x):
        x = _util.value_to_variable(self, 'cdf', x)
        ratio = (x - self.low) / self.scale
        xp = self.xp
        below = x.array < self.low.array
        above = x.array > self.high.array
        ratio = F.where(below, _util.const(xp, 0, ratio.dtype), ratio)
        return F.where(above, _util.const(xp, 1, ratio.dtype), ratio)

    def icdf(self, x):
        p = _util.value_to_variable(self, 'icdf', x)
        return self.low + p * self.scale

    def sample_n(self, n):
        n = _util.check_n(self, n)
        xp = self.xp
        u = xp.random.random_sample((n,) + self.batch_shape)
        return self.low + u.astype(self.low.dtype, copy=False) * self.scale


@register_kl(Uniform, Uniform)
def _kl_uniform_uniform(dist1, dist2):
    # log((h2 - l2) / (h1 - l1)) when [l1, h1] lies inside [l2, h2], else
    # infinite.
    inside = ((dist1.low.array >= dist2.low.array)
              & (dist1.high.array <= dist2.high.array))
    kl = F.log(dist2.scale) - F.log(dist1.scale)
    return _util.where_finite(inside, kl, float('inf'))
