"""``col2im``: the adjoint of :func:`~dynet.functions.im2col`, summing
image patches laid out along the channel axis back into an image.

The node is ``Col2Im`` of :mod:`dynet.functions.connection.im2col` (whose
gradient is ``Im2Col`` and vice versa), with the input checks of a public
function added.
"""
from dynet.functions import _check
from dynet.functions.connection.im2col import Col2Im, _Geometry
from dynet.utils import conv as conv_util


class _CheckedCol2Im(Col2Im):

    label = 'col2im'

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        x, = in_data
        _check.float_kind(self, 'x', x)
        _check.ndim_equal(self, 'x', x, 4)
        kh, kw = self.geometry.ksize
        if x.shape[1] % (kh * kw):
            _check.fail(self, 'x.shape[1] divisible by k_H * k_W == '
                        '{}'.format(kh * kw),
                        'x.shape == {}'.format(x.shape))
        g = self.geometry
        for axis, (n, k, s, p, d, o) in enumerate(zip(
                self.size, g.ksize, g.stride, g.pad, g.dilate,
                x.shape[2:])):
            sizes = sorted({conv_util.get_conv_outsize(n, k, s, p, c, d)
                            for c in (False, True)})
            if o not in sizes:
                _check.fail(
                    self, 'x.shape[{}] in {} (the im2col output size for '
                    'outsize {}, ksize {}, stride {}, pad {}, dilate {})'
                    .format(2 + axis, sizes, self.size, g.ksize, g.stride,
                            g.pad, g.dilate),
                    'x.shape == {}'.format(x.shape))


def col2im(x, ksize, stride, pad, outsize, dilate=1):
    """Sums patches back into an image: the adjoint (transpose) of
    :func:`~dynet.functions.im2col`.

    ``x`` has the layout of ``im2col``'s output, ``(n, c * k_H * k_W, h_O,
    w_O)``; every entry ``x[n, (c * k_H + i) * k_W + j, p, q]`` is added to
    pixel ``(p * s_Y + i * d_Y - p_H, q * s_X + j * d_X - p_W)`` of channel
    ``c`` of an ``outsize`` image (entries falling in the padding are
    dropped). So ``col2im(im2col(x, ...), ..., outsize=x.shape[2:])``
    multiplies each pixel by the number of patches covering it.

    Note: Chainer v7 has no public ``F.col2im`` (only the array helpers
    ``chainer.utils.conv.col2im_cpu`` / ``col2im_gpu``); this function is
    a dynet addition.

    Args:
        x (Variable or array): float patches of shape
            ``(n, c * k_H * k_W, h_O, w_O)``.
        ksize (int or pair of ints): patch size ``(k_H, k_W)``.
        stride (int or pair of ints): step between patches.
        pad (int or pair of ints): padding of the image on each side.
        outsize (pair of ints): the image size ``(h, w)``; ``(h_O, w_O)``
            must be ``im2col``'s output size for it, with or without
            ``cover_all``.
        dilate (int or pair of ints): spacing of the patch elements.
    Returns:
        Variable of shape ``(n, c, h, w)`` and ``x``'s dtype;
        differentiable to any order (the gradient is ``im2col``).
    """
    # cover_all=True: the larger of the two possible patch grids; a grid
    # of the smaller size is its leading part, which the gradient crops.
    geometry = _Geometry(ksize, stride, pad, dilate, True, 'col2im')
    outsize = conv_util.as_tuple(outsize, 2, 'outsize')
    if any(int(n) < 1 for n in outsize):
        raise ValueError('col2im: outsize must be positive, got {}'.format(
            outsize))
    return _CheckedCol2Im(geometry, tuple(int(n) for n in outsize)).apply(
        (x,))[0]
