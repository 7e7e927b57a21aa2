"""Pareto distribution."""
from dynet import functions as F
from dynet.distribution import Distribution
from dynet.distributions import _util


class Pareto(Distribution):
    """Pareto distribution ``p(x) = alpha scale^alpha / x^(alpha + 1)`` for
    ``x >= scale``.

    Args:
        scale (Variable or array): the minimum ``x_m > 0``.
        alpha (Variable or array): the shape ``alpha > 0``.

    Samples are ``scale * (1 + eps)`` with ``eps`` from
    ``numpy.random.pareto(alpha)``: gradients flow to ``scale`` only.
    """

    def __init__(self, scale, alpha):
        v = _util.broadcast_params('Pareto', _util.params_to_variables(
            'Pareto', scale=scale, alpha=alpha))
        self.scale, self.alpha = v['scale'], v['alpha']

    @property
    def batch_shape(self):
        return self.scale.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'scale': self.scale, 'alpha': self.alpha}

    @property
    def support(self):
        return '[scale, inf]'

    @property
    def mean(self):
        """``alpha scale / (alpha - 1)``; infinite for ``alpha <= 1``."""
        alpha = self.alpha
        finite = alpha.array > 1
        safe = F.where(finite, alpha, _util.const(self.xp, 2, alpha.dtype))
        mean = safe * self.scale / (safe - 1)
        return _util.where_finite(finite, mean, float('inf'))

    @property
    def variance(self):
        """``scale^2 alpha / ((alpha - 1)^2 (alpha - 2))``; infinite for
        ``alpha <= 2``."""
        alpha = self.alpha
        finite = alpha.array > 2
        safe = F.where(finite, alpha, _util.const(self.xp, 3, alpha.dtype))
        var = (F.square(self.scale) * safe
               / (F.square(safe - 1) * (safe - 2)))
        return _util.where_finite(finite, var, float('inf'))

    @property
    def entropy(self):
        return F.log(self.scale) - F.log(self.alpha) + 1 / self.alpha + 1

    def _safe(self, method, x):
        x = _util.value_to_variable(self, method, x)
        inside = x.array >= self.scale.array
        shape = _util.broadcast_shapes(type(self).__name__ + '.' + method, {
            'x': x.shape, 'scale': self.scale.shape})
        # Outside the support, evaluate at the boundary so no log of a
        # non-positive number enters the graph.
        safe_x = F.where(inside, x, _util.broadcast_to(self.scale, shape))
        return inside, safe_x

    def log_prob(self, x):
        inside, x = self._safe('log_prob', x)
        y = (F.log(self.alpha) + self.alpha * F.log(self.scale)
             - (self.alpha + 1) * F.log(x))
        return _util.where_finite(inside, y, -float('inf'))

    def cdf(self, x):
        inside, x = self._safe('cdf', x)
        y = 1 - F.exp(self.alpha * (F.log(self.scale) - F.log(x)))
        return _util.where_finite(inside, y, 0)

    def icdf(self, x):
        p = _util.value_to_variable(self, 'icdf', x)
        return self.scale * F.exp(-F.log1p(-p) / self.alpha)

    def sample_n(self, n):
        n = _util.check_n(self, n)
        xp = self.xp
        eps = xp.random.pareto(self.alpha.array, (n,) + self.batch_shape)
        return self.scale * (eps.astype(self.scale.dtype, copy=False) + 1)
