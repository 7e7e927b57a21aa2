"""Batch renormalization (``batch_renormalization``) and its deprecated
inference form (``fixed_batch_renormalization``)."""
import warnings

from dynet import backend
from dynet.config import using_config
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.normalization import _util
from dynet.functions.normalization.batch_normalization import (
    BatchNormalizationGrad, check_channel_shape, check_params,
    fixed_batch_normalization, reduction_axes, running_array)


class BatchRenormalization(FunctionNode):
    """Batch normalization corrected towards the running statistics by the
    constants ``r`` and ``d``."""

    def __init__(self, eps, running_mean, running_var, decay, rmax, dmax,
                 update_statistics):
        label = 'batch_renormalization'
        self.running_mean = running_array(
            label, 'running_mean', running_mean)
        self.running_var = running_array(
            label, 'running_var', running_var)
        self.eps = eps
        self.decay = decay
        self.rmax = rmax
        self.dmax = dmax
        self.update_statistics = update_statistics

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 3)
        x, gamma, beta = in_data
        _check.float_kind(self, 'x', x)
        check_params(self, ('gamma', 'beta'), (gamma, beta))
        _, key_axes = reduction_axes(self, x.ndim, gamma.ndim, None)
        check_channel_shape(self, 'gamma', x.shape, key_axes, gamma)
        for name, value in (('running_mean', self.running_mean),
                            ('running_var', self.running_var)):
            _check.float_kind(self, name, value)
            if value.shape != gamma.shape:
                _check.fail(self, '{}.shape == gamma.shape'.format(name),
                            '{} != {}'.format(value.shape, gamma.shape))

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, gamma, beta = inputs
        xp = backend.get_array_module(x)
        axes, _ = reduction_axes(self, x.ndim, gamma.ndim, None)
        self.axes = axes
        dtype = _util.stat_dtype(x.dtype, gamma.dtype)
        kshape = _util.kept_shape(x.shape, axes)

        def keep(a):
            return a.reshape(kshape).astype(dtype, copy=False)

        xc, mean, var = _util.moments(x, axes, dtype)
        std = xp.sqrt(var + dtype.type(self.eps))
        running_sigma = xp.sqrt(keep(self.running_var) +
                                dtype.type(self.eps))
        # r and d are constants of the graph (no gradient flows through
        # them), as in the paper.
        r = xp.clip(std / running_sigma, 1.0 / self.rmax, self.rmax)
        d = xp.clip((mean - keep(self.running_mean)) / running_sigma,
                    -self.dmax, self.dmax)
        self.r = r.astype(dtype, copy=False)
        self.d = d.astype(dtype, copy=False)
        self.mean = mean
        self.inv_std = xp.reciprocal(std)
        xc /= std
        xc *= self.r
        xc += self.d
        xc *= keep(gamma)
        xc += keep(beta)
        m = _util.reduced_size(x.shape, axes)
        if self.update_statistics and m > 0:
            adjust = m / max(m - 1., 1.)
            decay = self.decay
            running_mean, running_var = self.running_mean, self.running_var
            running_mean *= decay
            running_mean += ((1 - decay) * mean).reshape(
                running_mean.shape).astype(running_mean.dtype, copy=False)
            running_var *= decay
            running_var += ((1 - decay) * adjust * var).reshape(
                running_var.shape).astype(running_var.dtype, copy=False)
        return xc.astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        # y = (gamma r) x_hat + (gamma d + beta): batch normalization with
        # the scale gamma r, whose gradient node is reused (and so is its
        # double backward).
        from dynet.functions.array.reshape import reshape
        x, gamma = self.get_retained_inputs()
        gy, = grad_outputs
        r = self.r.reshape(gamma.shape).astype(gamma.dtype, copy=False)
        d = self.d.reshape(gamma.shape).astype(gamma.dtype, copy=False)
        gx, g_scale, g_beta = BatchNormalizationGrad(
            self.eps, self.axes, self.mean, self.inv_std).apply(
                (x, gamma * r, gy))
        g_gamma = g_scale * r + g_beta * d
        if g_gamma.shape != gamma.shape:
            g_gamma = reshape(g_gamma, gamma.shape)
        return gx, g_gamma, g_beta


def batch_renormalization(x, gamma, beta, rmax, dmax, eps=2e-5,
                          running_mean=None, running_var=None, decay=0.9,
                          update_statistics=False):
    """Batch renormalization.

    With the batch statistics ``mean``, ``var`` (over the first axis and
    the axes after the channel axes, as :func:`batch_normalization` with
    ``axis=None``), ``std = sqrt(var + eps)`` and ``sigma = sqrt(running_var
    + eps)``::

        r = clip(std / sigma, 1 / rmax, rmax)
        d = clip((mean - running_mean) / sigma, -dmax, dmax)
        y = gamma * ((x - mean) / std * r + d) + beta

    ``r`` and ``d`` are treated as constants in backward. With ``rmax=1``
    and ``dmax=0`` this is batch normalization.

    Args:
        x: Variable or array (float16/32/64) of shape ``(N, C, ...)``.
        gamma, beta: scale and shift of shape ``x.shape[1:1 + gamma.ndim]``
            (floats of one dtype).
        rmax (float), dmax (float): the clipping bounds of ``r`` and ``d``.
        eps (float): added to the variances.
        running_mean, running_var: arrays of ``gamma``'s shape (required).
        decay (float): decay rate of the running averages.
        update_statistics (bool): update ``running_mean`` and
            ``running_var`` IN PLACE, as :func:`batch_normalization` does
            (moving average of the mean and of the unbiased variance).
    Returns:
        Variable of ``x``'s shape and dtype.

    Raises:
        TypeError: ``running_mean`` or ``running_var`` is missing.
    """
    if running_mean is None:
        raise TypeError('batch_renormalization: running_mean is required')
    if running_var is None:
        raise TypeError('batch_renormalization: running_var is required')
    return BatchRenormalization(eps, running_mean, running_var, decay, rmax,
                                dmax, update_statistics).apply(
                                    (x, gamma, beta))[0]


def fixed_batch_renormalization(x, gamma, beta, mean, var, eps=2e-5):
    """Deprecated: :func:`fixed_batch_normalization` (computed with
    ``config.train`` off). Warns with DeprecationWarning."""
    warnings.warn('fixed_batch_renormalization is deprecated. Use '
                  'fixed_batch_normalization instead.', DeprecationWarning)
    with using_config('train', False):
        return fixed_batch_normalization(x, gamma, beta, mean, var, eps)
