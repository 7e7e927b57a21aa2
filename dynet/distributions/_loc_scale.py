"""The shared part of the location-scale distributions over the reals
(Cauchy, Gumbel, Laplace)."""
from dynet.distribution import Distribution
from dynet.distributions import _util


class LocScale(Distribution):
    """A distribution of ``loc + scale * eps`` for a standard ``eps``:
    the parameters, shapes, standardization ``z = (x - loc) / scale`` and
    reparameterized sampling. Subclasses draw ``eps`` in
    ``_standard_sample(shape)``."""

    def __init__(self, loc, scale):
        name = type(self).__name__
        v = _util.broadcast_params(name, _util.params_to_variables(
            name, loc=loc, scale=scale))
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

    def _z(self, method, x):
        x = _util.value_to_variable(self, method, x)
        return (x - self.loc) / self.scale

    def sample_n(self, n):
        n = _util.check_n(self, n)
        eps = self._standard_sample((n,) + self.batch_shape)
        return self.loc + self.scale * eps.astype(self.loc.dtype, copy=False)
