"""Max pooling over any number of spatial axes.

The windows are an im2col view padded with -inf; the argmax of each window
is kept (as ``indexes``) so that the gradient goes to the element that was
chosen, and the gradient of the gradient gathers at the same places.

The max and its index are found with one vectorized pass per kernel
offset over the strided view (no copy of the K-element windows), and the
gradient is added back offset by offset the same way.
"""
import itertools

import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.utils import conv as conv_util


class _Pooling(FunctionNode):
    """Window geometry shared by the pooling nodes."""

    def __init__(self, ndim, ksize, stride=None, pad=0, cover_all=True):
        self.ndim = ndim
        self.ksize = conv_util.as_tuple(ksize, ndim, 'ksize')
        self.stride = self.ksize if stride is None else \
            conv_util.as_tuple(stride, ndim, 'stride')
        self.pad = conv_util.as_tuple(pad, ndim, 'pad')
        self.cover_all = cover_all
        if any(v < 1 for v in self.ksize + self.stride):
            raise ValueError('{}: ksize and stride must be positive, got {} '
                             'and {}'.format(self.label, self.ksize,
                                             self.stride))
        if any(p < 0 for p in self.pad):
            raise ValueError('{}: pad must be non-negative, got {}'.format(
                self.label, self.pad))

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        x = in_data[0]
        _check.float_kind(self, 'x', x)
        _check.ndim_equal(self, 'x', x, self.ndim + 2)
        out = self.out_size(x.shape[2:])
        if any(o <= 0 for o in out):
            _check.fail(self, 'a non-empty output',
                        'input size {}, ksize {}, stride {}, pad {} give {}'
                        .format(tuple(x.shape[2:]), self.ksize, self.stride,
                                self.pad, out))

    def out_size(self, in_size):
        return tuple(conv_util.get_conv_outsize(n, k, s, p, self.cover_all)
                     for n, k, s, p in zip(in_size, self.ksize, self.stride,
                                           self.pad))

    def windows(self, x, pad_value):
        """(N, C, K, *out): the flattened window of every output."""
        col = conv_util.im2col(x, self.ksize, self.stride, self.pad,
                               pad_value=pad_value, cover_all=self.cover_all)
        shape = col.shape
        k = 1
        for v in self.ksize:
            k *= v
        # An explicit window size: -1 cannot be inferred for empty arrays.
        return col.reshape(shape[:2] + (k,) + shape[2 + self.ndim:])

    def regions(self, outs):
        """(offsets, region) of every kernel offset, in the flat order
        of ``indexes``; see ``conv_util.window_regions``."""
        return conv_util.window_regions(self.ksize, self.stride, outs)

    def unwindows(self, col, in_size):
        """Adjoint of ``windows``: (N, C, K, *out) summed into an image."""
        shape = col.shape
        col = col.reshape(shape[:2] + self.ksize + shape[3:])
        return conv_util.col2im(col, self.stride, self.pad, in_size)


def _one_hot(indexes, size, dtype):
    xp = backend.get_array_module(indexes)
    positions = xp.arange(size).reshape((1, 1, size) +
                                        (1,) * (indexes.ndim - 2))
    return (positions == indexes[:, :, None]).astype(dtype)


class MaxPoolingND(_Pooling):

    @property
    def label(self):
        return 'MaxPooling{}D'.format(self.ndim) if self.ndim <= 3 else \
            'MaxPoolingND'

    def forward(self, inputs):
        x = inputs[0]
        xp = backend.get_array_module(x)
        col = conv_util.im2col(x, self.ksize, self.stride, self.pad,
                               pad_value=-float('inf'),
                               cover_all=self.cover_all)
        everything = (slice(None), slice(None))
        views = [col[everything + offset] for offset in
                 itertools.product(*[range(k) for k in self.ksize])]
        best = views[0].copy()
        for value in views[1:]:
            xp.maximum(best, value, out=best)  # a NaN in the window wins
        # argmax's rule: the first maximum wins, so the index is the
        # number of offsets before the first one equal to the maximum
        # (counted with contiguous boolean passes: 4x faster than
        # assigning each offset's index through a mask).
        last = len(views) - 1
        before = views[0] != best
        indexes = before.astype(numpy.intp)
        for j in range(1, last):
            before &= views[j] != best
            indexes += before
        # A NaN equals nothing: windows with one take their first NaN. (A
        # sum is the cheapest test that finds none on the CPU; it can also
        # be non-finite for other reasons, which only costs the fix-up.)
        if xp is not numpy or not numpy.isfinite(best.sum()):
            nan = best != best
            xp.copyto(indexes, last, where=nan)
            for j in range(last - 1, -1, -1):
                xp.copyto(indexes, j, where=nan & (views[j] != views[j]))
        self.indexes = indexes
        return best,

    def backward(self, indexes, grad_outputs):
        node = self.inputs[0]
        return MaxPoolingNDGrad(self, node.shape, node.dtype).apply(
            grad_outputs)


class MaxPoolingNDGrad(FunctionNode):
    """Scatters the output gradient to the chosen window elements."""

    def __init__(self, pooling, x_shape, x_dtype):
        self.pooling = pooling
        self.x_shape = x_shape
        self.x_dtype = x_dtype

    def forward(self, inputs):
        gy = inputs[0]
        xp = backend.get_array_module(gy)
        pooling = self.pooling
        in_size = self.x_shape[2:]
        outs = gy.shape[2:]
        padded = conv_util.padded_size(in_size, pooling.ksize, pooling.stride,
                                       pooling.pad, outs)
        # Windows that tile the padded image (2x2 pooling with stride 2 on
        # even sizes) write every element exactly once: each offset's
        # share is assigned, with no zero fill and no addition (1.6x
        # faster).
        tiling = pooling.stride == pooling.ksize and padded == tuple(
            o * s for o, s in zip(outs, pooling.stride))
        img = (xp.empty if tiling else xp.zeros)(gy.shape[:2] + padded,
                                                 dtype=gy.dtype)
        everything = (slice(None), slice(None))
        zero = gy.dtype.type(0)
        # Multiplying by the mask is 8x faster than where() on the CPU,
        # but would turn an unchosen inf or NaN into NaN instead of 0.
        multiply = xp is numpy and numpy.isfinite(gy.sum())
        for j, (_, region) in enumerate(pooling.regions(outs)):
            mask = pooling.indexes == j
            share = gy * mask if multiply else xp.where(mask, gy, zero)
            if tiling:
                img[everything + region] = share
            else:
                img[everything + region] += share
        crop = tuple(slice(p, p + n) for p, n in zip(pooling.pad, in_size))
        return img[everything + crop],

    def backward(self, indexes, grad_outputs):
        return MaxPoolingNDWithIndexes(self.pooling).apply(grad_outputs)


class MaxPoolingNDWithIndexes(FunctionNode):
    """Gathers each window's element at the pooling's argmax (the
    adjoint of MaxPoolingNDGrad)."""

    def __init__(self, pooling):
        self.pooling = pooling

    def forward(self, inputs):
        x = inputs[0]
        xp = backend.get_array_module(x)
        col = self.pooling.windows(x, 0)
        y = xp.take_along_axis(col, self.pooling.indexes[:, :, None],
                               axis=2)[:, :, 0]
        return xp.ascontiguousarray(y),

    def backward(self, indexes, grad_outputs):
        node = self.inputs[0]
        return MaxPoolingNDGrad(self.pooling, node.shape, node.dtype).apply(
            grad_outputs)


def max_pooling_nd(x, ksize, stride=None, pad=0, cover_all=True,
                   return_indices=False):
    """N-dimensional max pooling.

    Args:
        x: (N, C, d_1, ..., d_n) float array.
        ksize, stride, pad: ints or n-tuples; ``stride=None`` means
            ``ksize``. Padding never wins the max.
        cover_all (bool): round the output size up so that every input
            element is in some window (Caffe-style ceil); Chainer's default.
        return_indices (bool): also return the argmax of each window (as a
            flat index into the window).
    Returns:
        Variable (N, C, o_1, ..., o_n), and the indices if asked.
    """
    ndim = len(x.shape) - 2
    node = MaxPoolingND(ndim, ksize, stride, pad, cover_all)
    y = node.apply((x,))[0]
    if return_indices:
        return y, node.indexes
    return y


def max_pooling_1d(x, ksize, stride=None, pad=0, cover_all=True,
                   return_indices=False):
    """1-D max pooling; see ``max_pooling_nd``."""
    _expect_ndim('max_pooling_1d', x, 1)
    return max_pooling_nd(x, ksize, stride, pad, cover_all, return_indices)


def max_pooling_2d(x, ksize, stride=None, pad=0, cover_all=True,
                   return_indices=False):
    """2-D max pooling of (N, C, H, W); see ``max_pooling_nd``."""
    _expect_ndim('max_pooling_2d', x, 2)
    return max_pooling_nd(x, ksize, stride, pad, cover_all, return_indices)


def max_pooling_3d(x, ksize, stride=None, pad=0, cover_all=True,
                   return_indices=False):
    """3-D max pooling; see ``max_pooling_nd``."""
    _expect_ndim('max_pooling_3d', x, 3)
    return max_pooling_nd(x, ksize, stride, pad, cover_all, return_indices)


def _expect_ndim(name, x, spatial):
    if len(x.shape) != spatial + 2:
        raise ValueError('{}: x must have {} axes (N, C and {} spatial), got '
                         'shape {}'.format(name, spatial + 2, spatial,
                                           tuple(x.shape)))
