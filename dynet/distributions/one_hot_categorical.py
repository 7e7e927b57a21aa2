"""One-hot categorical distribution: categories as one-hot vectors."""
from dynet import functions as F
from dynet.distribution import Distribution, register_kl
from dynet.distributions import _util
from dynet.distributions import categorical


class OneHotCategorical(Distribution):
    """Categorical distribution whose values are one-hot vectors.

    Args:
        p (Variable or array): probabilities along the last axis, shape
            ``batch_shape + (K,)``.
        logit (Variable or array): unnormalized log probabilities; give
            either ``p`` or ``logit``, not both.

    ``event_shape`` is ``(K,)``. ``log_prob(x) = sum(x * log p)`` over the
    last axis, treating ``x`` as data. Samples are one-hot vectors of the
    parameter's dtype without gradient.
    """

    def __init__(self, p=None, logit=None):
        if (p is None) == (logit is None):
            raise ValueError(
                'OneHotCategorical: give either p or logit (not both); got '
                '{}'.format('both' if p is not None else 'neither'))
        if p is not None:
            self._p = _util.params_to_variables(
                'OneHotCategorical', p=p)['p']
            categorical.check_probabilities('OneHotCategorical',
                                            self._p.array)
            self._logit = None
        else:
            self._logit = _util.params_to_variables(
                'OneHotCategorical', logit=logit)['logit']
            categorical.check_logit('OneHotCategorical', self._logit)
            self._p = None

    p = categorical.Categorical.p
    log_p = categorical.Categorical.log_p
    logit = categorical.Categorical.logit
    params = categorical.Categorical.params
    _param = categorical.Categorical._param

    @property
    def batch_shape(self):
        return self._param.shape[:-1]

    @property
    def event_shape(self):
        return self._param.shape[-1:]

    @property
    def support(self):
        return 'one-hot vectors of length {}'.format(self._param.shape[-1])

    @property
    def mean(self):
        return self.p

    @property
    def variance(self):
        p = self.p
        return p * (1 - p)

    @property
    def covariance(self):
        """``diag(p) - p p^T`` for each batch element."""
        p = self.p
        k = p.shape[-1]
        eye = self.xp.eye(k, dtype=p.dtype)
        outer = F.expand_dims(p, -1) * F.expand_dims(p, -2)
        return F.expand_dims(p, -1) * eye - outer

    @property
    def entropy(self):
        return categorical.Categorical.entropy.fget(self)

    def log_prob(self, x):
        x = _util.value_array(self, 'log_prob', x)
        k = self._param.shape[-1]
        if x.ndim < 1 or x.shape[-1] != k:
            raise ValueError('OneHotCategorical.log_prob: x.shape must end '
                             'with {}, got x.shape == {}'.format(k, x.shape))
        x = x.astype(self._param.dtype, copy=False)
        mask = x == 0
        log_p = categorical.safe_log_p(self, mask)
        return F.sum(x * log_p, axis=-1)

    def sample_n(self, n):
        n = _util.check_n(self, n)
        xp = self.xp
        indices = categorical.sample_indices(xp, self.p.array, n)
        k = self._param.shape[-1]
        one_hot = xp.eye(k, dtype=self._param.dtype)[indices]
        return _util.random_variable(xp, one_hot, self._param.dtype)


@register_kl(OneHotCategorical, OneHotCategorical)
def _kl_one_hot_categorical(dist1, dist2):
    return categorical.kl_categorical(dist1, dist2)
