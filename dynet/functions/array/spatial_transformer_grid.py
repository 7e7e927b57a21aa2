"""Sampling grid of a 2-D spatial transformer: an affine map of the
normalized output coordinates."""
import numbers

import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


def _coords(xp, dtype, output_shape):
    """(3, H * W): rows x_t, y_t and 1 of the output pixels, where x_t and
    y_t run over ``linspace(-1, 1)`` along the width and height."""
    h, w = output_shape
    ys, xs = xp.meshgrid(xp.linspace(-1, 1, h, dtype=dtype),
                         xp.linspace(-1, 1, w, dtype=dtype), indexing='ij')
    return xp.stack([xs.ravel(), ys.ravel(),
                     xp.ones(h * w, dtype=dtype)])


class SpatialTransformerGrid(FunctionNode):
    """theta (B, 2, 3) -> grid (B, 2, H, W) = theta @ coords."""

    def __init__(self, output_shape):
        self.output_shape = output_shape

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        theta = in_data[0]
        _check.float_kind(self, 'theta', theta)
        _check.ndim_equal(self, 'theta', theta, 3)
        if theta.shape[1:] != (2, 3):
            _check.fail(self, 'theta.shape[1:] == (2, 3)',
                        'theta.shape == {}'.format(theta.shape))

    def forward(self, inputs):
        theta, = inputs
        xp = backend.get_array_module(theta)
        h, w = self.output_shape
        coords = _coords(xp, theta.dtype, self.output_shape)
        grid = xp.matmul(theta, coords).reshape(len(theta), 2, h, w)
        return grid.astype(theta.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        return SpatialTransformerGridGrad(self.output_shape).apply(
            grad_outputs)


class SpatialTransformerGridGrad(FunctionNode):
    """ggrid (B, 2, H, W) -> gtheta (B, 2, 3) = ggrid @ coords^T; the
    adjoint of ``SpatialTransformerGrid`` (both are linear)."""

    def __init__(self, output_shape):
        self.output_shape = output_shape

    def forward(self, inputs):
        ggrid, = inputs
        xp = backend.get_array_module(ggrid)
        h, w = self.output_shape
        coords = _coords(xp, ggrid.dtype, self.output_shape)
        g = xp.matmul(ggrid.reshape(len(ggrid), 2, h * w), coords.T)
        return g.astype(ggrid.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        return SpatialTransformerGrid(self.output_shape).apply(
            grad_outputs)


def _check_kwargs(name, kwargs):
    if 'use_cudnn' in kwargs:
        raise ValueError(
            '{}: the argument "use_cudnn" is not supported anymore; use '
            "dynet.using_config('use_cudnn', value)".format(name))
    if kwargs:
        raise TypeError('{}() got unexpected keyword argument(s) {}'.format(
            name, ', '.join(sorted(kwargs))))


def spatial_transformer_grid(theta, output_shape, **kwargs):
    """2-D spatial transformer grid (Jaderberg et al., Spatial Transformer
    Networks).

    For each output pixel with normalized coordinates ``(x_t, y_t)`` (both
    in ``[-1, 1]``: ``x_t = linspace(-1, 1, w_O)[j]``, ``y_t =
    linspace(-1, 1, h_O)[i]``) the source point is
    ``(x_s, y_s) = theta @ (x_t, y_t, 1)``.

    Args:
        theta (Variable or array): affine matrices (n, 2, 3), float.
        output_shape (tuple of two ints): ``(h_O, w_O)``.
    Returns:
        Variable (n, 2, h_O, w_O) of ``theta``'s dtype: channel 0 holds
        ``x_s`` and channel 1 ``y_s``, in the normalized coordinates
        where ``(-1, -1)`` is the upper-left corner of the input image.
        Linear in ``theta``; differentiable to any order.
    """
    _check_kwargs('spatial_transformer_grid', kwargs)
    try:
        shape = tuple(output_shape)
    except TypeError:
        shape = ()
    if len(shape) != 2 or not all(
            isinstance(n, (numbers.Integral, numpy.integer)) and n > 0
            for n in shape):
        raise ValueError('spatial_transformer_grid: output_shape must be a '
                         'pair of positive ints, got {!r}'.format(
                             output_shape))
    return SpatialTransformerGrid(tuple(int(n) for n in shape)).apply(
        (theta,))[0]
