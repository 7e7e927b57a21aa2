"""Deformable convolution with given offsets (Dai et al., Deformable
Convolutional Networks): a convolution whose sampling points are moved
by per-position offsets and read with bilinear interpolation."""
from dynet import backend
from dynet.utils import conv as conv_util
from dynet.functions import _check
from dynet.variable import as_variable


def _fail(expect, actual):
    _check.fail('deformable_convolution_2d_sampler', expect, actual)


def _offset_to_grid(offset, kh, kw, stride, pad, size):
    """Sampling points (n, 2, kh*kw, out_h*out_w) in the normalized
    coordinates of the padded input, from the offsets."""
    from dynet.functions.array.concat import concat
    from dynet.functions.array.reshape import reshape
    n, khkw2, out_h, out_w = offset.shape
    khkw = khkw2 // 2
    sy, sx = stride
    ph, pw = pad
    h, w = size
    offset = as_variable(offset)
    xp = backend.get_array_module(offset.array)
    dtype = offset.dtype
    # Base position of each output pixel plus the kernel offset (p, q),
    # kernel positions in row-major order.
    rows = xp.arange(out_h, dtype=dtype) * sy
    cols = xp.arange(out_w, dtype=dtype) * sx
    kernel_rows = xp.repeat(xp.arange(kh, dtype=dtype), kw)
    kernel_cols = xp.tile(xp.arange(kw, dtype=dtype), kh)
    shape = (n, khkw, out_h, out_w)
    base_x = xp.broadcast_to(
        cols[None, None, None, :] + kernel_cols[None, :, None, None], shape)
    base_y = xp.broadcast_to(
        rows[None, None, :, None] + kernel_rows[None, :, None, None], shape)
    x_coord = offset[:, :khkw] + base_x
    y_coord = offset[:, khkw:] + base_y
    # Pixel coordinates of the padded image -> [-1, 1].
    x_coord = x_coord * (2.0 / (w + 2 * pw - 1)) - 1
    y_coord = y_coord * (2.0 / (h + 2 * ph - 1)) - 1
    grid = concat([x_coord, y_coord], axis=1)
    return reshape(grid, (n, 2, khkw, out_h * out_w))


def deformable_convolution_2d_sampler(x, offset, W, b=None, stride=1,
                                      pad=0):
    """Two-dimensional deformable convolution with given offsets.

    ``y[n, o, i, j] = sum_{c, p, q} W[o, c, p, q] X[n, c, i s_Y + p +
    dy, j s_X + q + dx] + b[o]`` where ``(dx, dy) = (offset[n, p k_W + q,
    i, j], offset[n, k_H k_W + p k_W + q, i, j])`` and ``X`` is ``x``
    zero-padded by ``pad``, read at fractional positions by bilinear
    interpolation (zero outside).

    Args:
        x (Variable or array): input (n, c_I, h, w), float.
        offset (Variable or array): offsets (n, 2 k_H k_W, h_O, w_O): the
            first ``k_H k_W`` channels are horizontal, the last ``k_H k_W``
            vertical offsets. Its spatial size is the output size
            (normally ``h_O = (h + 2 p_H - k_H) // s_Y + 1``).
        W (Variable or array): filters (c_O, c_I, k_H, k_W).
        b (Variable or array): optional bias (c_O,).
        stride (int or pair of ints): stride of the base sampling grid.
        pad (int or pair of ints): zero padding of ``x``.
    Returns:
        Variable (n, c_O, h_O, w_O). Gradients reach ``x``, ``offset``,
        ``W`` and ``b``; double backprop is not supported (the bilinear
        sampler does not support it).
    Raises:
        ValueError: ``offset.shape[1] != 2 k_H k_W``.
    """
    from dynet.functions.array.pad import pad as pad_
    from dynet.functions.array.reshape import reshape
    from dynet.functions.array.spatial_transformer_sampler import \
        spatial_transformer_sampler
    from dynet.functions.array.transpose import transpose
    from dynet.functions.connection.linear import linear
    stride = conv_util.as_tuple(stride, 2, 'stride')
    pad = conv_util.as_tuple(pad, 2, 'pad')
    for name, shape in (('x', x.shape), ('offset', offset.shape),
                        ('W', W.shape)):
        if len(shape) != 4:
            _fail('{}.ndim == 4'.format(name), '{}.shape == {}'.format(
                name, tuple(shape)))
    out_c, in_c, kh, kw = W.shape
    n, c, h, w = x.shape
    _, khkw2, out_h, out_w = offset.shape
    if khkw2 != 2 * kh * kw:
        raise ValueError(
            'deformable_convolution_2d_sampler: offset.shape[1] must be 2 * '
            'kh * kw == {}, got offset.shape == {}'.format(
                2 * kh * kw, tuple(offset.shape)))
    if c != in_c:
        _fail('x.shape[1] == W.shape[1]', '{} != {}'.format(c, in_c))
    if offset.shape[0] != n:
        _fail('x.shape[0] == offset.shape[0]',
              '{} != {}'.format(n, offset.shape[0]))
    grid = _offset_to_grid(offset, kh, kw, stride, pad, (h, w))
    if pad != (0, 0):
        x = pad_(x, ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])),
                 'constant')
    # (n, c, kh*kw, out_h*out_w): the sampled patches.
    patches = spatial_transformer_sampler(x, grid)
    patches = reshape(transpose(patches, (0, 3, 1, 2)),
                      (n * out_h * out_w, c * kh * kw))
    y = linear(patches, reshape(W, (out_c, c * kh * kw)), b)
    return transpose(reshape(y, (n, out_h, out_w, out_c)), (0, 3, 1, 2))
