"""Dirichlet distribution on the probability simplex."""
from dynet import functions as F
from dynet.distribution import Distribution, register_kl
from dynet.distributions import _util


def _log_normalizer(alpha):
    """``log B(alpha) = sum(lgamma(alpha)) - lgamma(sum(alpha))`` over the
    last axis."""
    return (F.sum(F.lgamma(alpha), axis=-1)
            - F.lgamma(F.sum(alpha, axis=-1)))


class Dirichlet(Distribution):
    """Dirichlet distribution ``p(x) = prod(x_i^(alpha_i - 1)) / B(alpha)``
    on the simplex.

    Args:
        alpha (Variable or array): the concentrations ``alpha_i > 0``,
            shape ``batch_shape + (K,)``.

    ``event_shape`` is ``(K,)``. ``log_prob`` is ``-inf`` where a
    component of ``x`` is not positive (it does not check that ``x`` sums to
    1). Samples are normalized Gamma draws without gradient.
    """

    def __init__(self, alpha):
        self.alpha = _util.params_to_variables(
            'Dirichlet', alpha=alpha)['alpha']
        if self.alpha.ndim < 1:
            raise ValueError('Dirichlet: alpha must have at least one axis, '
                             'got alpha.shape == {}'.format(self.alpha.shape))

    @property
    def alpha0(self):
        """Variable: ``sum(alpha)`` over the last axis."""
        return F.sum(self.alpha, axis=-1)

    @property
    def batch_shape(self):
        return self.alpha.shape[:-1]

    @property
    def event_shape(self):
        return self.alpha.shape[-1:]

    @property
    def params(self):
        return {'alpha': self.alpha}

    @property
    def support(self):
        return '[0, 1]'

    @property
    def mean(self):
        return self.alpha / F.expand_dims(self.alpha0, -1)

    @property
    def variance(self):
        alpha0 = F.expand_dims(self.alpha0, -1)
        return (self.alpha * (alpha0 - self.alpha)
                / (F.square(alpha0) * (alpha0 + 1)))

    @property
    def entropy(self):
        alpha, alpha0 = self.alpha, self.alpha0
        k = alpha.shape[-1]
        return (_log_normalizer(alpha) + (alpha0 - k) * F.digamma(alpha0)
                - F.sum((alpha - 1) * F.digamma(alpha), axis=-1))

    def log_prob(self, x):
        x = _util.value_to_variable(self, 'log_prob', x)
        if x.ndim < 1 or x.shape[-1] != self.alpha.shape[-1]:
            raise ValueError('Dirichlet.log_prob: x.shape must end with {}, '
                             'got x.shape == {}'.format(
                                 self.alpha.shape[-1], x.shape))
        xp = self.xp
        positive = x.array > 0
        safe_x = F.where(positive, x, _util.const(xp, 1, x.dtype))
        y = (F.sum((self.alpha - 1) * F.log(safe_x), axis=-1)
             - _log_normalizer(self.alpha))
        return _util.where_finite(positive.all(axis=-1), y, -float('inf'))

    def sample_n(self, n):
        n = _util.check_n(self, n)
        xp = self.xp
        draws = xp.random.gamma(self.alpha.array, 1,
                                (n,) + self.alpha.shape)
        draws /= draws.sum(axis=-1, keepdims=True)
        return _util.random_variable(xp, draws, self.alpha.dtype)


@register_kl(Dirichlet, Dirichlet)
def _kl_dirichlet_dirichlet(dist1, dist2):
    a, b = dist1.alpha, dist2.alpha
    a0 = F.expand_dims(dist1.alpha0, -1)
    return (_log_normalizer(b) - _log_normalizer(a)
            + F.sum((a - b) * (F.digamma(a) - F.digamma(a0)), axis=-1))
