"""Two-dimensional dilated (atrous) convolution.

Kept as its own function for Chainer compatibility; it is the same
computation as ``convolution_2d(..., dilate=d)``.
"""
from dynet.functions.connection.convolution_nd import (
    _expect_ndim, convolution_nd)


def dilated_convolution_2d(x, W, b=None, stride=1, pad=0, dilate=1,
                           cover_all=False):
    """Two-dimensional dilated convolution.

    The filter taps are spread ``dilate`` pixels apart, so a ``k`` x ``k``
    filter sees a ``(k - 1) d + 1`` wide window without extra parameters:
    ``y[n, o, i, j] = b[o] + sum_{c, p, q} W[o, c, p, q]
    x_pad[n, c, i s_Y + p d_Y, j s_X + q d_X]``.

    Args:
        x (Variable or array): input (n, c_I, h, w), float.
        W (Variable or array): filters (c_O, c_I, k_H, k_W).
        b (Variable or array): optional bias (c_O,).
        stride (int or pair of ints): step between filter applications.
        pad (int or pair of ints): zeros added on each side of h and w.
        dilate (int or pair of ints): spacing between filter taps;
            ``dilate=1`` is an ordinary convolution.
        cover_all (bool): round the output size up so that every input
            pixel is covered (adds a partial window at the end).
    Returns:
        Variable (n, c_O, h_O, w_O) with ``h_O = (h + 2 p_H - (k_H - 1)
        d_Y - 1) // s_Y + 1`` (plus one more when ``cover_all`` needs it).
        Differentiable to any order.
    """
    _expect_ndim('dilated_convolution_2d', W, 2)
    return convolution_nd(x, W, b, stride=stride, pad=pad,
                          cover_all=cover_all, dilate=dilate)
