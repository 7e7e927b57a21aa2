"""Beta distribution on ``[0, 1]``."""
from dynet import functions as F
from dynet.distribution import Distribution, register_kl
from dynet.distributions import _util


class Beta(Distribution):
    """Beta distribution ``p(x) = x^(a-1) (1-x)^(b-1) / B(a, b)`` on ``(0,
    1)``.

    Args:
        a (Variable or array): the first shape parameter ``a > 0``.
        b (Variable or array): the second shape parameter ``b > 0``.

    Samples come from ``numpy.random.beta`` (or CuPy's) and carry no
    gradient, as in Chainer.
    """

    def __init__(self, a, b):
        v = _util.broadcast_params('Beta', _util.params_to_variables(
            'Beta', a=a, b=b))
        self.a, self.b = v['a'], v['b']

    @property
    def batch_shape(self):
        return self.a.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'a': self.a, 'b': self.b}

    @property
    def support(self):
        return '[0, 1]'

    @property
    def mean(self):
        return self.a / (self.a + self.b)

    @property
    def variance(self):
        total = self.a + self.b
        return self.a * self.b / (F.square(total) * (total + 1))

    @property
    def entropy(self):
        a, b = self.a, self.b
        return (_util.log_beta(a, b) - (a - 1) * F.digamma(a)
                - (b - 1) * F.digamma(b) + (a + b - 2) * F.digamma(a + b))

    def log_prob(self, x):
        x = _util.value_to_variable(self, 'log_prob', x)
        xp = self.xp
        inside = (x.array > 0) & (x.array < 1)
        half = _util.const(xp, 0.5, x.dtype)
        safe_x = F.where(inside, x, half)
        y = ((self.a - 1) * F.log(safe_x) + (self.b - 1) * F.log1p(-safe_x)
             - _util.log_beta(self.a, self.b))
        return _util.where_finite(inside, y, -float('inf'))

    def sample_n(self, n):
        n = _util.check_n(self, n)
        xp = self.xp
        draws = xp.random.beta(self.a.array, self.b.array,
                               (n,) + self.batch_shape)
        return _util.random_variable(xp, draws, self.a.dtype)


@register_kl(Beta, Beta)
def _kl_beta_beta(dist1, dist2):
    a1, b1, a2, b2 = dist1.a, dist1.b, dist2.a, dist2.b
    return (_util.log_beta(a2, b2) - _util.log_beta(a1, b1)
            + (a1 - a2) * F.digamma(a1) + (b1 - b2) * F.digamma(b1)
            + (a2 - a1 + b2 - b1) * F.digamma(a1 + b1))
