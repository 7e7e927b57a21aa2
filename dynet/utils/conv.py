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


def im2col(x, ksize, stride, pad, pad_value=0, cover_all=False,
           dilate=1):
    """Patches of ``x`` (N, C, *spatial) as a strided view.

    Returns an array of shape (N, C, *ksize, *outsize) where
    ``col[n, c, *k, *o] = padded_x[n, c, *(o * stride + k * dilate)]``.
    """
    xp = backend.get_array_module(x)
    ndim = x.ndim - 2
    ksize = _as_tuple(ksize, ndim, 'ksize')
    stride = _as_tuple(stride, ndim, 'stride')
    pad = _as_tuple(pad, ndim, 'pad')
    dilate = _as_tuple(dilate, ndim, 'dilate')
    outs = tuple(get_conv_outsize(size, k, s, p, cover_all, d)
                 for size, k, s, p, d in zip(x.shape[2:], ksize, stride,
                                             pad, dilate))
    if any(o <= 0 for o in outs):
        raise ValueError(
            'im2col: the output would be empty: input size {}, kernel {}, '
            'stride {}, pad {}, dilate {} give output size {}'.format(
                x.shape[2:], ksize, stride, pad, dilate, outs))
    # Extra padding at the end so that the last window fits (cover_all).
    widths = [(0, 0), (0, 0)]
    for size, k, s, p, d, o in zip(x.shape[2:], ksize, stride, pad, dilate,
                                   outs):
        needed = (o - 1) * s + (k - 1) * d + 1
        widths.append((p, max(needed - size - p, p)))
    if any(w != (0, 0) for w in widths):
        padded = xp.pad(x, widths, mode='constant',
                        constant_values=pad_value)
    else:
        padded = x
    strides = padded.strides
    view_shape = x.shape[:2] + ksize + outs
    view_strides = strides[:2] + tuple(
        st * d for st, d in zip(strides[2:], dilate)) + tuple(
        st * s for st, s in zip(strides[2:], stride))
    return xp.lib.stride_tricks.as_strided(padded, view_shape, view_strides)


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
