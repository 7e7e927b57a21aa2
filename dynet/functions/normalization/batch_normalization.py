"""Batch normalization with batch statistics (``batch_normalization``,
updating running statistics in place) and with given statistics
(``fixed_batch_normalization``)."""
import numbers
import warnings

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.normalization import _util
from dynet.functions.normalization._channel_rows import ChannelRows
from dynet.variable import Variable


def _axis_argument(label, axis):
    """Validates ``axis`` as given by the user: None, an int or a sequence
    of ints (Chainer raises RuntimeError for anything else; ``AxisError``
    is both a RuntimeError and a ValueError)."""
    if axis is None:
        return None
    if isinstance(axis, numbers.Integral) and not isinstance(axis, bool):
        return (int(axis),)
    if isinstance(axis, (tuple, list)) and all(
            isinstance(a, numbers.Integral) and not isinstance(a, bool)
            for a in axis):
        return tuple(int(a) for a in axis)
    raise _util.AxisError(
        '{}: axis must be an int, a tuple of ints or None, got {!r}'.format(
            label, axis))


def reduction_axes(func, x_ndim, gamma_ndim, axis):
    """``(axes, key_axes)``: the axes the statistics are taken over and the
    remaining ("channel") axes, which ``gamma`` spans in order.

    With ``axis=None`` the statistics are taken over the first axis and the
    axes after the ``gamma.ndim`` channel axes: ``(0, 2, 3)`` for images
    with ``gamma`` of shape ``(C,)``. A given ``axis`` may count from the
    end and must be in ascending order (as in Chainer).
    """
    if axis is None:
        axes = (0,) + tuple(range(gamma_ndim + 1, x_ndim))
        if x_ndim < gamma_ndim + 1:
            _check.fail(func, 'x.ndim >= gamma.ndim + 1',
                        'x.ndim == {}, gamma.ndim == {}'.format(
                            x_ndim, gamma_ndim))
    else:
        for a in axis:
            if not -x_ndim <= a < x_ndim:
                _check.fail(func, 'axis {} in range [-x.ndim, x.ndim)'.format(
                    a), 'x.ndim == {}'.format(x_ndim))
        axes = tuple(a % x_ndim for a in axis)
        if any(axes[i - 1] >= axes[i] for i in range(1, len(axes))):
            raise _util.AxisError(
                '{}: numbers in axis must be sorted in ascending order (no '
                'duplicates), got {!r}'.format(func.label, axis))
    key_axes = tuple(i for i in range(x_ndim) if i not in axes)
    return axes, key_axes


def check_channel_shape(func, name, x_shape, key_axes, param):
    expected = tuple(x_shape[i] for i in key_axes)
    if param.shape != expected:
        _check.fail(func, '{}.shape == x.shape at the channel axes {} ({})'
                    .format(name, key_axes, expected),
                    '{}.shape == {}'.format(name, param.shape))


def check_params(func, names, arrays):
    """``gamma``-like parameters: floats of one dtype and one shape."""
    _check.float_kind(func, names[0], arrays[0])
    _check.same_dtype(func, names, arrays)
    _check.same_shape(func, names, arrays)


def _warn_single_sample(x_shape, axes):
    if x_shape and all(x_shape[i] == 1 for i in axes):
        if 0 in axes:
            warnings.warn(
                'A batch with no more than one sample has been given to '
                'F.batch_normalization: it always outputs beta for such '
                'batches (the batch variance is 0). This may be caused by '
                'running evaluation while config.train is True, or by the '
                'last, smaller batch of a non-repeating iterator.',
                UserWarning)
        else:
            warnings.warn(
                'F.batch_normalization received a batch whose axes of '
                'aggregation all have length 1: it always outputs beta for '
                'such batches.', UserWarning)


def _apply_affine(xc, inv_std, gamma, beta):
    """``((x - mean) * inv_std) * gamma + beta`` in place on ``xc = x -
    mean`` (Chainer's order of operations); for reduced axes that are not
    a prefix plus a suffix of x's (``_normalize_rows`` does the others)."""
    xc *= inv_std
    xc *= gamma
    xc += beta
    return xc


def _normalize_rows(rows, x, gamma, beta, eps):
    """``(y, mean, var, inv_std)`` of batch normalization with the layout
    ``rows`` (statistics flat, per channel; all in x's dtype)."""
    xs = rows.matrix(x)
    inv_m = x.dtype.type(1. / rows.reduced_size)
    mean = rows.sums(xs) * inv_m
    y = xs - rows.row(mean)
    var = rows.sums(y * y) * inv_m
    inv_std = _util.inv_std_of(var, eps)
    y *= rows.row(gamma.reshape(-1) * inv_std)
    y += rows.row(beta)
    return y.reshape(x.shape), mean, var, inv_std


def _normalize_rows_grad(rows, x, gamma, gy, mean, inv_std):
    """``(gx, ggamma, gbeta)`` (the last two flat) of batch normalization
    with the layout ``rows``, from the forward statistics."""
    xp = backend.get_array_module(x)
    inv_m = x.dtype.type(1. / rows.reduced_size)
    g = rows.matrix(gy)
    x_hat = rows.matrix(x) - rows.row(mean)
    x_hat *= rows.row(inv_std)
    gbeta = rows.sums(g)
    ggamma = rows.sums(g * x_hat)
    # gx = gamma * inv_std * (gy - (x_hat * ggamma + gbeta) / m)
    x_hat *= rows.row(ggamma * inv_m)
    x_hat += rows.row(gbeta * inv_m)
    gx = xp.subtract(g, x_hat, out=x_hat)
    gx *= rows.row(gamma.reshape(-1) * inv_std.reshape(-1))
    return gx, ggamma, gbeta


def running_array(label, name, value):
    if value is None:
        return None
    if isinstance(value, Variable):
        value = value.array
    if not isinstance(value, backend.get_array_types()):
        raise TypeError('{}: {} must be an array, got {}'.format(
            label, name, type(value).__name__))
    return value


class BatchNormalization(FunctionNode):
    """Normalization by batch statistics; updates running statistics."""

    def __init__(self, eps=2e-5, mean=None, var=None, decay=0.9, axis=None):
        self.eps = eps
        self.running_mean = running_array(
            'batch_normalization', 'running_mean', mean)
        self.running_var = running_array(
            'batch_normalization', 'running_var', var)
        if (self.running_mean is None) != (self.running_var is None):
            raise ValueError(
                'batch_normalization: running_mean and running_var must be '
                'given together (got only {})'.format(
                    'running_mean' if self.running_var is None
                    else 'running_var'))
        self.decay = decay
        self.axis = _axis_argument('batch_normalization', axis)

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 3)
        x, gamma, beta = in_data
        _check.float_kind(self, 'x', x)
        check_params(self, ('gamma', 'beta'), (gamma, beta))
        _, key_axes = reduction_axes(self, x.ndim, gamma.ndim, self.axis)
        check_channel_shape(self, 'gamma', x.shape, key_axes, gamma)
        if self.running_mean is not None:
            for name, value in (('running_mean', self.running_mean),
                                ('running_var', self.running_var)):
                _check.float_kind(self, name, value)
                if value.shape != gamma.shape:
                    _check.fail(self, '{}.shape == gamma.shape'.format(name),
                                '{} != {}'.format(value.shape, gamma.shape))

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, gamma, beta = inputs
        axes, _ = reduction_axes(self, x.ndim, gamma.ndim, self.axis)
        self.axes = axes
        _warn_single_sample(x.shape, axes)
        dtype = _util.stat_dtype(x.dtype, gamma.dtype)
        kshape = _util.kept_shape(x.shape, axes)
        rows = ChannelRows.of(x.shape, axes)
        if rows is None:
            xc, mean, var = _util.moments(x, axes, dtype)
            inv_std = _util.inv_std_of(var, self.eps)
            y = _apply_affine(
                xc, inv_std, gamma.reshape(kshape).astype(dtype, copy=False),
                beta.reshape(kshape).astype(dtype, copy=False))
        else:
            y, mean, var, inv_std = _normalize_rows(
                rows, x.astype(dtype, copy=False), gamma.astype(dtype),
                beta.astype(dtype), self.eps)
            mean, var, inv_std = (a.reshape(kshape)
                                  for a in (mean, var, inv_std))
        self.mean = mean
        self.inv_std = inv_std
        m = _util.reduced_size(x.shape, axes)
        if self.running_mean is not None and m > 0:
            # Unbiased variance for the running estimate, as Chainer.
            adjust = m / max(m - 1., 1.)
            decay = self.decay
            running_mean, running_var = self.running_mean, self.running_var
            running_mean *= decay
            running_mean += ((1 - decay) * mean).reshape(
                running_mean.shape).astype(running_mean.dtype, copy=False)
            running_var *= decay
            running_var += ((1 - decay) * adjust * var).reshape(
                running_var.shape).astype(running_var.dtype, copy=False)
        return y.astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        x, gamma = self.get_retained_inputs()
        gy, = grad_outputs
        return BatchNormalizationGrad(
            self.eps, self.axes, self.mean, self.inv_std).apply(
                (x, gamma, gy))


class BatchNormalizationGrad(FunctionNode):
    """``(gx, ggamma, gbeta)`` of batch normalization from ``(x, gamma,
    gy)``, given the forward statistics (``mean``, ``inv_std`` with the
    reduced axes kept, in the statistics dtype)."""

    def __init__(self, eps, axes, mean, inv_std):
        self.eps = eps
        self.axes = axes
        self.mean = mean
        self.inv_std = inv_std

    def forward(self, inputs):
        self.retain_inputs((0, 1, 2))
        x, gamma, gy = inputs
        xp = backend.get_array_module(x)
        axes = self.axes
        dtype = self.mean.dtype
        kshape = self.mean.shape
        rows = ChannelRows.of(x.shape, axes)
        if rows is not None:
            gx, ggamma, gbeta = _normalize_rows_grad(
                rows, x.astype(dtype, copy=False), gamma.astype(dtype),
                gy.astype(dtype, copy=False), self.mean, self.inv_std)
            return (gx.reshape(x.shape).astype(x.dtype, copy=False),
                    ggamma.reshape(gamma.shape).astype(gamma.dtype,
                                                       copy=False),
                    gbeta.reshape(gamma.shape).astype(gamma.dtype,
                                                      copy=False))
        x_hat = x.astype(dtype, copy=False) - self.mean
        x_hat *= self.inv_std
        gy = gy.astype(dtype, copy=False)
        gbeta = gy.sum(axis=axes, keepdims=True)
        ggamma = (gy * x_hat).sum(axis=axes, keepdims=True)
        m = _util.reduced_size(x.shape, axes)
        if m == 0:
            gx = xp.zeros(x.shape, x.dtype)
        else:
            coef = gamma.reshape(kshape).astype(dtype, copy=False) * \
                self.inv_std
            x_hat *= ggamma
            x_hat += gbeta
            x_hat *= dtype.type(1. / m)
            gx = coef * (gy - x_hat)
        return (gx.astype(x.dtype, copy=False),
                ggamma.reshape(gamma.shape).astype(gamma.dtype, copy=False),
                gbeta.reshape(gamma.shape).astype(gamma.dtype, copy=False))

    def backward(self, indexes, grad_outputs):
        # With x_hat = (x - mean) * s and the upstream gradients a (of gx),
        # b (of ggamma) and c (of gbeta):
        #   d/dgy    = gamma s (a - (x_hat Sum(a x_hat) + Sum(a)) / m)
        #              + b x_hat + c
        #   d/dgamma = s (Sum(a gy) - (Sum(a x_hat) ggamma
        #                              + Sum(a) gbeta) / m)
        #   d/dx     = s (G - mean(G) - x_hat mean(G x_hat))
        #              - s x_hat Sum(a gx) / m
        # where G = (b - gamma s Sum(a x_hat) / m) gy - gamma s ggamma a / m.
        # x_hat and s come from Standardize, so the result is
        # differentiable again.
        from dynet.functions.array.broadcast import broadcast_to
        from dynet.functions.array.reshape import reshape
        from dynet.functions.math.average import mean
        from dynet.functions.math.sum import sum as sum_
        x, gamma, gy = self.get_retained_inputs()
        ggx, gggamma, ggbeta = grad_outputs
        axes = self.axes
        dtype = self.mean.dtype
        kshape = self.mean.shape
        m = _util.reduced_size(x.shape, axes)
        if m == 0:
            xp = backend.get_array_module(x.array)
            zeros = {0: x, 1: gamma, 2: gy}
            return tuple(Variable(xp.zeros(zeros[i].shape, zeros[i].dtype))
                         for i in indexes)
        inv_m = 1.0 / m

        def keep(v):
            return None if v is None else reshape(
                _util.to_dtype(v, dtype), kshape)

        x_hat, s = _util.Standardize(
            axes, self.eps, (self.mean, self.inv_std)).apply(
                (_util.to_dtype(x, dtype),))
        g = _util.to_dtype(gy, dtype)
        a = _util.to_dtype(ggx, dtype)
        b = keep(gggamma)
        c = keep(ggbeta)
        coef = keep(gamma) * s
        g_beta = sum_(g, axis=axes, keepdims=True)
        g_gamma = sum_(g * x_hat, axis=axes, keepdims=True)
        if a is not None:
            a_sum = sum_(a, axis=axes, keepdims=True)
            a_xhat = sum_(a * x_hat, axis=axes, keepdims=True)

        result = []
        for i in indexes:
            if i == 0:
                grad = None
                if a is not None:
                    gx = coef * (g - (x_hat * g_gamma + g_beta) * inv_m)
                    r = sum_(a * gx, axis=axes, keepdims=True)
                    b_prime = -(coef * a_xhat) * inv_m
                    if b is not None:
                        b_prime = b_prime + b
                    big_g = b_prime * g - (coef * g_gamma * inv_m) * a
                elif b is not None:
                    big_g = b * g
                else:
                    big_g = None
                if big_g is not None:
                    grad = s * (big_g - mean(big_g, axis=axes, keepdims=True)
                                - x_hat * mean(big_g * x_hat, axis=axes,
                                               keepdims=True))
                    if a is not None:
                        grad = grad - (s * x_hat) * (r * inv_m)
                    grad = _util.to_dtype(grad, x.dtype)
                result.append(grad)
            elif i == 1:
                grad = None
                if a is not None:
                    grad = s * (sum_(a * g, axis=axes, keepdims=True) -
                                (a_xhat * g_gamma + a_sum * g_beta) * inv_m)
                    grad = _util.to_dtype(reshape(grad, gamma.shape),
                                          gamma.dtype)
                result.append(grad)
            else:
                grad = None
                if a is not None:
                    grad = coef * (a - (x_hat * a_xhat + a_sum) * inv_m)
                if b is not None:
                    term = b * x_hat
                    grad = term if grad is None else grad + term
                if c is not None:
                    grad = broadcast_to(c, x.shape) if grad is None \
                        else grad + c
                if grad is not None:
                    if grad.shape != x.shape:
                        grad = broadcast_to(grad, x.shape)
                    grad = _util.to_dtype(grad, gy.dtype)
                result.append(grad)
        return tuple(result)


class FixedBatchNormalization(FunctionNode):
    """Normalization by given statistics ``mean`` and ``var``."""

    def __init__(self, eps=2e-5, axis=None):
        self.eps = eps
        self.axis = _axis_argument('fixed_batch_normalization', axis)

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 5)
        x, gamma = in_data[:2]
        _check.float_kind(self, 'x', x)
        check_params(self, ('gamma', 'beta', 'mean', 'var'), in_data[1:])
        _, key_axes = reduction_axes(self, x.ndim, gamma.ndim, self.axis)
        check_channel_shape(self, 'gamma', x.shape, key_axes, gamma)

    def forward(self, inputs):
        self.retain_inputs((0, 1, 3, 4))
        x, gamma, beta, mean, var = inputs
        axes, _ = reduction_axes(self, x.ndim, gamma.ndim, self.axis)
        self.axes = axes
        dtype = _util.stat_dtype(x.dtype, gamma.dtype)
        kshape = _util.kept_shape(x.shape, axes)

        def keep(a):
            return a.reshape(kshape).astype(dtype, copy=False)

        inv_std = _util.inv_std_of(keep(var), self.eps)
        xc = x.astype(dtype, copy=False) - keep(mean)
        y = _apply_affine(xc, inv_std, keep(gamma), keep(beta))
        return y.astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        # y = gamma (x - mean) s + beta with s = (var + eps) ** -1/2, written
        # with dynet functions so that it is differentiable again.
        from dynet.functions.array.broadcast import broadcast_to
        from dynet.functions.array.reshape import reshape
        from dynet.functions.math.sqrt import rsqrt
        from dynet.functions.math.sum import sum as sum_
        x, gamma, mean, var = self.get_retained_inputs()
        gy, = grad_outputs
        axes = self.axes
        dtype = _util.stat_dtype(x.dtype, gamma.dtype)
        kshape = _util.kept_shape(x.shape, axes)
        pshape = gamma.shape

        def keep(v):
            return reshape(_util.to_dtype(v, dtype), kshape)

        def param_grad(v):
            return _util.to_dtype(reshape(v, pshape), gamma.dtype)

        g = _util.to_dtype(gy, dtype)
        s = rsqrt(keep(var) + self.eps)
        gamma_k = keep(gamma)
        coef = gamma_k * s
        need = set(indexes)
        if need & {1, 4}:
            x_hat = (_util.to_dtype(x, dtype) - keep(mean)) * s
            g_gamma = sum_(g * x_hat, axis=axes, keepdims=True)
        if need & {2, 3}:
            g_beta = sum_(g, axis=axes, keepdims=True)
        result = []
        for i in indexes:
            if i == 0:
                gx = g * coef
                if gx.shape != x.shape:
                    gx = broadcast_to(gx, x.shape)
                result.append(_util.to_dtype(gx, x.dtype))
            elif i == 1:
                result.append(param_grad(g_gamma))
            elif i == 2:
                result.append(param_grad(g_beta))
            elif i == 3:
                result.append(param_grad(-coef * g_beta))
            else:
                result.append(param_grad(
                    (gamma_k * s * s * g_gamma) * -0.5))
        return tuple(result)


def batch_normalization(x, gamma, beta, **kwargs):
    """batch_normalization(x, gamma, beta, eps=2e-05, running_mean=None, \
running_var=None, decay=0.9, axis=None)

    Batch normalization by the statistics of the batch:

    ``y = gamma * (x - mean) / sqrt(var + eps) + beta``

    where ``mean`` and ``var`` (the biased variance) are taken over the
    aggregation axes and ``gamma``/``beta`` broadcast along the others.

    When ``running_mean`` and ``running_var`` are given they are updated
    IN PLACE during forward: ``running_mean = decay * running_mean + (1 -
    decay) * mean`` and ``running_var = decay * running_var + (1 - decay) *
    m / (m - 1) * var`` (``m`` elements per channel; the factor is the
    unbiased-variance correction, 1 when ``m == 1``). An empty batch leaves
    them unchanged.

    Args:
        x: Variable or array (float16/32/64) of shape ``(N, C, ...)``.
        gamma, beta: scale and shift, floats of one dtype (which may differ
            from ``x``'s) with the shape of ``x`` at the channel axes
            (``(C,)`` for the default axes).
        eps (float): added to the variance.
        running_mean, running_var: arrays of ``gamma``'s shape, or None.
        decay (float): decay rate of the running averages.
        axis (None, int or tuple of ints): aggregation axes, in ascending
            order. None means the first axis and the axes after the
            ``gamma.ndim`` channel axes (``(0, 2, 3)`` for images).
    Returns:
        Variable of ``x``'s shape and dtype. The statistics are computed in
        the promoted dtype of ``x`` and ``gamma``, at least float32.

    Twice differentiable (and more) in ``x``, ``gamma`` and ``beta``.
    """
    eps, running_mean, running_var, decay, axis = _util.parse_kwargs(
        'batch_normalization', kwargs,
        (('eps', 2e-5), ('running_mean', None), ('running_var', None),
         ('decay', 0.9), ('axis', None)), _util.TRAIN_REMOVED)
    return BatchNormalization(eps, running_mean, running_var, decay,
                              axis).apply((x, gamma, beta))[0]


def fixed_batch_normalization(x, gamma, beta, mean, var, eps=2e-5,
                              axis=None):
    """Batch normalization by given statistics (inference):

    ``y = gamma * (x - mean) / sqrt(var + eps) + beta``

    Args:
        x: Variable or array (float16/32/64) of shape ``(N, C, ...)``.
        gamma, beta, mean, var: floats of one dtype and one shape: the
            shape of ``x`` at the channel axes.
        eps (float): added to ``var``.
        axis: aggregation axes, as in :func:`batch_normalization`.
    Returns:
        Variable of ``x``'s shape and dtype.

    All five inputs receive gradients; differentiable to any order.
    """
    return FixedBatchNormalization(eps, axis).apply(
        (x, gamma, beta, mean, var))[0]
