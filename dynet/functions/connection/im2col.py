"""``im2col``: image patches laid out along the channel axis.

``Im2Col`` and ``Col2Im`` (its adjoint, which sums patches back into an
image) are each other's gradients, so gradients of any order work. Both
also serve other connection functions in their unflattened form
``(N, C, kh, kw, out_h, out_w)`` (``flat=False``), optionally cropped to
the first ``outs`` output positions.
"""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.utils import conv as conv_util


class _Geometry:

    def __init__(self, ksize, stride, pad, dilate, cover_all, name):
        self.ksize = conv_util.as_tuple(ksize, 2, 'ksize')
        self.stride = conv_util.as_tuple(stride, 2, 'stride')
        self.pad = conv_util.as_tuple(pad, 2, 'pad')
        self.dilate = conv_util.as_tuple(dilate, 2, 'dilate')
        self.cover_all = bool(cover_all)
        for label, values in (('ksize', self.ksize), ('stride', self.stride),
                              ('dilate', self.dilate)):
            if any(int(v) < 1 for v in values):
                raise ValueError('{}: {} must be positive, got {}'.format(
                    name, label, values))
        if any(int(p) < 0 for p in self.pad):
            raise ValueError('{}: pad must be non-negative, got {}'.format(
                name, self.pad))

    def out_size(self, size):
        return tuple(conv_util.get_conv_outsize(
            n, k, s, p, self.cover_all, d) for n, k, s, p, d in zip(
                size, self.ksize, self.stride, self.pad, self.dilate))


def _patches(x, geometry, outs):
    """(N, C, kh, kw, *outs) contiguous patches of ``x``."""
    xp = backend.get_array_module(x)
    col = conv_util.im2col(x, geometry.ksize, geometry.stride, geometry.pad,
                           cover_all=geometry.cover_all,
                           dilate=geometry.dilate)
    if outs is not None and tuple(col.shape[4:]) != tuple(outs):
        col = col[:, :, :, :, :outs[0], :outs[1]]
    return xp.ascontiguousarray(col)


class Im2Col(FunctionNode):
    """x (N, C, H, W) -> patches; ``flat`` gives (N, C*kh*kw, oh, ow),
    otherwise (N, C, kh, kw, oh, ow). ``outs`` keeps only the first output
    positions (used by local convolution)."""

    def __init__(self, geometry, flat=True, outs=None):
        self.geometry = geometry
        self.flat = flat
        self.outs = None if outs is None else tuple(outs)

    @property
    def label(self):
        return 'Im2Col'

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        x = in_data[0]
        _check.float_kind(self, 'x', x)
        _check.ndim_equal(self, 'x', x, 4)
        out = self.geometry.out_size(x.shape[2:])
        if any(o <= 0 for o in out):
            _check.fail(self, 'a non-empty output',
                        'input size {}, ksize {}, stride {}, pad {}, '
                        'dilate {} give output size {}'.format(
                            tuple(x.shape[2:]), self.geometry.ksize,
                            self.geometry.stride, self.geometry.pad,
                            self.geometry.dilate, out))
        if self.outs is not None and any(
                want > have for want, have in zip(self.outs, out)):
            _check.fail(self, 'at least {} output positions'.format(
                self.outs), '{} (input size {})'.format(
                    out, tuple(x.shape[2:])))

    def forward(self, inputs):
        x, = inputs
        col = _patches(x, self.geometry, self.outs)
        if self.flat:
            n, c, kh, kw, oh, ow = col.shape
            col = col.reshape(n, c * kh * kw, oh, ow)
        return col,

    def backward(self, indexes, grad_outputs):
        return Col2Im(self.geometry, self.inputs[0].shape[2:],
                      self.flat).apply(grad_outputs)


class Col2Im(FunctionNode):
    """Adjoint of ``Im2Col``: sums patches back into an image of spatial
    size ``size``."""

    def __init__(self, geometry, size, flat=True):
        self.geometry = geometry
        self.size = tuple(size)
        self.flat = flat

    @property
    def label(self):
        return 'Col2Im'

    def forward(self, inputs):
        col, = inputs
        kh, kw = self.geometry.ksize
        if self.flat:
            n, ckk, oh, ow = col.shape
            col = col.reshape(n, ckk // (kh * kw), kh, kw, oh, ow)
        self._outs = col.shape[4:]
        img = conv_util.col2im(col, self.geometry.stride, self.geometry.pad,
                               self.size, self.geometry.dilate)
        xp = backend.get_array_module(img)
        return xp.ascontiguousarray(img),

    def backward(self, indexes, grad_outputs):
        return Im2Col(self.geometry, self.flat, self._outs).apply(
            grad_outputs)


def im2col(x, ksize, stride=1, pad=0, cover_all=False, dilate=1):
    """Extracts image patches into the channel axis.

    ``y[n, (c * k_H + i) * k_W + j, p, q] = x_pad[n, c, p * s_Y + i * d_Y,
    q * s_X + j * d_X]`` where ``x_pad`` is ``x`` zero-padded by ``pad``
    on each side (and, with ``cover_all``, up to ``s - 1`` more at the
    end).

    Args:
        x (Variable or array): input of shape (n, c, h, w), float.
        ksize (int or pair of ints): patch size (k_H, k_W).
        stride (int or pair of ints): step between patches.
        pad (int or pair of ints): zero padding on each side.
        cover_all (bool): make the patches cover every input pixel (the
            output may grow by one position along an axis).
        dilate (int or pair of ints): spacing of the patch elements.
    Returns:
        Variable of shape (n, c * k_H * k_W, h_O, w_O) and ``x``'s dtype,
        with ``h_O = (h + 2 p_H - k_H - (k_H - 1)(d_Y - 1)) // s_Y + 1``
        (plus ``s_Y - 1`` inside the floor division with ``cover_all``).
        Differentiable to any order.
    """
    geometry = _Geometry(ksize, stride, pad, dilate, cover_all, 'im2col')
    return Im2Col(geometry).apply((x,))[0]
