"""Geometric distribution: the number of trials up to the first
success."""
from dynet import functions as F
from dynet.distribution import Distribution, register_kl
from dynet.distributions import _util


class Geometric(Distribution):
    """Geometric distribution ``P(x) = (1 - p)^(x - 1) p`` on ``{1, 2,
    ...}``.

    Args:
        p (Variable or array): the success probability, in ``(0, 1]``.

    ``log_prob`` treats ``x`` as data and is ``-inf`` off the positive
    integers. Samples are counts in the parameter's dtype without gradient.
    """

    def __init__(self, p):
        self.p = _util.params_to_variables('Geometric', p=p)['p']

    @property
    def batch_shape(self):
        return self.p.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'p': self.p}

    @property
    def support(self):
        return 'positive integer'

    @property
    def mean(self):
        return 1 / self.p

    @property
    def variance(self):
        return (1 - self.p) / F.square(self.p)

    @property
    def entropy(self):
        p = self.p
        return -(_util.xlogx(1 - p) + _util.xlogx(p)) / p

    def log_prob(self, x):
        x = _util.value_array(self, 'log_prob', x)
        x = x.astype(self.p.dtype, copy=False)
        xp = self.xp
        valid = (x >= 1) & (x == xp.floor(x))
        failures = xp.where(valid, x - 1, 0).astype(x.dtype, copy=False)
        y = _util.xlogy(failures, 1 - self.p) + F.log(self.p)
        return _util.where_finite(valid, y, -float('inf'))

    def sample_n(self, n):
        n = _util.check_n(self, n)
        xp = self.xp
        draws = xp.random.geometric(self.p.array, (n,) + self.batch_shape)
        return _util.random_variable(xp, draws, self.p.dtype)


@register_kl(Geometric, Geometric)
def _kl_geometric_geometric(dist1, dist2):
    # log(p1 / p2) + (1 / p1 - 1) (log(1 - p1) - log(1 - p2))
    p1, p2 = dist1.p, dist2.p
    return (F.log(p1) - F.log(p2)
            + (1 / p1 - 1) * (F.log1p(-p1) - F.log1p(-p2)))
