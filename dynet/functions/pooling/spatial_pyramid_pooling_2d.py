"""Spatial pyramid pooling (He et al., 2014)."""
import math
import numbers


def spatial_pyramid_pooling_2d(x, pyramid_height, pooling=None):
    """Spatial pyramid pooling: a fixed-length vector from any image size.

    Level ``i`` (``0 <= i < pyramid_height``) max-pools ``x`` into about
    ``2^i x 2^i`` bins with kernel ``k = ceil(b / 2^i)``, stride ``k``,
    padding ``(2^i k - b) // 2`` (per axis, ``b`` the height or width) and
    ``cover_all=True``; the pooled maps are flattened and concatenated.

    Args:
        x: (N, C, H, W) float array.
        pyramid_height (int): number of levels (at least 1).
        pooling (str): ``'max'``, the only kind (as in Chainer v7, which
            also raises for the default None).
    Returns:
        Variable (N, C * sum_i n_i, 1, 1), ``n_i`` the number of bins of
        level ``i``: ``4^i`` when H and W are at least ``2^i``.
    """
    from dynet.functions.array.concat import concat
    from dynet.functions.array.reshape import reshape
    from dynet.functions.pooling.max_pooling_nd import max_pooling_2d

    if pooling != 'max':
        raise ValueError("spatial_pyramid_pooling_2d: unsupported pooling "
                         "{!r}; only 'max' is supported".format(pooling))
    if not isinstance(pyramid_height, numbers.Integral) or \
            pyramid_height < 1:
        raise ValueError('spatial_pyramid_pooling_2d: pyramid_height must '
                         'be a positive integer, got {!r}'.format(
                             pyramid_height))
    if len(x.shape) != 4:
        raise ValueError('spatial_pyramid_pooling_2d: x must have 4 axes '
                         '(N, C, H, W), got shape {}'.format(tuple(x.shape)))
    height, width = x.shape[2:]
    ys = []
    for level in range(int(pyramid_height)):
        bins = 2 ** level
        ksize = (int(math.ceil(height / bins)), int(math.ceil(width / bins)))
        pad = ((ksize[0] * bins - height) // 2,
               (ksize[1] * bins - width) // 2)
        y = max_pooling_2d(x, ksize, None, pad, cover_all=True)
        n, c, h, w = y.shape
        ys.append(reshape(y, (n, c * h * w, 1, 1)))
    return concat(ys, axis=1)
