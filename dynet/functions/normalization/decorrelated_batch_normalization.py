"""Decorrelated batch normalization (Huang et al., CVPR 2018): ZCA
whitening of groups of channels by batch statistics
(``decorrelated_batch_normalization``), and its inference form with given
statistics (``fixed_decorrelated_batch_normalization``).

The channels of ``x`` (``(b, c, ...)``) are split into ``groups``
consecutive groups of ``C = c // groups`` channels; every group is
whitened on its own, over the ``m = b * prod(spatial)`` samples of the
batch. Inside the nodes a group's data is a ``(C, m)`` matrix, so a batch
of groups is ``(groups, C, m)``.
"""
import numbers

import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.normalization import _util
from dynet.functions.normalization.batch_normalization import running_array


def _grouped(x, groups):
    """``(b, c, *spatial)`` -> ``(groups, c // groups, b * prod(spatial))``
    (an array)."""
    spatial = tuple(range(2, x.ndim))
    c = x.shape[1]
    return x.transpose((1, 0) + spatial).reshape(groups, c // groups, -1)


def _ungrouped(y, shape):
    """Inverse of ``_grouped`` for an input of ``shape``."""
    spatial = tuple(range(2, len(shape)))
    return y.reshape((shape[1], shape[0]) + tuple(shape[2:])).transpose(
        (1, 0) + spatial)


def _grouped_variable(x, groups):
    """``_grouped`` with dynet functions (differentiable)."""
    from dynet.functions.array.reshape import reshape
    from dynet.functions.array.transpose import transpose
    spatial = tuple(range(2, x.ndim))
    c = x.shape[1]
    m = 1
    for n in (x.shape[0],) + tuple(x.shape[2:]):
        m *= n
    return reshape(transpose(x, (1, 0) + spatial), (groups, c // groups, m))


def _ungrouped_variable(y, shape):
    from dynet.functions.array.reshape import reshape
    from dynet.functions.array.transpose import transpose
    spatial = tuple(range(2, len(shape)))
    return transpose(
        reshape(y, (shape[1], shape[0]) + tuple(shape[2:])),
        (1, 0) + spatial)


def _eigh(a):
    """Eigenvalues (ascending) and eigenvectors of each symmetric matrix of
    ``a`` (``(g, C, C)``); one at a time where the array module has no
    batched ``eigh``."""
    xp = backend.get_array_module(a)
    try:
        return xp.linalg.eigh(a)
    except (ValueError, NotImplementedError, TypeError):
        if xp is numpy:
            raise
    pairs = [xp.linalg.eigh(matrix) for matrix in a]
    return (xp.stack([w for w, _ in pairs]),
            xp.stack([v for _, v in pairs]))


def _whitening(vectors, roots):
    """``V diag(1 / s) V^T``: the inverse square root of the covariance."""
    xp = backend.get_array_module(vectors)
    return xp.matmul(vectors / roots[:, None, :], vectors.swapaxes(1, 2))


def _check_groups(name, groups):
    if not isinstance(groups, (numbers.Integral, numpy.integer)) or \
            isinstance(groups, bool):
        raise TypeError('{}: groups must be an int, got {!r}'.format(
            name, groups))
    if groups < 1:
        raise ValueError('{}: groups must be positive, got {}'.format(
            name, groups))
    return int(groups)


def _check_channels(func, x, groups):
    _check.float_kind(func, 'x', x)
    _check.ndim_at_least(func, 'x', x, 2)
    if x.shape[1] % groups:
        _check.fail(func, 'x.shape[1] divisible by groups == {}'.format(
            groups), 'x.shape == {}'.format(x.shape))


def _check_statistic(func, name, value, shape, role):
    if value.shape != shape:
        hint = ''
        if value.ndim == len(shape) - 1:
            hint = (' (a statistic of one shared whitening, the layout of '
                    'Chainer v6; broadcast it to {})'.format(shape))
        _check.fail(func, '{}.shape == {} ({}){}'.format(
            name, shape, role, hint), '{}.shape == {}'.format(
                name, value.shape))


class DecorrelatedBatchNormalization(FunctionNode):
    """ZCA whitening by batch statistics; updates the running ones."""

    label = 'decorrelated_batch_normalization'

    def __init__(self, groups, eps, running_mean, running_projection,
                 decay):
        self.groups = groups
        self.eps = eps
        self.decay = decay
        self.running_mean = running_array(
            self.label, 'running_mean', running_mean)
        self.running_projection = running_array(
            self.label, 'running_projection', running_projection)

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        x, = in_data
        _check_channels(self, x, self.groups)
        g = self.groups
        size = x.shape[1] // g
        if self.running_mean is not None:
            _check.float_kind(self, 'running_mean', self.running_mean)
            _check_statistic(self, 'running_mean', self.running_mean,
                             (g, size), '(groups, channels per group)')
        if self.running_projection is not None:
            _check.float_kind(self, 'running_projection',
                              self.running_projection)
            _check_statistic(
                self, 'running_projection', self.running_projection,
                (g, size, size),
                '(groups, channels per group, channels per group)')

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        xp = backend.get_array_module(x)
        dtype = _util.stat_dtype(x.dtype)
        xg = _grouped(x, self.groups).astype(dtype)
        g, size, m = xg.shape
        self.m = m
        if m == 0:
            # Nothing to normalize: an empty output, statistics untouched.
            return xp.zeros(x.shape, dtype=x.dtype),
        mean = xg.mean(axis=2, keepdims=True)
        xc = xg - mean
        cov = xp.matmul(xc, xc.swapaxes(1, 2)) / dtype.type(m)
        cov += xp.eye(size, dtype=dtype) * dtype.type(self.eps)
        eigenvalues, vectors = _eigh(cov)
        roots = xp.sqrt(eigenvalues)
        whitening = _whitening(vectors, roots)
        y = xp.matmul(whitening, xc)
        self.mean, self.vectors, self.roots = mean, vectors, roots

        decay = self.decay
        if self.running_mean is not None:
            running = self.running_mean
            running *= decay
            running += ((1 - decay) * mean[:, :, 0]).astype(
                running.dtype, copy=False)
        if self.running_projection is not None:
            # Chainer's correction for the unbiased covariance estimate.
            adjust = m / max(m - 1., 1.)
            running = self.running_projection
            running *= decay
            running += ((1 - decay) * adjust * whitening).astype(
                running.dtype, copy=False)
        y = _ungrouped(y, x.shape)
        return xp.ascontiguousarray(y.astype(x.dtype, copy=False)),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        if self.m == 0:
            from dynet.variable import Variable
            xp = backend.get_array_module(x.array)
            return Variable(xp.zeros(x.shape, dtype=x.dtype)),
        return DecorrelatedBatchNormalizationGrad(
            self.groups, self.mean, self.vectors, self.roots).apply(
                (x, grad_outputs[0]))


class DecorrelatedBatchNormalizationGrad(FunctionNode):
    """``gx`` of :class:`DecorrelatedBatchNormalization` from ``(x, gy)``.

    With ``xc = x - mean``, ``S = xc xc^T / m + eps I = V diag(s^2) V^T``
    and ``W = S^(-1/2)``, the output is ``W xc``. The derivative of the
    matrix function ``S -> S^(-1/2)`` (Daleckii-Krein) is ``dW = V (F o
    (V^T dS V)) V^T`` with the divided differences ``F_ij = -1 / (s_i s_j
    (s_i + s_j))``, which stay finite for equal eigenvalues. Not
    differentiable again (neither is Chainer's).
    """

    label = 'decorrelated_batch_normalization_grad'

    def __init__(self, groups, mean, vectors, roots):
        self.groups = groups
        self.mean = mean
        self.vectors = vectors
        self.roots = roots

    def forward(self, inputs):
        x, gy = inputs
        xp = backend.get_array_module(x)
        dtype = self.mean.dtype
        m = self.mean.dtype.type(_grouped(x, self.groups).shape[2])
        xc = _grouped(x, self.groups).astype(dtype) - self.mean
        gyg = _grouped(gy, self.groups).astype(dtype)
        vectors, roots = self.vectors, self.roots
        whitening = _whitening(vectors, roots)
        vectors_t = vectors.swapaxes(1, 2)
        # Gradient of the loss with respect to W, then to S.
        g_w = xp.matmul(gyg, xc.swapaxes(1, 2))
        divided = -1 / (roots[:, :, None] * roots[:, None, :] *
                        (roots[:, :, None] + roots[:, None, :]))
        g_s = xp.matmul(vectors, xp.matmul(
            divided * xp.matmul(xp.matmul(vectors_t, g_w), vectors),
            vectors_t))
        # S depends on xc through xc xc^T / m.
        gxc = xp.matmul(whitening, gyg) + xp.matmul(
            g_s + g_s.swapaxes(1, 2), xc) / m
        gxc -= gxc.mean(axis=2, keepdims=True)
        gx = _ungrouped(gxc, x.shape)
        return xp.ascontiguousarray(gx.astype(x.dtype, copy=False)),

    def backward(self, indexes, grad_outputs):
        raise RuntimeError(
            'decorrelated_batch_normalization does not support double '
            'backpropagation (neither does Chainer)')


class FixedDecorrelatedBatchNormalization(FunctionNode):
    """``projection @ (x - mean)`` per group; inputs ``(x, mean,
    projection)``."""

    label = 'fixed_decorrelated_batch_normalization'

    def __init__(self, groups):
        self.groups = groups

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 3)
        x, mean, projection = in_data
        _check_channels(self, x, self.groups)
        _check.same_dtype(self, ('x', 'mean', 'projection'), in_data)
        g = self.groups
        size = x.shape[1] // g
        _check_statistic(self, 'mean', mean, (g, size),
                         '(groups, channels per group)')
        _check_statistic(self, 'projection', projection, (g, size, size),
                         '(groups, channels per group, channels per group)')

    def forward(self, inputs):
        self.retain_inputs((0, 1, 2))
        x, mean, projection = inputs
        xp = backend.get_array_module(x)
        dtype = _util.stat_dtype(x.dtype)
        xc = _grouped(x, self.groups).astype(dtype) - \
            mean.astype(dtype)[:, :, None]
        y = xp.matmul(projection.astype(dtype, copy=False), xc)
        y = _ungrouped(y, x.shape)
        return xp.ascontiguousarray(y.astype(x.dtype, copy=False)),

    def backward(self, indexes, grad_outputs):
        # Linear in each input: written with dynet functions, so that it is
        # differentiable again.
        from dynet.functions.array.expand_dims import expand_dims
        from dynet.functions.math.matmul import matmul
        from dynet.functions.math.sum import sum as sum_
        x, mean, projection = self.get_retained_inputs()
        gyg = _grouped_variable(grad_outputs[0], self.groups)
        xc = _grouped_variable(x, self.groups) - expand_dims(mean, 2)
        gxc = matmul(projection, gyg, transa=True)
        gx = _ungrouped_variable(gxc, x.shape)
        g_mean = -sum_(gxc, axis=2)
        g_projection = matmul(gyg, xc, transb=True)
        return gx, g_mean, g_projection


def decorrelated_batch_normalization(x, *, groups=16, eps=2e-5,
                                     running_mean=None,
                                     running_projection=None, decay=0.9):
    """Decorrelated batch normalization: ZCA whitening by batch
    statistics.

    The ``c`` channels of ``x`` are split into ``groups`` consecutive
    groups of ``C = c // groups`` channels. For each group, with its
    channels as rows of a ``(C, m)`` matrix ``X`` over the ``m = b *
    prod(spatial)`` positions of the batch, ``mu`` the mean of the rows and
    ``Sigma = (X - mu)(X - mu)^T / m + eps I``::

        Y = Sigma ** (-1/2) (X - mu)

    so each group of the output has zero mean and (up to ``eps``) the
    identity covariance. There is no scale or shift.

    The running statistics, when given, are updated IN PLACE:
    ``running_mean = decay * running_mean + (1 - decay) * mu`` and
    ``running_projection = decay * running_projection + (1 - decay) *
    m / (m - 1) * Sigma ** (-1/2)`` (Chainer's correction factor). An empty
    batch gives an empty output and leaves them unchanged.

    Args:
        x (Variable or array): float16/32/64 input ``(b, c, ...)``;
            ``c`` must be divisible by ``groups``. The statistics are
            computed in float32 for float16 input (Chainer's CPU code
            refuses float16).
        groups (int): number of groups, each whitened on its own.
        eps (float): added to the diagonal of the covariances.
        running_mean (array): ``(groups, C)`` running mean, or None.
        running_projection (array): ``(groups, C, C)`` running whitening
            matrix, or None.
        decay (float): decay rate of the running averages.
    Returns:
        Variable of ``x``'s shape and dtype. Double backprop is not
        supported (as in Chainer).

    See: `Decorrelated Batch Normalization <https://arxiv.org/abs/1804.08450>`_
    """
    groups = _check_groups('decorrelated_batch_normalization', groups)
    return DecorrelatedBatchNormalization(
        groups, eps, running_mean, running_projection, decay).apply(
            (x,))[0]


def fixed_decorrelated_batch_normalization(x, mean, projection, groups=16):
    """Decorrelated batch normalization with given statistics (the testing
    mode of :class:`~dynet.links.DecorrelatedBatchNormalization`).

    For each group ``i`` of ``C = c // groups`` consecutive channels
    (see :func:`decorrelated_batch_normalization`)::

        Y_i = projection[i] @ (X_i - mean[i])

    Args:
        x (Variable or array): float16/32/64 input ``(b, c, ...)``.
        mean (Variable or array): ``(groups, C)`` of ``x``'s dtype.
        projection (Variable or array): ``(groups, C, C)`` of ``x``'s
            dtype.
        groups (int): number of groups.
    Returns:
        Variable of ``x``'s shape and dtype. Gradients reach ``x``,
        ``mean`` and ``projection``; double backprop is supported.
    """
    groups = _check_groups('fixed_decorrelated_batch_normalization', groups)
    return FixedDecorrelatedBatchNormalization(groups).apply(
        (x, mean, projection))[0]
