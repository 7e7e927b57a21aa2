"""Unpooling: the inverse of pooling; every input element is repeated over
its pooling window (overlapping windows add up)."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.pooling.max_pooling_nd import _expect_ndim, _Pooling
from dynet.utils import conv as conv_util


class UnpoolingND(_Pooling):
    """``y = col2im(x repeated over the window)``; the adjoint of summing
    each pooling window."""

    def __init__(self, ndim, ksize, stride=None, pad=0, outsize=None,
                 cover_all=True):
        super().__init__(ndim, ksize, stride, pad, cover_all)
        self.outs = None if outsize is None else conv_util.as_tuple(
            outsize, ndim, 'outsize')

    @property
    def label(self):
        return 'Unpooling{}D'.format(self.ndim) if self.ndim <= 3 else \
            'UnpoolingND'

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        x = in_data[0]
        _check.float_kind(self, 'x', x)
        _check.ndim_equal(self, 'x', x, self.ndim + 2)
        size = tuple(x.shape[2:])
        if self.outs is not None:
            expected = self.out_size(self.outs)
            if expected != size:
                _check.fail(
                    self, 'x.shape[2:] == {} (what pooling an array of '
                    'outsize {} gives)'.format(expected, self.outs),
                    'x.shape[2:] == {}'.format(size))
        elif any(o <= 0 for o in self.deconv_size(size)):
            _check.fail(self, 'a non-empty output',
                        'input size {}, ksize {}, stride {}, pad {} give {}'
                        .format(size, self.ksize, self.stride, self.pad,
                                self.deconv_size(size)))

    def deconv_size(self, in_size):
        return tuple(conv_util.get_deconv_outsize(n, k, s, p, self.cover_all)
                     for n, k, s, p in zip(in_size, self.ksize, self.stride,
                                           self.pad))

    def forward(self, inputs):
        x = inputs[0]
        xp = backend.get_array_module(x)
        outs = self.outs if self.outs is not None else \
            self.deconv_size(x.shape[2:])
        if any(o <= 0 for o in outs):
            raise ValueError('{}: the output size {} is not positive'.format(
                self.label, outs))
        k = 1
        for v in self.ksize:
            k *= v
        col = xp.broadcast_to(x[:, :, None], x.shape[:2] + (k,) +
                              x.shape[2:])
        return self.unwindows(col, outs),

    def backward(self, indexes, grad_outputs):
        return UnpoolingNDGrad(self).apply(grad_outputs)


class UnpoolingNDGrad(FunctionNode):
    """Sums each pooling window of the output gradient (no division)."""

    def __init__(self, unpooling):
        self.unpooling = unpooling

    def forward(self, inputs):
        gy = inputs[0]
        xp = backend.get_array_module(gy)
        return xp.ascontiguousarray(
            self.unpooling.windows(gy, 0).sum(axis=2)),

    def backward(self, indexes, grad_outputs):
        u = self.unpooling
        return UnpoolingND(u.ndim, u.ksize, u.stride, u.pad,
                           self.inputs[0].shape[2:], u.cover_all).apply(
                               grad_outputs)


def unpooling_nd(x, ksize, stride=None, pad=0, outsize=None, cover_all=True):
    """N-dimensional unpooling, the inverse of pooling.

    Like a deconvolution with an all-ones kernel and no channel mixing:
    every input element is copied into each position of its pooling window
    (window ``o`` covers ``o * s - p + [0, k)``), values of overlapping
    windows add up, and positions in the padding are dropped. The gradient
    sums each window of the output gradient.

    Args:
        x: (N, C, d_1, ..., d_n) float array.
        ksize, stride, pad: ints or n-tuples (``stride=None``: ``ksize``).
        outsize: None or the n-tuple output size; None gives
            ``get_deconv_outsize(d, k, s, p, cover_all)``. When given,
            pooling an array of this size with the same arguments must give
            ``x``'s spatial size.
        cover_all (bool): whether the pooling this inverts used
            ``cover_all`` (Chainer's default True).
    Returns:
        Variable (N, C, out_1, ..., out_n) of ``x``'s dtype.
    """
    ndim = len(x.shape) - 2
    return UnpoolingND(ndim, ksize, stride, pad, outsize, cover_all).apply(
        (x,))[0]


def unpooling_1d(x, ksize, stride=None, pad=0, outsize=None, cover_all=True):
    """1-D unpooling of (N, C, L); see ``unpooling_nd``."""
    _expect_ndim('unpooling_1d', x, 1)
    return unpooling_nd(x, ksize, stride, pad, outsize, cover_all)


def unpooling_2d(x, ksize, stride=None, pad=0, outsize=None, cover_all=True):
    """2-D unpooling of (N, C, H, W); see ``unpooling_nd``.

    ``unpooling_2d(x, 2)`` repeats every pixel into a 2 x 2 block (with
    ``cover_all=True`` the output is then ``2 * H - 1`` high: pass
    ``outsize`` or ``cover_all=False`` for ``2 * H``).
    """
    _expect_ndim('unpooling_2d', x, 2)
    return unpooling_nd(x, ksize, stride, pad, outsize, cover_all)


def unpooling_3d(x, ksize, stride=None, pad=0, outsize=None, cover_all=True):
    """3-D unpooling of (N, C, D, H, W); see ``unpooling_nd``."""
    _expect_ndim('unpooling_3d', x, 3)
    return unpooling_nd(x, ksize, stride, pad, outsize, cover_all)
