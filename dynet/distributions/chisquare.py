"""Chi-square distribution."""
import math

from dynet import functions as F
from dynet.distribution import Distribution
from dynet.distributions import _util
from dynet.distributions.gamma import positive_part_log_prob


class Chisquare(Distribution):
    """Chi-square distribution with ``k`` degrees of freedom (a Gamma with
    shape ``k / 2`` and scale 2).

    Args:
        k (Variable or array): the degrees of freedom ``k > 0``.

    Samples come from ``numpy.random.chisquare`` (or CuPy's) and carry no
    gradient.
    """

    def __init__(self, k):
        self.k = _util.params_to_variables('Chisquare', k=k)['k']

    @property
    def batch_shape(self):
        return self.k.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'k': self.k}

    @property
    def support(self):
        return 'positive'

    @property
    def mean(self):
        return self.k

    @property
    def variance(self):
        return 2 * self.k

    @property
    def entropy(self):
        half = self.k / 2
        return (half + math.log(2) + F.lgamma(half)
                + (1 - half) * F.digamma(half))

    def log_prob(self, x):
        x = _util.value_to_variable(self, 'log_prob', x)
        half = self.k / 2

        def log_density(x):
            return ((half - 1) * F.log(x) - x / 2 - half * math.log(2)
                    - F.lgamma(half))
        return positive_part_log_prob(x, log_density)

    def sample_n(self, n):
        n = _util.check_n(self, n)
        xp = self.xp
        draws = xp.random.chisquare(self.k.array, (n,) + self.batch_shape)
        return _util.random_variable(xp, draws, self.k.dtype)
