"""Caffe's 2-D max and average pooling, built from dynet functions.

Caffe's rules differ from Chainer's pooling functions in three ways:

- the output size is rounded up by default (``round_mode: CEIL``):
  ``pooled = ceil((H + 2 * pad - k) / stride) + 1``, and when there is
  padding a last window that would start at or beyond ``H + pad`` is
  dropped;
- a max window only looks at real elements (never at the padding);
- an average window sums real elements and divides by the size of the
  window clipped to the padded input ``[-pad, H + pad)``, so padding
  counts in the divisor, but the extra row or column that ceil rounding
  adds beyond the padding does not.
"""
from dynet import backend
from dynet.functions.array.get_item import get_item
from dynet.functions.array.pad import pad as pad_array
from dynet.functions.pooling.average_pooling_nd import average_pooling_2d
from dynet.functions.pooling.max_pooling_nd import max_pooling_2d


def pooled_size(size, k, s, p, ceil_mode, padded):
    """Caffe's pooled length along one axis; ``padded`` is whether any of
    the layer's pads is non-zero (Caffe tests both axes together)."""
    span = size + 2 * p - k
    if span < 0:
        raise ValueError(
            'the pooling window ({}) is larger than the padded input '
            '({} + 2 * {})'.format(k, size, p))
    if ceil_mode:
        out = -(-span // s) + 1
    else:
        out = span // s + 1
    if padded and (out - 1) * s >= size + p:
        out -= 1
    return out


def _window_sizes(size, k, s, p, out):
    """Caffe's divisor along one axis: each window clipped to the padded
    input."""
    return [min(i * s - p + k, size + p) - (i * s - p) for i in range(out)]


def caffe_pooling_2d(x, method, ksize, stride, pad, ceil_mode=True):
    """Caffe's MAX or AVE pooling of ``x`` (N, C, H, W).

    Args:
        method: 'max' or 'ave'.
        ksize, stride, pad: (h, w) pairs; ``ksize=None`` pools each whole
            feature map (``global_pooling``).
        ceil_mode: Caffe's ``round_mode: CEIL`` (True) or FLOOR.
    """
    if x.ndim != 4:
        raise ValueError('Caffe pooling needs a 4-D (N, C, H, W) input, got '
                         'shape {}'.format(tuple(x.shape)))
    in_size = tuple(x.shape[2:])
    if ksize is None:
        ksize = in_size
    padded = any(pad)
    out = tuple(pooled_size(n, k, s, p, ceil_mode, padded)
                for n, k, s, p in zip(in_size, ksize, stride, pad))
    if method == 'max':
        # cover_all=True is exactly the ceil rounding; floor is the plain
        # size. Padding is -inf there, so only real elements compete.
        y = max_pooling_2d(x, ksize, stride, pad, cover_all=ceil_mode)
        return _crop(y, out)
    # Zero-pad so that every Caffe window lies inside the array, sum each
    # window (average pooling times the window area), then divide by
    # Caffe's clipped window sizes.
    widths = [(0, 0), (0, 0)]
    for n, k, s, p, o in zip(in_size, ksize, stride, pad, out):
        last_end = (o - 1) * s - p + k
        widths.append((p, max(n + p, last_end) - n))
    if any(w != (0, 0) for w in widths):
        x = pad_array(x, widths, 'constant')
    y = _crop(average_pooling_2d(x, ksize, stride), out)
    rows = _window_sizes(in_size[0], ksize[0], stride[0], pad[0], out[0])
    cols = _window_sizes(in_size[1], ksize[1], stride[1], pad[1], out[1])
    area = ksize[0] * ksize[1]
    if all(r * c == area for r in rows for c in cols):
        return y
    xp = backend.get_array_module(y)
    dtype = y.dtype
    ratio = area / (xp.asarray(rows, dtype='d')[:, None] *
                    xp.asarray(cols, dtype='d')[None, :])
    return y * ratio.astype(dtype)


def _crop(y, out):
    if tuple(y.shape[2:]) == out:
        return y
    return get_item(y, (slice(None), slice(None), slice(0, out[0]),
                        slice(0, out[1])))
