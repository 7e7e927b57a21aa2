"""Bernoulli distribution."""
from dynet import functions as F
from dynet.distribution import Distribution, register_kl
from dynet.distributions import _util


class Bernoulli(Distribution):
    """Bernoulli distribution ``P(x = 1) = p``, ``P(x = 0) = 1 - p``.

    Args:
        p (Variable or array): the probability of 1.
        logit (Variable or array): ``log(p / (1 - p))``; give either ``p``
            or ``logit``, not both.
        binary_check (bool): when True, ``log_prob`` is ``-inf`` (and
            ``prob`` 0) at values other than 0 and 1. When False (the
            default) ``log_prob(x) = x log p + (1 - x) log(1 - p)`` for any
            ``x``, which is useful for grey-level data in [0, 1].

    ``log_prob`` treats ``x`` as data (no gradient flows to it). Samples
    are 0/1 values of the parameter's dtype and carry no gradient.
    """

    def __init__(self, p=None, logit=None, binary_check=False):
        if (p is None) == (logit is None):
            raise ValueError(
                'Bernoulli: give either p or logit (not both); got {}'
                .format('both' if p is not None else 'neither'))
        if p is not None:
            self._p = _util.params_to_variables('Bernoulli', p=p)['p']
            self._logit = None
        else:
            self._logit = _util.params_to_variables(
                'Bernoulli', logit=logit)['logit']
            self._p = None
        self.binary_check = bool(binary_check)

    @property
    def p(self):
        """Variable: the probability of 1."""
        if self._p is not None:
            return self._p
        return F.sigmoid(self._logit)

    @property
    def logit(self):
        """Variable: ``log(p / (1 - p))``."""
        if self._logit is not None:
            return self._logit
        return F.log(self._p) - F.log1p(-self._p)

    @property
    def batch_shape(self):
        return (self._p if self._p is not None else self._logit).shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        if self._p is not None:
            return {'p': self._p}
        return {'logit': self._logit}

    @property
    def support(self):
        return '{0, 1}'

    @property
    def mean(self):
        return self.p

    @property
    def variance(self):
        return self.p * self._q

    @property
    def _q(self):
        """``1 - p``, computed without cancellation from a logit."""
        if self._p is not None:
            return 1 - self._p
        return F.sigmoid(-self._logit)

    def _log_p_and_q(self, mask_p, mask_q):
        """``(log p, log(1 - p))`` from the native parameter. Entries under
        ``mask_p`` (resp. ``mask_q``) are computed from a neutral parameter
        instead: callers multiply them by zero, and an infinite log there
        would turn the product (or its gradient) into NaN."""
        xp = self.xp
        dtype = self._dtype
        if self._logit is not None:
            logit, zero = self._logit, _util.const(xp, 0, dtype)
            log_p = -F.softplus(-F.where(mask_p, zero, logit))
            log_q = -F.softplus(F.where(mask_q, zero, logit))
        else:
            p, half = self._p, _util.const(xp, 0.5, dtype)
            log_p = F.log(F.where(mask_p, half, p))
            log_q = F.log1p(-F.where(mask_q, half, p))
        return log_p, log_q

    @property
    def entropy(self):
        p, q = self.p, self._q
        log_p, log_q = self._log_p_and_q(p.array == 0, q.array == 0)
        return -(p * log_p + q * log_q)

    def log_prob(self, x):
        x = _util.value_array(self, 'log_prob', x)
        x = x.astype(self._dtype, copy=False)
        log_p, log_q = self._log_p_and_q(x == 0, x == 1)
        y = x * log_p + (1 - x) * log_q
        if self.binary_check:
            binary = (x == 0) | (x == 1)
            y = _util.where_finite(binary, y, -float('inf'))
        return y

    @property
    def _dtype(self):
        return (self._p if self._p is not None else self._logit).dtype

    def sample_n(self, n):
        n = _util.check_n(self, n)
        xp = self.xp
        draws = xp.random.binomial(1, self.p.array, (n,) + self.batch_shape)
        return _util.random_variable(xp, draws, self._dtype)


@register_kl(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(dist1, dist2):
    # p1 (log p1 - log p2) + q1 (log q1 - log q2) with q = 1 - p; a term
    # whose weight p1 (or q1) is zero contributes zero.
    p1, q1 = dist1.p, dist1._q
    mask_p, mask_q = p1.array == 0, q1.array == 0
    log_p1, log_q1 = dist1._log_p_and_q(mask_p, mask_q)
    log_p2, log_q2 = dist2._log_p_and_q(mask_p, mask_q)
    return p1 * (log_p1 - log_p2) + q1 * (log_q1 - log_q2)
