"""Multivariate normal distribution parameterized by a Cholesky factor."""
import math

from dynet import backend
from dynet import functions as F
from dynet.distribution import Distribution, register_kl
from dynet.distributions import _util

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def _inverse_tril(scale_tril):
    """Inverses of a stack of lower-triangular matrices (any leading
    shape)."""
    d = scale_tril.shape[-1]
    flat = F.reshape(scale_tril, (-1, d, d))
    return F.reshape(F.batch_inv(flat), scale_tril.shape)


def _log_diag_sum(scale_tril):
    """``sum(log(diag(L)))``: half the log-determinant of ``L L^T``."""
    diag = F.diagonal(scale_tril, axis1=-2, axis2=-1)
    return F.sum(F.log(diag), axis=-1)


class MultivariateNormal(Distribution):
    """Multivariate normal distribution with mean ``loc`` and covariance
    ``scale_tril @ scale_tril.T``.

    Args:
        loc (Variable or array): the mean, shape ``batch_shape + (d,)``.
        scale_tril (Variable or array, keyword): the lower-triangular
            Cholesky factor of the covariance, with a positive diagonal,
            shape ``batch_shape + (d, d)``.

    ``event_shape`` is ``(d,)``; the batch shapes of ``loc`` and
    ``scale_tril`` broadcast. Samples are reparameterized (``loc +
    scale_tril @ eps``). Entries above the diagonal must be zero.
    """

    def __init__(self, loc, **kwargs):
        scale_tril = kwargs.pop('scale_tril', None)
        if kwargs:
            raise TypeError('MultivariateNormal: unexpected keyword '
                            'argument(s) {}'.format(', '.join(sorted(kwargs))))
        if scale_tril is None:
            raise ValueError('MultivariateNormal: scale_tril must be given')
        v = _util.params_to_variables('MultivariateNormal', loc=loc,
                                      scale_tril=scale_tril)
        loc, scale_tril = v['loc'], v['scale_tril']
        if loc.ndim < 1:
            raise ValueError('MultivariateNormal: loc must have at least one '
                             'axis, got loc.shape == {}'.format(loc.shape))
        d = loc.shape[-1]
        if scale_tril.ndim < 2 or scale_tril.shape[-2:] != (d, d):
            raise ValueError(
                'MultivariateNormal: scale_tril.shape must end with ({0}, '
                '{0}) to match loc.shape == {1}, got scale_tril.shape == {2}'
                .format(d, loc.shape, scale_tril.shape))
        xp = backend.get_array_module(scale_tril)
        upper = xp.triu(scale_tril.array, 1)
        if bool(xp.any(upper != 0)):
            raise ValueError('MultivariateNormal: scale_tril must be lower '
                             'triangular (found nonzero entries above the '
                             'diagonal)')
        batch = _util.broadcast_shapes('MultivariateNormal', {
            'loc[..., 0]': loc.shape[:-1],
            'scale_tril[..., 0, 0]': scale_tril.shape[:-2]})
        self.loc = _util.broadcast_to(loc, batch + (d,))
        self.scale_tril = _util.broadcast_to(scale_tril, batch + (d, d))

    @property
    def d(self):
        return self.loc.shape[-1]

    @property
    def batch_shape(self):
        return self.loc.shape[:-1]

    @property
    def event_shape(self):
        return self.loc.shape[-1:]

    @property
    def params(self):
        return {'loc': self.loc, 'scale_tril': self.scale_tril}

    @property
    def support(self):
        return 'real'

    @property
    def mean(self):
        return self.loc

    @property
    def mode(self):
        return self.loc

    @property
    def covariance(self):
        return F.matmul(self.scale_tril, self.scale_tril, transb=True)

    @property
    def variance(self):
        return F.sum(F.square(self.scale_tril), axis=-1)

    @property
    def entropy(self):
        return (_log_diag_sum(self.scale_tril)
                + self.d * (0.5 + _HALF_LOG_2PI))

    def log_prob(self, x):
        x = _util.value_to_variable(self, 'log_prob', x)
        if x.ndim < 1 or x.shape[-1] != self.d:
            raise ValueError('MultivariateNormal.log_prob: x.shape must end '
                             'with {}, got x.shape == {}'.format(
                                 self.d, x.shape))
        diff = F.expand_dims(x - self.loc, -1)
        z = F.matmul(_inverse_tril(self.scale_tril), diff)   # L^-1 (x - mu)
        mahalanobis = F.sum(F.square(z), axis=(-2, -1))
        return (-0.5 * mahalanobis - _log_diag_sum(self.scale_tril)
                - self.d * _HALF_LOG_2PI)

    def sample_n(self, n):
        n = _util.check_n(self, n)
        xp = self.xp
        eps = xp.random.standard_normal((n,) + self.batch_shape + (self.d, 1))
        eps = eps.astype(self.loc.dtype, copy=False)
        noise = F.matmul(self.scale_tril, eps)
        return self.loc + F.reshape(noise, noise.shape[:-1])


@register_kl(MultivariateNormal, MultivariateNormal)
def _kl_mvn_mvn(dist1, dist2):
    if dist1.d != dist2.d:
        raise ValueError('kl_divergence: the MultivariateNormal '
                         'distributions have different dimensions {} and {}'
                         .format(dist1.d, dist2.d))
    inv2 = _inverse_tril(dist2.scale_tril)
    m = F.matmul(inv2, dist1.scale_tril)               # L2^-1 L1
    trace = F.sum(F.square(m), axis=(-2, -1))          # tr(S2^-1 S1)
    diff = F.expand_dims(dist2.loc - dist1.loc, -1)
    z = F.matmul(inv2, diff)
    mahalanobis = F.sum(F.square(z), axis=(-2, -1))
    log_det = _log_diag_sum(dist2.scale_tril) - _log_diag_sum(
        dist1.scale_tril)
    return 0.5 * (trace + mahalanobis - dist1.d) + log_det
