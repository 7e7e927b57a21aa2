"""Two-dimensional depthwise convolution: each input channel is convolved
with its own ``channel_multiplier`` filters."""
from dynet.functions import _check


def _fail(expect, actual):
    _check.fail('depthwise_convolution_2d', expect, actual)


def depthwise_convolution_2d(x, W, b=None, stride=1, pad=0):
    """Two-dimensional depthwise convolution.

    ``y[n, c * c_M + m, i, j] = sum_{p, q} W[m, c, p, q]
    x_pad[n, c, i s_Y + p, j s_X + q] + b[c * c_M + m]``: output channel
    ``c * c_M + m`` is input channel ``c`` filtered by its ``m``-th filter
    (channels never mix). It is a grouped convolution with ``c_I`` groups.

    Args:
        x (Variable or array): input (n, c_I, h, w), float.
        W (Variable or array): filters (c_M, c_I, k_H, k_W).
        b (Variable or array): optional bias (c_I * c_M,).
        stride (int or pair of ints): stride of filter applications.
        pad (int or pair of ints): zero padding on each side.
    Returns:
        Variable (n, c_I * c_M, h_O, w_O) with ``h_O = (h + 2 p_H - k_H)
        // s_Y + 1``. Differentiable to any order.
    """
    from dynet.functions.array.reshape import reshape
    from dynet.functions.array.transpose import transpose
    from dynet.functions.connection.convolution_nd import convolution_nd
    if len(x.shape) != 4:
        _fail('x.ndim == 4', 'x.ndim == {}'.format(len(x.shape)))
    if len(W.shape) != 4:
        _fail('W.ndim == 4', 'W.ndim == {}'.format(len(W.shape)))
    multiplier, in_channels, kh, kw = W.shape
    if x.shape[1] != in_channels:
        _fail('x.shape[1] == W.shape[1]',
              '{} != {}'.format(x.shape[1], in_channels))
    if b is not None and tuple(b.shape) != (multiplier * in_channels,):
        _fail('b.shape == (W.shape[0] * W.shape[1],) == ({},)'.format(
            multiplier * in_channels), 'b.shape == {}'.format(
                tuple(b.shape)))
    # Filter of output channel c * c_M + m is W[m, c].
    w = reshape(transpose(W, (1, 0, 2, 3)),
                (in_channels * multiplier, 1, kh, kw))
    return convolution_nd(x, w, b, stride=stride, pad=pad,
                          groups=in_channels)
