"""Poisson distribution."""
from dynet import backend
from dynet import functions as F
from dynet.distribution import Distribution, register_kl
from dynet.distributions import _util


def non_negative_integers(x):
    """Boolean mask of the entries of the array ``x`` in ``{0, 1, ...}``."""
    return (x >= 0) & (x == backend.get_array_module(x).floor(x))


class Poisson(Distribution):
    """Poisson distribution ``P(x) = lam^x exp(-lam) / x!`` on ``{0, 1,
    ...}``.

    Args:
        lam (Variable or array): the rate ``lambda >= 0``.

    ``log_prob`` treats ``x`` as data and is ``-inf`` off the non-negative
    integers. Samples are counts in the parameter's dtype without gradient.
    """

    def __init__(self, lam):
        self.lam = _util.params_to_variables('Poisson', lam=lam)['lam']

    @property
    def batch_shape(self):
        return self.lam.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'lam': self.lam}

    @property
    def support(self):
        return 'non negative integer'

    @property
    def mean(self):
        return self.lam

    @property
    def variance(self):
        return self.lam

    def log_prob(self, x):
        x = _util.value_array(self, 'log_prob', x)
        x = x.astype(self.lam.dtype, copy=False)
        valid = non_negative_integers(x)
        xp = self.xp
        safe_x = xp.where(valid, x, 0).astype(x.dtype, copy=False)
        y = (_util.xlogy(safe_x, self.lam) - self.lam
             - F.lgamma(xp.asarray(safe_x + 1)))
        return _util.where_finite(valid, y, -float('inf'))

    def sample_n(self, n):
        n = _util.check_n(self, n)
        xp = self.xp
        draws = xp.random.poisson(self.lam.array, (n,) + self.batch_shape)
        return _util.random_variable(xp, draws, self.lam.dtype)


@register_kl(Poisson, Poisson)
def _kl_poisson_poisson(dist1, dist2):
    # lam1 log(lam1 / lam2) - lam1 + lam2
    l1, l2 = dist1.lam, dist2.lam
    zero = l1.array == 0
    log_ratio = F.log(l1) - F.log(l2)
    if bool(zero.any()):
        xp = backend.get_array_module(l1)
        safe_l1 = F.where(zero, _util.const(xp, 1, l1.dtype), l1)
        log_ratio = F.log(safe_l1) - F.log(l2)
        log_ratio = F.where(zero, _util.const(xp, 0, l1.dtype), log_ratio)
    return l1 * log_ratio - l1 + l2
