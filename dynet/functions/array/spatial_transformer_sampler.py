"""Bilinear image sampler of a 2-D spatial transformer."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.array.spatial_transformer_grid import _check_kwargs


class _Corners:
    """Bilinear interpolation data of the points of ``grid`` in the image
    of size (h, w) zero-padded by one pixel on each side.

    Attributes (P = h_O * w_O, all of shape (B, P)):
        u, v: the points in padded pixel coordinates (not clipped);
        idx: flat indices into the padded image of the corners
            (v0, u0), (v0, u1), (v1, u0), (v1, u1);
        wu0, wu1, wv0, wv1: ``u - u0``, ``u1 - u``, ``v - v0``, ``v1 - v``
            with ``u``, ``v`` clipped to the padded image.
    """

    def __init__(self, grid, h, w):
        xp = backend.get_array_module(grid)
        b = grid.shape[0]
        dtype = numpy.promote_types(grid.dtype, numpy.float32)
        grid = grid.reshape(b, 2, grid.shape[2] * grid.shape[3]).astype(
            dtype, copy=False)
        # [-1, 1] -> [0, size - 1], then + 1 for the padding.
        self.u = (grid[:, 0] + 1) * ((w - 1) / 2) + 1
        self.v = (grid[:, 1] + 1) * ((h - 1) / 2) + 1
        u = xp.clip(self.u, 0, w + 1)
        v = xp.clip(self.v, 0, h + 1)
        u0 = xp.clip(xp.floor(u), 0, w)
        v0 = xp.clip(xp.floor(v), 0, h)
        self.wu0 = u - u0
        self.wu1 = u0 + 1 - u
        self.wv0 = v - v0
        self.wv1 = v0 + 1 - v
        u0 = u0.astype(numpy.intp)
        v0 = v0.astype(numpy.intp)
        row = w + 2
        top = v0 * row + u0
        self.idx = (top, top + 1, top + row, top + row + 1)

    def weights(self):
        """Interpolation weights of the four corners."""
        return (self.wu1 * self.wv1, self.wu0 * self.wv1,
                self.wu1 * self.wv0, self.wu0 * self.wv0)


def _padded_flat(x):
    xp = backend.get_array_module(x)
    b, c, h, w = x.shape
    padded = xp.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), mode='constant')
    return padded.reshape(b, c, (h + 2) * (w + 2))


def _gather(flat, idx):
    """flat (B, C, S), idx (B, P) -> (B, C, P)."""
    xp = backend.get_array_module(flat)
    batch = xp.arange(flat.shape[0])[:, None]
    return flat[batch, :, idx].transpose(0, 2, 1)  # (B, P, C) -> (B, C, P)


class SpatialTransformerSampler(FunctionNode):
    """(x (B, C, H, W), grid (B, 2, h_O, w_O)) -> (B, C, h_O, w_O)."""

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        x, grid = in_data
        _check.float_kind(self, 'x', x)
        _check.same_dtype(self, ('x', 'grid'), in_data)
        _check.ndim_equal(self, 'x', x, 4)
        _check.ndim_equal(self, 'grid', grid, 4)
        if grid.shape[1] != 2:
            _check.fail(self, 'grid.shape[1] == 2',
                        'grid.shape == {}'.format(grid.shape))
        if x.shape[0] != grid.shape[0]:
            _check.fail(self, 'x.shape[0] == grid.shape[0]',
                        '{} != {}'.format(x.shape[0], grid.shape[0]))

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, grid = inputs
        xp = backend.get_array_module(x)
        b, c, h, w = x.shape
        corners = _Corners(grid, h, w)
        flat = _padded_flat(x)
        y = None
        for idx, weight in zip(corners.idx, corners.weights()):
            term = _gather(flat, idx) * weight[:, None, :]
            y = term if y is None else y + term
        y = y.reshape((b, c) + grid.shape[2:])
        return xp.ascontiguousarray(y.astype(x.dtype, copy=False)),

    def backward(self, indexes, grad_outputs):
        x, grid = self.get_retained_inputs()
        gx, ggrid = SpatialTransformerSamplerGrad().apply(
            (x, grid, grad_outputs[0]))
        return tuple((gx, ggrid)[i] for i in indexes)


class SpatialTransformerSamplerGrad(FunctionNode):
    """(x, grid, gy) -> (gx, ggrid). Not differentiable again (as in
    Chainer, whose sampler does not support double backprop)."""

    def forward(self, inputs):
        x, grid, gy = inputs
        xp = backend.get_array_module(x)
        b, c, h, w = x.shape
        p = grid.shape[2] * grid.shape[3]
        corners = _Corners(grid, h, w)
        gy = gy.reshape(b, c, p)

        # gx: scatter every corner's weighted output gradient.
        size = (h + 2) * (w + 2)
        base = (xp.arange(b * c, dtype=numpy.intp) * size).reshape(b, c, 1)
        flat_index = []
        values = []
        for idx, weight in zip(corners.idx, corners.weights()):
            flat_index.append((base + idx[:, None, :]).ravel())
            values.append((gy * weight[:, None, :]).ravel())
        if b * c * p:
            gx = xp.bincount(xp.concatenate(flat_index),
                             weights=xp.concatenate(values).astype(
                                 numpy.float64),
                             minlength=b * c * size)
        else:
            gx = xp.zeros(b * c * size)
        gx = gx.reshape(b, c, h + 2, w + 2)[:, :, 1:-1, 1:-1]
        gx = xp.ascontiguousarray(gx.astype(x.dtype))

        # ggrid: derivative of the interpolation along u and v.
        flat = _padded_flat(x)
        x00, x01, x10, x11 = [_gather(flat, idx) for idx in corners.idx]
        wu0, wu1 = corners.wu0[:, None], corners.wu1[:, None]
        wv0, wv1 = corners.wv0[:, None], corners.wv1[:, None]
        gu = ((x01 - x00) * wv1 + (x11 - x10) * wv0) * gy
        gv = ((x10 - x00) * wu1 + (x11 - x01) * wu0) * gy
        gu = gu.sum(axis=1) * ((w - 1) / 2)
        gv = gv.sum(axis=1) * ((h - 1) / 2)
        # No gradient where the point left the padded image.
        gu *= (corners.u > 0) & (corners.u < w + 1)
        gv *= (corners.v > 0) & (corners.v < h + 1)
        ggrid = xp.stack([gu, gv], axis=1).reshape(grid.shape)
        return gx, ggrid.astype(grid.dtype, copy=False)

    def backward(self, indexes, grad_outputs):
        raise RuntimeError(
            'spatial_transformer_sampler does not support double '
            'backpropagation (neither does Chainer)')


def spatial_transformer_sampler(x, grid, **kwargs):
    """2-D spatial transformer sampler (Jaderberg et al., Spatial
    Transformer Networks): bilinear sampling of ``x`` at the points of
    ``grid``.

    A point ``(u, v)`` of ``grid`` in normalized coordinates (``(-1, -1)``
    is the centre of the upper-left pixel, ``(1, 1)`` that of the
    lower-right one) is read at pixel position ``((u + 1)(w - 1) / 2,
    (v + 1)(h - 1) / 2)`` of ``x`` by bilinear interpolation of its four
    neighbouring pixels; pixels outside the image are zero.

    Args:
        x (Variable or array): input (n, c_I, h, w), float.
        grid (Variable or array): points (n, 2, h_O, w_O) of ``x``'s dtype;
            ``grid[:, 0]`` is the horizontal and ``grid[:, 1]`` the vertical
            coordinate (e.g. from ``spatial_transformer_grid``).
    Returns:
        Variable (n, c_I, h_O, w_O). Gradients reach ``x`` and ``grid``
        (zero for ``grid`` where the point lies a pixel or more outside
        the image); double backprop is not supported.
    """
    _check_kwargs('spatial_transformer_sampler', kwargs)
    return SpatialTransformerSampler().apply((x, grid))[0]
