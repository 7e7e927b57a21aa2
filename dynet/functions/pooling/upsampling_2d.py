"""Upsampling with the indices of a max pooling (the unpooling of SegNet).
"""
from dynet import backend
from dynet.functions import _check
from dynet.functions.pooling.max_pooling_nd import (
    _expect_ndim, _one_hot, _Pooling, MaxPoolingNDWithIndexes)
from dynet.utils import conv as conv_util


class Upsampling2D(_Pooling):
    """Puts each input element at the window position its index names;
    the adjoint of gathering a window element by index."""

    def __init__(self, indexes, ksize, stride=None, pad=0, outsize=None,
                 cover_all=True):
        super().__init__(2, ksize, stride, pad, cover_all)
        self.indexes = indexes
        self.outs = None if outsize is None else conv_util.as_tuple(
            outsize, 2, 'outsize')

    @property
    def label(self):
        return 'Upsampling2D'

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        x = in_data[0]
        _check.float_kind(self, 'x', x)
        _check.ndim_equal(self, 'x', x, 4)
        indexes = self.indexes
        if getattr(indexes, 'dtype', None) is None or \
                indexes.dtype.kind not in 'iu':
            _check.fail(self, 'indexes an integer array',
                        'indexes of type {}'.format(type(indexes).__name__)
                        if getattr(indexes, 'dtype', None) is None else
                        'indexes.dtype == {}'.format(indexes.dtype))
        if tuple(indexes.shape) != tuple(x.shape):
            _check.fail(self, 'indexes.shape == x.shape',
                        '{} != {}'.format(tuple(indexes.shape), x.shape))
        k = self.ksize[0] * self.ksize[1]
        if indexes.size and (int(indexes.min()) < 0 or
                             int(indexes.max()) >= k):
            _check.fail(self, 'indexes in [0, {}) (a flat index into the '
                        '{} x {} window)'.format(k, *self.ksize),
                        'indexes from {} to {}'.format(int(indexes.min()),
                                                       int(indexes.max())))
        size = tuple(x.shape[2:])
        if self.outs is not None:
            expected = self.out_size(self.outs)
            if expected != size:
                _check.fail(
                    self, 'x.shape[2:] == {} (what pooling an array of '
                    'outsize {} gives)'.format(expected, self.outs),
                    'x.shape[2:] == {}'.format(size))

    def forward(self, inputs):
        x = inputs[0]
        xp = backend.get_array_module(x)
        self.indexes = xp.asarray(self.indexes)
        outs = self.outs if self.outs is not None else tuple(
            conv_util.get_deconv_outsize(n, k, s, p, self.cover_all)
            for n, k, s, p in zip(x.shape[2:], self.ksize, self.stride,
                                  self.pad))
        if any(o <= 0 for o in outs):
            raise ValueError('{}: the output size {} is not positive'.format(
                self.label, outs))
        col = _one_hot(self.indexes, self.ksize[0] * self.ksize[1],
                       x.dtype) * x[:, :, None]
        return self.unwindows(col, outs),

    def backward(self, indexes, grad_outputs):
        # Gathers the gradient at the same window positions (whose gradient
        # in turn scatters again: double backprop works).
        return MaxPoolingNDWithIndexes(self).apply(grad_outputs)


def upsampling_2d(x, indexes, ksize, stride=None, pad=0, outsize=None,
                  cover_all=True):
    """Upsampling using max-pooling indices.

    ``indexes`` is what ``F.max_pooling_2d(..., return_indices=True)``
    returns (Chainer's format): an integer array of ``x``'s shape whose
    entry for output ``(oy, ox)`` is the flat position ``ky * kw + kx`` of
    the maximum inside its ``kh x kw`` window, which starts at
    ``(oy * sy - ph, ox * sx - pw)``. Each element of ``x`` is written at
    that position of a zero image (positions in the padding are dropped,
    values landing on the same pixel add up); the gradient gathers the
    output gradient at the same positions.

    >>> x = numpy.arange(1, 37, dtype=numpy.float32).reshape(1, 1, 6, 6)
    >>> y, indexes = F.max_pooling_2d(x, 2, return_indices=True)
    >>> F.upsampling_2d(y, indexes, 2, outsize=(6, 6)).array[0, 0, :2]
    array([[ 0.,  0.,  0.,  0.,  0.,  0.],
           [ 0.,  8.,  0., 10.,  0., 12.]], dtype=float32)

    Args:
        x: (N, C, H, W) float array (usually the pooled output).
        indexes: integer array of shape (N, C, H, W), on ``x``'s device or
            the host.
        ksize, stride, pad, cover_all: the arguments of that max pooling.
        outsize: None or (height, width) of the result (usually the pooled
            input's size); None gives ``get_deconv_outsize`` of each axis.
    Returns:
        Variable (N, C, outh, outw) of ``x``'s dtype.
    """
    _expect_ndim('upsampling_2d', x, 2)
    return Upsampling2D(indexes, ksize, stride, pad, outsize,
                        cover_all).apply((x,))[0]
