"""Average pooling over any number of spatial axes.

With ``pad_value=0`` (Chainer's default) padded positions count as zeros
and every window is divided by the full window size; with
``pad_value=None`` only real elements are averaged.
"""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions.pooling.max_pooling_nd import _expect_ndim, _Pooling


class AveragePoolingND(_Pooling):

    def __init__(self, ndim, ksize, stride=None, pad=0, pad_value=0):
        super().__init__(ndim, ksize, stride, pad, cover_all=False)
        if pad_value not in (0, None):
            raise ValueError('{}: pad_value must be 0 or None, got {!r}'
                             .format(self.label, pad_value))
        self.pad_value = pad_value

    @property
    def label(self):
        return 'AveragePooling{}D'.format(self.ndim) if self.ndim <= 3 \
            else 'AveragePoolingND'

    def divisor(self, x_shape, dtype, xp):
        """The number each window sum is divided by (broadcastable)."""
        if self.pad_value == 0:
            size = 1
            for k in self.ksize:
                size *= k
            return dtype.type(size)
        # Count only the real (unpadded) elements of each window.
        ones = xp.ones((1, 1) + tuple(x_shape[2:]), dtype=dtype)
        return self.windows(ones, 0).sum(axis=2)

    def forward(self, inputs):
        x = inputs[0]
        xp = backend.get_array_module(x)
        y = self.windows(x, 0).sum(axis=2)
        y /= self.divisor(x.shape, x.dtype, xp)
        return y.astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        node = self.inputs[0]
        return AveragePoolingNDGrad(self, node.shape, node.dtype).apply(
            grad_outputs)


class AveragePoolingNDGrad(FunctionNode):
    """Spreads each output gradient evenly over its window."""

    def __init__(self, pooling, x_shape, x_dtype):
        self.pooling = pooling
        self.x_shape = x_shape
        self.x_dtype = x_dtype

    def forward(self, inputs):
        gy = inputs[0]
        xp = backend.get_array_module(gy)
        pooling = self.pooling
        gy = gy / pooling.divisor(self.x_shape, gy.dtype, xp)
        k = 1
        for v in pooling.ksize:
            k *= v
        gcol = xp.broadcast_to(gy[:, :, None], gy.shape[:2] + (k,) +
                               gy.shape[2:])
        return pooling.unwindows(gcol, self.x_shape[2:]).astype(
            gy.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        return AveragePoolingND(
            self.pooling.ndim, self.pooling.ksize, self.pooling.stride,
            self.pooling.pad, self.pooling.pad_value).apply(grad_outputs)


def average_pooling_nd(x, ksize, stride=None, pad=0, pad_value=0):
    """N-dimensional average pooling.

    Args:
        x: (N, C, d_1, ..., d_n) float array.
        ksize, stride, pad: ints or n-tuples (``stride=None``: ``ksize``).
        pad_value: 0 (padding averaged as zeros) or None (padding
            excluded from each average).
    Returns:
        Variable (N, C, o_1, ..., o_n), ``o = (d + 2p - k) // s + 1``.
    """
    ndim = len(x.shape) - 2
    return AveragePoolingND(ndim, ksize, stride, pad,
                            pad_value).apply((x,))[0]


def average_pooling_1d(x, ksize, stride=None, pad=0, pad_value=0):
    """1-D average pooling; see ``average_pooling_nd``."""
    _expect_ndim('average_pooling_1d', x, 1)
    return average_pooling_nd(x, ksize, stride, pad, pad_value)


def average_pooling_2d(x, ksize, stride=None, pad=0):
    """2-D average pooling of (N, C, H, W), padding averaged as zeros."""
    _expect_ndim('average_pooling_2d', x, 2)
    return average_pooling_nd(x, ksize, stride, pad, 0)


def average_pooling_3d(x, ksize, stride=None, pad=0, pad_value=0):
    """3-D average pooling; see ``average_pooling_nd``."""
    _expect_ndim('average_pooling_3d', x, 3)
    return average_pooling_nd(x, ksize, stride, pad, pad_value)
