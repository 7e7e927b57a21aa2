"""Helpers of convolution and pooling: output sizes, im2col and col2im.

Everything works for any number of spatial dimensions and on NumPy and
CuPy arrays alike. ``im2col`` returns a strided view of the padded input
(no Python loop, no copy beyond the padding); ``col2im`` adds patches back
with one vectorized addition per kernel position.
"""
import itertools

from dynet import backend


def get_conv_outsize(size, k, s, p, cover_all=False, d=1):
    """Output length of a convolution along one axis.

    Args:
        size: input length; k: kernel length; s: stride; p: padding;
        cover_all: make the output cover every input element (adds up to
            ``s - 1`` extra padding at the end); d: dilation.
    """
    dk = k + (k - 1) * (d - 1)
    if cover_all:
        return (size + p * 2 - dk + s - 1) // s + 1
    return (size + p * 2 - dk) // s + 1


def get_deconv_outsize(size, k, s, p, cover_all=False, d=1):
    """Output length of a transposed convolution along one axis."""
    dk = k + (k - 1) * (d - 1)
    if cover_all:
        return s * (size - 1) + dk - s + 1 - 2 * p
    return s * (size - 1) + dk - 2 * p


def _as_tuple(value, ndim, name):
    if isinstance(value, int):
        return (value,) * ndim
    value = tuple(value)
    if len(value) != ndim:
        raise ValueError('{} must be an int or a tuple of {} ints, got {!r}'
                         .format(name, ndim, value))
    return value


def as_tuple(value, ndim, name='argument'):
    """``value`` as an ``ndim``-tuple (an int is repeated)."""
    return _as_tuple(value, ndim, name)


def _window_layout(spatial, ksize, stride, pad, dilate, cover_all):
    """Output size and per-axis (before, after) padding of the windows
    over an image of size ``spatial`` (the extra end rows are for
    ``cover_all``)."""
    ndim = len(spatial)
    ksize = _as_tuple(ksize, ndim, 'ksize')
    stride = _as_tuple(stride, ndim, 'stride')
    pad = _as_tuple(pad, ndim, 'pad')
    dilate = _as_tuple(dilate, ndim, 'dilate')
    outs = tuple(get_conv_outsize(size, k, s, p, cover_all, d)
                 for size, k, s, p, d in zip(spatial, ksize, stride, pad,
                                             dilate))
    if any(o <= 0 for o in outs):
        raise ValueError(
            'im2col: the output would be empty: input size {}, kernel {}, '
            'stride {}, pad {}, dilate {} give output size {}'.format(
                tuple(spatial), ksize, stride, pad, dilate, outs))
    widths = []
    for size, k, s, p, d, o in zip(spatial, ksize, stride, pad, dilate,
                                   outs):
        needed = (o - 1) * s + (k - 1) * d + 1
        widths.append((p, max(needed - size - p, p)))
    return ksize, stride, dilate, outs, widths


def _padded(x, widths, pad_value):
    """A new C-contiguous copy of ``x`` padded by ``widths`` (one
    (before, after) pair per axis) with ``pad_value``: the interior is
    copied once and only the border slabs are filled (``numpy.pad`` is
    several times slower on small arrays)."""
    xp = backend.get_array_module(x)
    shape = tuple(n + lo + hi for n, (lo, hi) in zip(x.shape, widths))
    out = xp.empty(shape, dtype=x.dtype)
    out[tuple(slice(lo, lo + n) for n, (lo, _) in zip(x.shape, widths))] = x
    everything = (slice(None),) * x.ndim
    for axis, (lo, hi) in enumerate(widths):
        if lo:
            out[everything[:axis] + (slice(0, lo),)] = pad_value
        if hi:
            out[everything[:axis] + (slice(shape[axis] - hi, None),)] = \
                pad_value
    return out


def _window_view(padded, channel_shape, ksize, stride, dilate, outs,
                 spatial_axis, tail):
    """The windows of ``padded`` as a strided view: leading axes
    ``channel_shape``, then the kernel taps, the output positions and the
    trailing axes ``tail`` (lengths); the spatial axes of ``padded`` start
    at ``spatial_axis``."""
    xp = backend.get_array_module(padded)
    ndim = len(ksize)
    strides = padded.strides
    spatial = strides[spatial_axis:spatial_axis + ndim]
    lead = strides[:len(channel_shape)]
    trail = strides[len(strides) - len(tail):] if tail else ()
    view_strides = lead + tuple(st * d for st, d in zip(spatial, dilate)) + \
        tuple(st * s for st, s in zip(spatial, stride)) + trail
    return xp.lib.stride_tricks.as_strided(
        padded, tuple(channel_shape) + ksize + outs + tuple(tail),
        view_strides)


def im2col(x, ksize, stride, pad, pad_value=0, cover_all=False,
           dilate=1):
    """Patches of ``x`` (N, C, *spatial) as a strided view.

    Returns an array of shape (N, C, *ksize, *outsize) where
    ``col[n, c, *k, *o] = padded_x[n, c, *(o * stride + k * dilate)]``.
    """
    ksize, stride, dilate, outs, widths = _window_layout(
        x.shape[2:], ksize, stride, pad, dilate, cover_all)
    if any(w != (0, 0) for w in widths):
        padded = _padded(x, [(0, 0), (0, 0)] + widths, pad_value)
    else:
        padded = x
    return _window_view(padded, x.shape[:2], ksize, stride, dilate, outs,
                        2, ())


def im2col_batch_last(x, ksize, stride, pad, pad_value=0, cover_all=False,
                      dilate=1):
    """Patches of ``x`` (N, C, *spatial) as a strided view of shape
    (C, *ksize, *outsize, N): ``im2col`` with the batch axis moved last.

    The view reads a padded copy of ``x`` with the batch axis innermost,
    so a copy of it runs along ``N`` (or, at stride 1, ``out_w * N``)
    contiguous elements instead of ``out_w``: several times faster to
    copy when the output is small (8x8 and below).
    """
    ksize, stride, dilate, outs, widths = _window_layout(
        x.shape[2:], ksize, stride, pad, dilate, cover_all)
    xp = backend.get_array_module(x)
    batch_last = xp.moveaxis(x, 0, -1)
    padded = _padded(batch_last, [(0, 0)] + widths + [(0, 0)], pad_value)
    return _window_view(padded, x.shape[1:2], ksize, stride, dilate, outs,
                        1, x.shape[:1])


def window_regions(ksize, stride, outs, dilate=1):
    """For each kernel offset, in C order: ``(offsets, region)`` where
    ``region`` slices the padded image at the elements that offset reads
    for the outputs ``outs`` (the places ``im2col`` takes it from)."""
    ndim = len(ksize)
    stride = _as_tuple(stride, ndim, 'stride')
    dilate = _as_tuple(dilate, ndim, 'dilate')
    for offsets in itertools.product(*[range(k) for k in ksize]):
        yield offsets, tuple(
            slice(i * d, i * d + s * (o - 1) + 1, s)
            for i, d, s, o in zip(offsets, dilate, stride, outs))


def padded_size(size, ksize, stride, pad, outs, dilate=1):
    """The size of the padded image that ``im2col`` reads (the padding,
    plus the extra end rows that ``cover_all`` needs)."""
    ndim = len(size)
    stride = _as_tuple(stride, ndim, 'stride')
    pad = _as_tuple(pad, ndim, 'pad')
    dilate = _as_tuple(dilate, ndim, 'dilate')
    return tuple(
        max(sz + 2 * p, (o - 1) * s + (k - 1) * d + 1)
        for sz, p, o, s, k, d in zip(size, pad, outs, stride, ksize,
                                     dilate))


def col2im(col, stride, pad, size, dilate=1):
    """Adjoint of ``im2col``: sums patches back into an image.

    Args:
        col: array of shape (N, C, *ksize, *outsize).
        stride, pad, dilate: as given to ``im2col``.
        size: the spatial size of the image to rebuild.
    Returns:
        Array of shape (N, C, *size).
    """
    xp = backend.get_array_module(col)
    ndim = (col.ndim - 2) // 2
    stride = _as_tuple(stride, ndim, 'stride')
    pad = _as_tuple(pad, ndim, 'pad')
    dilate = _as_tuple(dilate, ndim, 'dilate')
    size = _as_tuple(size, ndim, 'size')
    ksize = col.shape[2:2 + ndim]
    outs = col.shape[2 + ndim:]
    img = xp.zeros(col.shape[:2] + padded_size(size, ksize, stride, pad,
                                               outs, dilate),
                   dtype=col.dtype)
    everything = (slice(None), slice(None))
    for offsets, region in window_regions(ksize, stride, outs, dilate):
        img[everything + region] += col[everything + offsets]
    crop = tuple(slice(p, p + sz) for p, sz in zip(pad, size))
    return img[(slice(None), slice(None)) + crop]
