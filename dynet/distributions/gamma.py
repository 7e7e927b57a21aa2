"""Gamma distribution (shape ``k``, scale ``theta``)."""
from dynet import backend
from dynet import functions as F
from dynet.distribution import Distribution, register_kl
from dynet.distributions import _util


def positive_part_log_prob(x, log_density):
    """``log_density(x)`` where ``x > 0`` and ``-inf`` elsewhere, without
    evaluating logs of non-positive numbers (which would poison
    gradients)."""
    xp = backend.get_array_module(x)
    positive = x.array > 0
    safe_x = F.where(positive, x, _util.const(xp, 1, x.dtype))
    return _util.where_finite(positive, log_density(safe_x), -float('inf'))


class Gamma(Distribution):
    """Gamma distribution ``p(x) = x^(k-1) exp(-x / theta) / (Gamma(k)
    theta^k)`` for ``x > 0``.

    Args:
        k (Variable or array): the shape ``k > 0``.
        theta (Variable or array): the scale ``theta > 0``.

    Samples come from ``numpy.random.gamma`` (or CuPy's) and carry no
    gradient, as in Chainer.
    """

    def __init__(self, k, theta):
        v = _util.broadcast_params('Gamma', _util.params_to_variables(
            'Gamma', k=k, theta=theta))
        self.k, self.theta = v['k'], v['theta']

    @property
    def batch_shape(self):
        return self.k.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'k': self.k, 'theta': self.theta}

    @property
    def support(self):
        return 'positive'

    @property
    def mean(self):
        return self.k * self.theta

    @property
    def mode(self):
        """``(k - 1) theta`` for ``k >= 1``, 0 below (where the density is
        unbounded at 0)."""
        mode = (self.k - 1) * self.theta
        return _util.where_finite(self.k.array >= 1, mode, 0)

    @property
    def variance(self):
        return self.k * F.square(self.theta)

    @property
    def entropy(self):
        k = self.k
        return k + F.log(self.theta) + F.lgamma(k) + (1 - k) * F.digamma(k)

    def log_prob(self, x):
        x = _util.value_to_variable(self, 'log_prob', x)
        k, theta = self.k, self.theta

        def log_density(x):
            return ((k - 1) * F.log(x) - x / theta - F.lgamma(k)
                    - k * F.log(theta))
        return positive_part_log_prob(x, log_density)

    def sample_n(self, n):
        n = _util.check_n(self, n)
        xp = self.xp
        draws = xp.random.gamma(self.k.array, self.theta.array,
                                (n,) + self.batch_shape)
        return _util.random_variable(xp, draws, self.k.dtype)


@register_kl(Gamma, Gamma)
def _kl_gamma_gamma(dist1, dist2):
    k1, t1, k2, t2 = dist1.k, dist1.theta, dist2.k, dist2.theta
    return ((k1 - k2) * F.digamma(k1) - F.lgamma(k1) + F.lgamma(k2)
            + k2 * (F.log(t2) - F.log(t1)) + k1 * (t1 - t2) / t2)
