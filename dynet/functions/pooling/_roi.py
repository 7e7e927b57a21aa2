"""Shared pieces of the ROI (region of interest) pooling functions.

The geometry of every ROI (bin edges, sampling points, bilinear taps) is
computed on the host in float64 from a host copy of ``rois``, as Chainer's
NumPy code does; only the pooled values and the arrays the gradient needs
live on ``x``'s device.

The gradients are written as two pairs of linear FunctionNodes, each the
adjoint of the other, so that double backpropagation works:

- ``TapScatter``/``TapGather``: every output element has a few taps (a flat
  index into ``x`` and a weight); the max-type functions record the taps
  of the element (or sample) that won.
- ``SeparableROIGrad``/``SeparableROI``: ``y_r = A_r x[n_r] B_r^T`` with a
  (outh, H) matrix ``A_r`` and a (outw, W) matrix ``B_r`` per ROI; every
  average-type function is of this form.
"""
import math
import numbers

import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


# ------------------------------------------------------------ arguments
def _as_pair(name, arg, value):
    if isinstance(value, str):
        raise TypeError('{}: {} must be an int or a pair of ints, got {!r}'
                        .format(name, arg, value))
    try:
        items = tuple(value)
    except TypeError:
        return value, value
    if len(items) != 2:
        raise ValueError('{}: {} must be an int or a pair of ints, got {!r}'
                         .format(name, arg, value))
    return items


def check_outsize(name, outsize):
    """``outsize`` (an int or a pair) as two positive Python ints."""
    pair = _as_pair(name, 'outsize', outsize)
    for i, v in enumerate(pair):
        if not (isinstance(v, numbers.Integral) and v > 0):
            raise TypeError('{}: outsize[{}] must be a positive integer, got '
                            '{!r}'.format(name, i, v))
    return int(pair[0]), int(pair[1])


def check_spatial_scale(name, spatial_scale):
    if isinstance(spatial_scale, numbers.Integral):
        spatial_scale = float(spatial_scale)
    if not (isinstance(spatial_scale, numbers.Real) and spatial_scale > 0):
        raise TypeError('{}: spatial_scale must be a positive float, got {!r}'
                        .format(name, spatial_scale))
    return float(spatial_scale)


def check_sampling_ratio(name, sampling_ratio):
    pair = _as_pair(name, 'sampling_ratio', sampling_ratio)
    for v in pair:
        if not (v is None or (isinstance(v, numbers.Integral) and v >= 1)):
            raise TypeError('{}: sampling_ratio must be None, an integer >= 1 '
                            'or a pair of them, got {!r}'.format(
                                name, sampling_ratio))
    return tuple(None if v is None else int(v) for v in pair)


def check_inputs(func, in_data, roi_width):
    """Type checks of (x, rois[, roi_indices])."""
    with_indices = roi_width == 4
    _check.count(func, in_data, 3 if with_indices else 2)
    x, rois = in_data[0], in_data[1]
    _check.float_kind(func, 'x', x)
    _check.ndim_equal(func, 'x', x, 4)
    _check.same_dtype(func, ('x', 'rois'), (x, rois))
    _check.ndim_equal(func, 'rois', rois, 2)
    if rois.shape[1] != roi_width:
        _check.fail(func, 'rois.shape[1] == {}'.format(roi_width),
                    'rois.shape[1] == {}'.format(rois.shape[1]))
    if with_indices:
        indices = in_data[2]
        if indices.dtype != numpy.int32:
            _check.fail(func, 'roi_indices.dtype == int32',
                        'roi_indices.dtype == {}'.format(indices.dtype))
        _check.ndim_equal(func, 'roi_indices', indices, 1)
        if indices.shape[0] != rois.shape[0]:
            _check.fail(func, 'rois.shape[0] == roi_indices.shape[0]',
                        '{} != {}'.format(rois.shape[0], indices.shape[0]))


def to_host(array):
    return backend.CpuDevice().send_array(array)


def host_batch_indices(func, indices, batch):
    """``indices`` on the host as int64, each checked to be in [0, batch)."""
    indices = numpy.asarray(to_host(indices)).astype(numpy.int64)
    if indices.size and (indices.min() < 0 or indices.max() >= batch):
        raise IndexError(
            '{}: every ROI batch index must be in [0, {}) (x.shape[0] == {}),'
            ' got indices from {} to {}'.format(
                func.label, batch, batch, indices.min(), indices.max()))
    return indices


# ------------------------------------------------------ quantized pooling
def quantized_bins(start, end, scale, out, limit, extra):
    """Integer bin edges along one axis, rounded as Fast R-CNN does.

    The ROI ``[round(start * scale), round(end * scale)]`` (NumPy's
    round-half-to-even, as Chainer's NumPy code) of length
    ``max(end - start + extra, 1)`` is cut into ``out`` bins
    ``[floor(i * L / out), ceil((i + 1) * L / out))`` shifted by the start
    and clipped to ``[0, limit]``.

    Returns:
        lo, hi: (R, out) int64; a bin is empty where ``hi <= lo``.
    """
    s = numpy.rint(start * scale)
    e = numpy.rint(end * scale)
    stride = numpy.maximum(e - s + extra, 1) / out
    k = numpy.arange(out, dtype=numpy.float64)
    lo = numpy.floor(k * stride[:, None]) + s[:, None]
    hi = numpy.ceil((k + 1) * stride[:, None]) + s[:, None]
    return (numpy.clip(lo, 0, limit).astype(numpy.int64),
            numpy.clip(hi, 0, limit).astype(numpy.int64))


def _compute_dtype(dtype):
    return numpy.dtype(numpy.float32) if dtype == numpy.float16 else dtype


def quantized_max(x, batch, hlo, hhi, wlo, whi, empty_value):
    """Max of ``x`` over every bin of every ROI.

    Each bin is reduced over its columns first and then over its rows, so
    that ties go to the first element in row-major order (as NumPy's argmax
    over the flattened bin, which Chainer uses).

    Returns:
        y: (R, C, outh, outw), ``empty_value`` in empty bins.
        index: (R, C, outh, outw, 1) int64 flat index into ``x`` of the max.
        weight: (R, C, outh, outw, 1) float64, 1 or 0 for empty bins.
    """
    xp = backend.get_array_module(x)
    _, C, H, W = x.shape
    R, outh = hlo.shape
    outw = wlo.shape[1]
    y = xp.zeros((R, C, outh, outw), x.dtype)
    index = xp.zeros((R, C, outh, outw), numpy.int64)
    channel = xp.arange(C, dtype=numpy.int64)[:, None]
    rows_ok = hhi > hlo
    cols_ok = whi > wlo
    for r in range(R):
        rows = numpy.flatnonzero(rows_ok[r])
        cols = numpy.flatnonzero(cols_ok[r])
        if rows.size == 0 or cols.size == 0:
            continue
        n = int(batch[r])
        h0 = int(hlo[r, rows].min())
        h1 = int(hhi[r, rows].max())
        band = x[n, :, h0:h1]
        # Stage 1: the max of each column bin, on every row of the band.
        m1 = xp.zeros((C, h1 - h0, outw), x.dtype)
        a1 = xp.zeros((C, h1 - h0, outw), numpy.int64)
        for q in cols:
            lo, hi = int(wlo[r, q]), int(whi[r, q])
            seg = band[:, :, lo:hi]
            k = seg.argmax(axis=2)
            a1[:, :, q] = k + lo
            m1[:, :, q] = xp.take_along_axis(seg, k[:, :, None], axis=2)[
                :, :, 0]
        # Stage 2: the max over the rows of each row bin.
        for p in rows:
            lo, hi = int(hlo[r, p]) - h0, int(hhi[r, p]) - h0
            seg = m1[:, lo:hi]
            k = seg.argmax(axis=1)[:, None]
            y[r, :, p] = xp.take_along_axis(seg, k, axis=1)[:, 0]
            col = xp.take_along_axis(a1[:, lo:hi], k, axis=1)[:, 0]
            index[r, :, p] = ((n * C + channel) * H + (k[:, 0] + lo + h0)) \
                * W + col
    empty = xp.asarray(~(rows_ok[:, :, None] & cols_ok[:, None, :]))[:, None]
    y = xp.where(empty, y.dtype.type(empty_value), y)
    index = xp.where(empty, 0, index)
    weight = xp.where(empty, 0.0, 1.0)
    weight = xp.broadcast_to(weight, index.shape)
    return y, index[..., None], xp.ascontiguousarray(weight)[..., None]


def quantized_average(x, batch, hlo, hhi, wlo, whi):
    """Average of ``x`` over every bin of every ROI (0 in empty bins).

    Returns:
        y: (R, C, outh, outw).
        a, b: (R, outh, H) and (R, outw, W) float64 host matrices with
            ``y_r = a_r x[n_r] b_r^T`` (for the gradient).
    """
    xp = backend.get_array_module(x)
    _, C, H, W = x.shape
    R, outh = hlo.shape
    outw = wlo.shape[1]
    cdt = _compute_dtype(x.dtype)
    y = xp.zeros((R, C, outh, outw), cdt)
    len_h = hhi - hlo
    len_w = whi - wlo
    inv_h = numpy.where(len_h > 0, 1.0 / numpy.maximum(len_h, 1), 0.0)
    inv_w = numpy.where(len_w > 0, 1.0 / numpy.maximum(len_w, 1), 0.0)
    for r in range(R):
        rows = numpy.flatnonzero(len_h[r] > 0)
        cols = numpy.flatnonzero(len_w[r] > 0)
        if rows.size == 0 or cols.size == 0:
            continue
        n = int(batch[r])
        h0 = int(hlo[r, rows].min())
        h1 = int(hhi[r, rows].max())
        band = x[n, :, h0:h1].astype(cdt, copy=False)
        s1 = xp.zeros((C, h1 - h0, outw), cdt)
        for q in cols:
            s1[:, :, q] = band[:, :, wlo[r, q]:whi[r, q]].sum(axis=2)
        for p in rows:
            y[r, :, p] = s1[:, hlo[r, p] - h0:hhi[r, p] - h0].sum(axis=1)
    factor = inv_h[:, None, :, None] * inv_w[:, None, None, :]
    y = (y * xp.asarray(factor.astype(cdt))).astype(x.dtype, copy=False)
    hh = numpy.arange(H)
    ww = numpy.arange(W)
    a = ((hh >= hlo[..., None]) & (hh < hhi[..., None])) * inv_h[..., None]
    b = ((ww >= wlo[..., None]) & (ww < whi[..., None])) * inv_w[..., None]
    return y, a, b


# ------------------------------------------------------------ ROI align
def align_axis(start, end, scale, out, ratio, limit):
    """Sampling points of one ROI along one axis and their bilinear taps.

    As Chainer's ROI align: the ROI ``[start * scale, end * scale]`` has
    length ``L = max(end - start, 1)`` (after scaling), bin size
    ``L / out``, ``g = ratio or ceil(L / out)`` samples per bin at
    ``start + i * bin + (j + .5) * bin / g``. A sample outside
    ``[-1, limit]`` is invalid; a valid one is clamped into
    ``[0, limit - 1]`` and interpolated between its two neighbours; taps
    with zero weight or outside the image are dropped (weight 0).

    Returns:
        g (int); valid: (out * g,) bool; index: (out * g, 2) int64 (low and
        high neighbour, clipped into the image); weight: (out * g, 2)
        float64 (0 for dropped taps).
    """
    start = float(start) * scale
    end = float(end) * scale
    length = max(end - start, 1.0)
    bin_size = length / out
    g = ratio if ratio is not None else int(math.ceil(length / out))
    i = numpy.arange(out, dtype=numpy.float64)[:, None]
    j = numpy.arange(g, dtype=numpy.float64)[None, :]
    pos = ((start + i * bin_size) + (j + .5) * bin_size / g).ravel()
    valid = (pos >= -1) & (pos <= limit)
    low = numpy.floor(pos)
    low = numpy.where(low == limit, limit - 1, low)
    high = low + 1
    pos = numpy.where(low <= -1, 0.0,
                      numpy.where(high >= limit, limit - 1.0, pos))
    w_low = high - pos
    w_high = pos - low
    keep_low = valid & (w_low > 0) & (low >= 0)
    keep_high = valid & (w_high > 0) & (high <= limit - 1)
    index = numpy.stack([low, high], axis=-1)
    index = numpy.clip(index, 0, max(limit - 1, 0)).astype(numpy.int64)
    weight = numpy.stack([numpy.where(keep_low, w_low, 0.0),
                          numpy.where(keep_high, w_high, 0.0)], axis=-1)
    return g, valid, index, weight


def align_samples(img, y_index, y_weight, x_index, x_weight):
    """Bilinear samples (C, P, Q) in float64 of ``img`` (C, H, W) at the
    P x Q grid of sampling points; zero-weight taps are skipped (so an
    infinite pixel next to a sample does not turn it into NaN)."""
    xp = backend.get_array_module(img)
    C = img.shape[0]
    P, Q = y_index.shape[0], x_index.shape[0]
    total = xp.zeros((C, P, Q), numpy.float64)
    for a in range(2):
        rows = xp.asarray(y_index[:, a])[:, None]
        for b in range(2):
            w = y_weight[:, a][:, None] * x_weight[:, b][None, :]
            if not (w > 0).any():
                continue
            cols = xp.asarray(x_index[:, b])[None, :]
            values = img[:, rows, cols].astype(numpy.float64)
            w = xp.asarray(w)
            total += xp.where(w > 0, w * values, 0.0)
    return total


def separable_weights(index, weight, out, g, limit):
    """The (out, limit) matrix that averages the bilinear taps of the g
    samples of each bin along one axis."""
    a = numpy.zeros((out, limit), numpy.float64)
    rows = numpy.repeat(numpy.arange(out), g)[:, None]
    numpy.add.at(a, (numpy.broadcast_to(rows, index.shape), index),
                 weight / g)
    return a


# ------------------------------------------------------ gradient nodes
class TapScatter(FunctionNode):
    """``gx.flat[index[..., t]] += gy[...] * weight[..., t]`` (the gradient
    of a gather with fixed taps)."""

    def __init__(self, index, weight, x_shape):
        self.index = index
        self.weight = weight
        self.x_shape = tuple(x_shape)

    def forward(self, inputs):
        gy = inputs[0]
        xp = backend.get_array_module(gy)
        size = 1
        for n in self.x_shape:
            size *= n
        w = gy[..., None].astype(numpy.float64) * self.weight
        gx = xp.bincount(self.index.ravel(), weights=w.ravel(),
                         minlength=size)
        return gx.reshape(self.x_shape).astype(gy.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        return TapGather(self.index, self.weight).apply(grad_outputs)


class TapGather(FunctionNode):
    """``y[...] = sum_t weight[..., t] * x.flat[index[..., t]]`` (the
    adjoint of ``TapScatter``)."""

    def __init__(self, index, weight):
        self.index = index
        self.weight = weight

    def forward(self, inputs):
        x = inputs[0]
        xp = backend.get_array_module(x)
        values = x.ravel()[self.index].astype(numpy.float64)
        y = xp.where(self.weight > 0, self.weight * values, 0.0).sum(axis=-1)
        return y.astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        return TapScatter(self.index, self.weight,
                          self.inputs[0].shape).apply(grad_outputs)


def _groups(batch):
    """(image, host positions of its ROIs) for every image used."""
    for n in numpy.unique(batch):
        yield int(n), numpy.flatnonzero(batch == n)


class SeparableROIGrad(FunctionNode):
    """``gx[n] = sum_{r: n_r = n} a_r^T gy_r b_r``: the gradient of every
    average-type ROI function (``a``: (R, outh, H), ``b``: (R, outw, W),
    host float64)."""

    def __init__(self, a, b, batch, x_shape):
        self.a = a
        self.b = b
        self.batch = batch
        self.x_shape = tuple(x_shape)

    def forward(self, inputs):
        gy = inputs[0]
        xp = backend.get_array_module(gy)
        cdt = _compute_dtype(gy.dtype)
        _, C, H, W = self.x_shape
        outw = gy.shape[3]
        gx = xp.zeros(self.x_shape, cdt)
        for n, sel in _groups(self.batch):
            a = xp.asarray(self.a[sel].astype(cdt))
            b = xp.asarray(self.b[sel].astype(cdt))
            g = gy[xp.asarray(sel)].astype(cdt, copy=False)
            # t[r, c, h, q] = sum_p a[r, p, h] g[r, c, p, q]
            t = xp.matmul(a.transpose(0, 2, 1)[:, None], g)
            # gx[c, h, w] = sum_{r, q} t[r, c, h, q] b[r, q, w]
            t = t.transpose(1, 2, 0, 3).reshape(C * H, len(sel) * outw)
            gx[n] += xp.matmul(t, b.reshape(len(sel) * outw, W)).reshape(
                C, H, W)
        return gx.astype(gy.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        return SeparableROI(self.a, self.b, self.batch).apply(grad_outputs)


class SeparableROI(FunctionNode):
    """``y_r = a_r x[n_r] b_r^T`` for every ROI r (the adjoint of
    ``SeparableROIGrad``)."""

    def __init__(self, a, b, batch):
        self.a = a
        self.b = b
        self.batch = batch

    def forward(self, inputs):
        x = inputs[0]
        xp = backend.get_array_module(x)
        cdt = _compute_dtype(x.dtype)
        _, C, H, W = x.shape
        R, outh = self.a.shape[:2]
        outw = self.b.shape[1]
        y = xp.zeros((R, C, outh, outw), cdt)
        for n, sel in _groups(self.batch):
            a = xp.asarray(self.a[sel].astype(cdt))
            b = xp.asarray(self.b[sel].astype(cdt))
            img = x[n].astype(cdt, copy=False).reshape(C * H, W)
            u = xp.matmul(img, b.reshape(len(sel) * outw, W).T)
            u = u.reshape(C, H, len(sel), outw).transpose(2, 0, 1, 3)
            y[xp.asarray(sel)] = xp.matmul(a[:, None], u)
        return y.astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        return SeparableROIGrad(self.a, self.b, self.batch,
                                self.inputs[0].shape).apply(grad_outputs)
