"""Resizing images by bilinear or nearest-neighbour sampling."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.array import _array_utils as _u

_MODES = ('bilinear', 'nearest')


def _sampling(xp, out_size, in_size, mode, align_corners):
    """Per output row (or column): the source index ``i0``, the next one
    ``i1`` (clamped) and the weight ``w`` of ``i1`` (float64)."""
    if mode == 'bilinear':
        if align_corners:
            pos = numpy.linspace(0, in_size - 1, num=out_size)
        else:
            scale = in_size / out_size
            pos = (numpy.arange(out_size) + 0.5) * scale - 0.5
            pos = numpy.maximum(pos, 0)
        weight, base = numpy.modf(pos)
    else:
        scale = in_size / out_size if out_size else 0
        base = numpy.minimum(numpy.floor(numpy.arange(out_size) * scale),
                             in_size - 1)
        weight = numpy.zeros(out_size)
    i0 = base.astype(numpy.intp)
    i1 = numpy.minimum(i0 + 1, in_size - 1)
    return xp.asarray(i0), xp.asarray(i1), xp.asarray(weight)


def _corners(xp, in_hw, out_hw, mode, align_corners):
    """The (row index, column index, weight) of each sampled corner, each
    broadcastable to ``(out_H, out_W)``."""
    v0, v1, vw = _sampling(xp, out_hw[0], in_hw[0], mode, align_corners)
    u0, u1, uw = _sampling(xp, out_hw[1], in_hw[1], mode, align_corners)
    v0, v1, vw = v0[:, None], v1[:, None], vw[:, None]
    u0, u1, uw = u0[None, :], u1[None, :], uw[None, :]
    if mode == 'nearest':
        return [(v0, u0, None)]
    return [(v0, u0, (1 - vw) * (1 - uw)), (v0, u1, (1 - vw) * uw),
            (v1, u0, vw * (1 - uw)), (v1, u1, vw * uw)]


def _work_dtype(dtype):
    return numpy.float32 if dtype == numpy.float16 else dtype


class ResizeImages(FunctionNode):

    def __init__(self, output_shape, mode='bilinear', align_corners=True):
        shape = _u.require_int_tuple(self, 'output_shape', output_shape,
                                     allow_int=False)
        if len(shape) != 2 or min(shape) < 0:
            raise ValueError('{}: output_shape must be (out_H, out_W) with '
                             'non-negative ints, got {!r}'.format(
                                 self.label, output_shape))
        if mode not in _MODES:
            raise ValueError("{}: mode must be 'bilinear' or 'nearest', got "
                             "{!r}".format(self.label, mode))
        self.out_H, self.out_W = shape
        self.mode = mode
        self.align_corners = bool(align_corners)

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        x = in_data[0]
        _check.float_kind(self, 'x', x)
        _check.ndim_equal(self, 'x', x, 4)
        if x.shape[2] == 0 or x.shape[3] == 0:
            _check.fail(self, 'x.shape[2] > 0 and x.shape[3] > 0',
                        'x.shape == {}'.format(x.shape))

    def forward(self, inputs):
        x = inputs[0]
        xp = backend.get_array_module(x)
        work = x.astype(_work_dtype(x.dtype), copy=False)
        y = None
        for v, u, w in _corners(xp, x.shape[2:], (self.out_H, self.out_W),
                                self.mode, self.align_corners):
            part = work[:, :, v, u]
            if w is not None:
                part = part * w.astype(work.dtype)
            y = part if y is None else y + part
        return y.astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        return ResizeImagesGrad(self.inputs[0].shape, self).apply(
            grad_outputs)


class ResizeImagesGrad(FunctionNode):
    """Adjoint of the resampling: scatters each output gradient to the
    input pixels it was interpolated from, with the same weights."""

    def __init__(self, input_shape, resize):
        self.input_shape = input_shape
        self.out_H = resize.out_H
        self.out_W = resize.out_W
        self.mode = resize.mode
        self.align_corners = resize.align_corners

    def forward(self, inputs):
        gy = inputs[0]
        xp = backend.get_array_module(gy)
        b, c, h, w = self.input_shape
        out_hw = (self.out_H, self.out_W)
        planes = xp.arange(b * c, dtype=numpy.intp).reshape(b, c, 1, 1) * (
            h * w)
        indices = []
        weights = []
        for v, u, wt in _corners(xp, (h, w), out_hw, self.mode,
                                 self.align_corners):
            indices.append(xp.broadcast_to(planes + (v * w + u),
                                           gy.shape))
            weights.append(gy if wt is None else gy * wt)
        gx = _u.scatter_sum(xp.stack(weights), xp.stack(indices),
                            b * c * h * w, gy.dtype)
        return gx.reshape(self.input_shape),

    def backward(self, indexes, grad_outputs):
        return resize_images(grad_outputs[0], (self.out_H, self.out_W),
                             mode=self.mode,
                             align_corners=self.align_corners),


def resize_images(x, output_shape, *, mode='bilinear', align_corners=True):
    """Resizes images to ``output_shape`` (as Chainer v7).

    ``mode='bilinear'`` interpolates between the four nearest input pixels.
    With ``align_corners=True`` output pixel ``i`` samples input position
    ``i * (h - 1) / (h_O - 1)`` (the corners coincide); with False it
    samples ``max((i + 0.5) * h / h_O - 0.5, 0)`` (as OpenCV).
    ``mode='nearest'`` takes input pixel ``min(floor(i * h / h_O), h - 1)``
    (``align_corners`` is ignored). Columns likewise.

    Args:
        x: Variable or array of shape ``(n, c, h, w)``, float.
        output_shape (tuple): ``(h_O, w_O)`` (height first).
        mode (str): ``'bilinear'`` or ``'nearest'``.
        align_corners (bool): see above.
    Returns:
        Variable of shape ``(n, c, h_O, w_O)`` and ``x``'s dtype.
    """
    return ResizeImages(output_shape, mode, align_corners).apply((x,))[0]
