"""N-dimensional convolution and transposed convolution (any number of
spatial axes), with stride, padding, cover_all, dilation and groups.

Convolution is cross-correlation, as in Chainer and Caffe: im2col (a
strided view copied into a (channels x taps, batch x positions) matrix,
batch innermost for small outputs) followed by one GEMM per group over the
whole batch. The forward pass keeps that matrix for the weight gradient.
A transposed convolution with stride 1 runs as a convolution with flipped
filters where that copies less than col2im's route (GEMM, then the taps
added back one by one). The three nodes are each other's gradients, so
gradients of any order work:

- ``ConvolutionND``: y = conv(x, W) + b; gx = deconv(gy, W),
  gW = ConvolutionNDGradW(x, gy).
- ``DeconvolutionND``: the adjoint of conv with respect to x.
- ``ConvolutionNDGradW``: gW as a function of (x, gy).
"""
import math
import weakref

from dynet import backend
from dynet.config import config
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.utils import conv as conv_util


class _Geometry:
    """Stride, padding, dilation and groups of a convolution."""

    def __init__(self, ndim, stride, pad, dilate, groups, cover_all):
        self.ndim = ndim
        self.stride = conv_util.as_tuple(stride, ndim, 'stride')
        self.pad = conv_util.as_tuple(pad, ndim, 'pad')
        self.dilate = conv_util.as_tuple(dilate, ndim, 'dilate')
        self.groups = int(groups)
        self.cover_all = cover_all
        for name, values in (('stride', self.stride),
                             ('dilate', self.dilate)):
            if any(v < 1 for v in values):
                raise ValueError('convolution: {} must be positive, got {}'
                                 .format(name, values))
        if any(p < 0 for p in self.pad):
            raise ValueError('convolution: pad must be non-negative, got {}'
                             .format(self.pad))
        if self.groups < 1:
            raise ValueError('convolution: groups must be positive, got {}'
                             .format(groups))

    def out_size(self, in_size, ksize):
        return tuple(conv_util.get_conv_outsize(
            n, k, s, p, self.cover_all, d) for n, k, s, p, d in zip(
                in_size, ksize, self.stride, self.pad, self.dilate))

    def deconv_out_size(self, in_size, ksize):
        return tuple(conv_util.get_deconv_outsize(
            n, k, s, p, self.cover_all, d) for n, k, s, p, d in zip(
                in_size, ksize, self.stride, self.pad, self.dilate))

    def kwargs(self):
        return dict(stride=self.stride, pad=self.pad, dilate=self.dilate,
                    groups=self.groups, cover_all=self.cover_all)


# The patch matrix is laid out batch-innermost when the output positions
# per image times the stride's area (about the input positions) are at
# most this, and the filter has more than one tap. Measured on
# 32x{16..256}x{2..32}^2 3x3 convolutions: im2col copies 2-13x faster at
# 8x8 outputs and below (4x4 with stride 2), slower from 16x16 (and for
# 1x1 filters, where the input transposition is pure overhead).
_BATCH_LAST_MAX_POSITIONS = 64

# The largest patch matrix a convolution keeps from forward for its weight
# gradient (recomputing it costs one im2col copy: 2-2.5 ms of a 5-7 ms
# forward for a 32x16x32x32 3x3 convolution), and the most all live nodes
# keep at a time. The patches of a 3x3 filter are 9 times the input; the
# total bounds graphs that apply convolutions many times before one
# backward (a convolution at every step of a long sequence).
KEEP_PATCHES_MAX_BYTES = 32 * 2 ** 20
KEEP_PATCHES_TOTAL_BYTES = 256 * 2 ** 20
_kept_bytes = 0


def _keep_patches(nbytes):
    """Counts ``nbytes`` of kept patches if the limits allow it."""
    global _kept_bytes
    if nbytes > KEEP_PATCHES_MAX_BYTES or \
            _kept_bytes + nbytes > KEEP_PATCHES_TOTAL_BYTES:
        return False
    _kept_bytes += nbytes
    return True


def _release_patches(nbytes):
    global _kept_bytes
    _kept_bytes -= nbytes


class _ColLayout:
    """The column order of a patch matrix: (batch, positions) or, for
    small outputs, (positions, batch). Converts the (rows, N * P) results
    of GEMMs with that matrix to and from the usual (N, rows, *out)."""

    def __init__(self, batch, outs, ksize, geometry):
        self.batch = batch
        self.outs = tuple(outs)
        self.positions = math.prod(self.outs)
        self.batch_last = math.prod(ksize) > 1 and \
            self.positions * math.prod(geometry.stride) <= \
            _BATCH_LAST_MAX_POSITIONS

    def patches(self, x, ksize, geometry):
        """The patches of x as one contiguous (C * K, N * P) matrix."""
        xp = backend.get_array_module(x)
        im2col = conv_util.im2col_batch_last if self.batch_last else \
            _im2col_channel_major
        col = xp.ascontiguousarray(im2col(
            x, ksize, geometry.stride, geometry.pad,
            cover_all=geometry.cover_all, dilate=geometry.dilate))
        # Rows: channels x taps (from the shape: the batch may be empty).
        rows = math.prod(col.shape[:1 + geometry.ndim])
        return col.reshape(rows, col.size // rows if rows else 0)

    def to_matrix(self, y):
        """(N, R, *out) -> contiguous (R, N * P) in this column order."""
        xp = backend.get_array_module(y)
        if self.batch_last:
            y = xp.moveaxis(y, 0, -1)
        else:
            y = xp.moveaxis(y, 1, 0)
        y = xp.ascontiguousarray(y)
        return y.reshape(y.shape[0], -1)

    def from_matrix(self, m):
        """(R, N * P) in this column order -> contiguous (N, R, *out)."""
        xp = backend.get_array_module(m)
        rows = m.shape[0]
        if self.batch_last:
            m = xp.moveaxis(m.reshape((rows,) + self.outs + (self.batch,)),
                            -1, 0)
        else:
            m = xp.moveaxis(m.reshape((rows, self.batch) + self.outs), 0, 1)
        return xp.ascontiguousarray(m)


def _im2col_channel_major(x, ksize, stride, pad, cover_all, dilate):
    """im2col as (C, *k, N, *out): channels and taps lead and the batch
    and output positions trail, so a copy runs along whole output rows (a
    layout with the taps innermost copies 3 elements at a time and was
    several times slower), and every group is one GEMM over the whole
    batch (a GEMM per sample is slow for small images)."""
    xp = backend.get_array_module(x)
    col = conv_util.im2col(x, ksize, stride, pad, cover_all=cover_all,
                           dilate=dilate)
    return xp.moveaxis(col, 0, len(ksize) + 1)


def _per_group_matmul(a, b, groups, transpose_b=False):
    """a @ b (or a @ b.T) computed group by group: the i-th block of rows
    of a times the i-th block of rows of b (transposed or not), stacked
    along the rows."""
    xp = backend.get_array_module(a)
    if groups == 1:
        return a @ (b.T if transpose_b else b)
    a_g = a.shape[0] // groups
    b_g = b.shape[0] // groups
    blocks = []
    for i in range(groups):
        b_i = b[i * b_g:(i + 1) * b_g]
        blocks.append(a[i * a_g:(i + 1) * a_g] @ (b_i.T if transpose_b
                                                  else b_i))
    return xp.concatenate(blocks, axis=0)


def _conv_forward(x, w, geometry):
    """(y, patches): y = conv(x, W) without bias, shape (N, O, *out),
    contiguous, and the patch matrix of x it was computed from."""
    layout = _ColLayout(x.shape[0], geometry.out_size(x.shape[2:],
                                                      w.shape[2:]),
                        w.shape[2:], geometry)
    col = layout.patches(x, w.shape[2:], geometry)
    y = _per_group_matmul(w.reshape(w.shape[0], -1), col, geometry.groups)
    return layout.from_matrix(y), col


def _deconv_as_conv(x, w, geometry, out_size):
    """For stride 1, the transposed convolution of x (N, C_in, *in) with W
    (C_in, C_out/G, *k) is a convolution with the flipped, transposed
    filters and padding ``dilate * (k - 1) - pad``; returns (filters,
    geometry) of that convolution, or None where the padding would be
    negative or the convolution would copy more patches (C_in x output
    positions) than col2im's GEMM writes (C_out x input positions): LeNet's
    5x5 gradient from 20 to 50 channels is 5.6x larger as a convolution."""
    nd = geometry.ndim
    if any(s != 1 for s in geometry.stride):
        return None
    ksize = w.shape[2:]
    pad = tuple(d * (k - 1) - p for d, k, p in zip(geometry.dilate, ksize,
                                                   geometry.pad))
    if any(p < 0 for p in pad):
        return None
    c_in, c_out = w.shape[0], w.shape[1] * geometry.groups
    if c_in * math.prod(out_size) > c_out * math.prod(x.shape[2:]):
        return None
    xp = backend.get_array_module(w)
    g = geometry.groups
    c_in, c_out_g = w.shape[:2]
    # (G, C_in/G, C_out/G, *k) -> (G, C_out/G, C_in/G, *k), taps reversed.
    filters = xp.swapaxes(w.reshape((g, c_in // g, c_out_g) + ksize), 1, 2)
    filters = filters[(Ellipsis,) + (slice(None, None, -1),) * nd]
    filters = xp.ascontiguousarray(filters).reshape(
        (g * c_out_g, c_in // g) + ksize)
    return filters, _Geometry(nd, 1, pad, geometry.dilate, g, False)


def _deconv_forward(x, w, geometry, out_size):
    """Transposed conv of x (N, C_in, *in) with W (C_in, C_out/G, *k)."""
    as_conv = _deconv_as_conv(x, w, geometry, out_size)
    if as_conv is not None:
        # One im2col copy of x instead of a K-times larger GEMM output
        # added back tap by tap: 35-45% faster for 3x3 filters.
        return _conv_forward(x, *as_conv)[0]
    xp = backend.get_array_module(x)
    nd = geometry.ndim
    g = geometry.groups
    if g == 1:
        col = xp.tensordot(w, x, (0, 1))
    else:
        c_g = w.shape[0] // g
        col = xp.concatenate([
            xp.tensordot(w[i * c_g:(i + 1) * c_g],
                         x[:, i * c_g:(i + 1) * c_g], (0, 1))
            for i in range(g)], axis=0)
    # Sum the patches with the channels leading, (C_out, N, *k, *in), the
    # order the GEMM wrote them in (15-25% faster than batch-leading),
    # then move the batch axis to the front once.
    col = xp.moveaxis(col, nd + 1, 1)
    img = conv_util.col2im(col, geometry.stride, geometry.pad, out_size,
                           geometry.dilate)
    return xp.ascontiguousarray(xp.moveaxis(img, 0, 1))


def _grad_w(x, gy, geometry, ksize, patches=None):
    """gW (O, C/G, *k) of conv from input x and output gradient gy
    (``patches``: x's patch matrix if the forward pass kept it)."""
    layout = _ColLayout(x.shape[0], gy.shape[2:], ksize, geometry)
    col = layout.patches(x, ksize, geometry) if patches is None else patches
    gw = _per_group_matmul(layout.to_matrix(gy), col, geometry.groups,
                           transpose_b=True)
    return gw.reshape((gy.shape[1], -1) + tuple(ksize))


def _bias_axes(ndim):
    return (0,) + tuple(range(2, ndim + 2))


class ConvolutionND(FunctionNode):

    _patches = None
    _release = None

    def __init__(self, ndim, stride=1, pad=0, cover_all=False, dilate=1,
                 groups=1):
        self.geometry = _Geometry(ndim, stride, pad, dilate, groups,
                                  cover_all)

    @property
    def label(self):
        return 'Convolution{}D'.format(self.geometry.ndim) \
            if self.geometry.ndim <= 3 else 'ConvolutionND'

    def _check_inputs(self, in_data):
        _check_conv_inputs(self, in_data, self.geometry, transposed=False)

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, w = inputs[:2]
        y, patches = _conv_forward(x, w, self.geometry)
        # The weight gradient needs the same patch matrix: keep it instead
        # of copying it out of x again, within the limits above. It is
        # given back when backward has used it, or with this node when no
        # backward comes.
        if config.enable_backprop and _keep_patches(patches.nbytes):
            self._patches = patches
            self._release = weakref.finalize(self, _release_patches,
                                             patches.nbytes)
        if len(inputs) == 3:
            y += inputs[2].reshape((1, -1) + (1,) * self.geometry.ndim)
        return y.astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.sum import sum as sum_
        x, w = self.get_retained_inputs()
        gy = grad_outputs[0]
        geometry = self.geometry
        patches, self._patches = self._patches, None
        if self._release is not None:
            self._release()  # runs once; the node's finalizer is spent
        result = []
        for i in indexes:
            if i == 0:
                result.append(DeconvolutionND(
                    geometry.ndim, outsize=x.shape[2:],
                    **geometry.kwargs()).apply((gy, w))[0])
            elif i == 1:
                result.append(ConvolutionNDGradW(
                    geometry, w.shape[2:], patches).apply((x, gy))[0])
            else:
                result.append(sum_(gy, axis=_bias_axes(geometry.ndim)))
        return tuple(result)


class DeconvolutionND(FunctionNode):

    def __init__(self, ndim, stride=1, pad=0, outsize=None, dilate=1,
                 groups=1, cover_all=False):
        self.geometry = _Geometry(ndim, stride, pad, dilate, groups,
                                  cover_all)
        self.outsize = None if outsize is None else \
            conv_util.as_tuple(outsize, ndim, 'outsize')

    @property
    def label(self):
        return 'Deconvolution{}D'.format(self.geometry.ndim) \
            if self.geometry.ndim <= 3 else 'DeconvolutionND'

    def _out_size(self, x, w):
        if self.outsize is not None:
            return self.outsize
        return self.geometry.deconv_out_size(x.shape[2:], w.shape[2:])

    def _check_inputs(self, in_data):
        _check_conv_inputs(self, in_data, self.geometry, transposed=True)
        x, w = in_data[:2]
        out = self._out_size(x, w)
        back = self.geometry.out_size(out, w.shape[2:])
        if any(o <= 0 for o in out) or back != tuple(x.shape[2:]):
            _check.fail(
                self, 'outsize {} consistent with the input size {} (a '
                'convolution of outsize would give it back)'.format(
                    out, tuple(x.shape[2:])),
                'a convolution of {} gives {}'.format(out, back))

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, w = inputs[:2]
        y = _deconv_forward(x, w, self.geometry, self._out_size(x, w))
        if len(inputs) == 3:
            shape = (1, -1) + (1,) * self.geometry.ndim
            y += inputs[2].reshape(shape)
        return y.astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.sum import sum as sum_
        x, w = self.get_retained_inputs()
        gy = grad_outputs[0]
        geometry = self.geometry
        result = []
        for i in indexes:
            if i == 0:
                result.append(ConvolutionND(
                    geometry.ndim, geometry.stride, geometry.pad,
                    geometry.cover_all, geometry.dilate,
                    geometry.groups).apply((gy, w))[0])
            elif i == 1:
                result.append(ConvolutionNDGradW(
                    geometry, w.shape[2:]).apply((gy, x))[0])
            else:
                result.append(sum_(gy, axis=_bias_axes(geometry.ndim)))
        return tuple(result)


class ConvolutionNDGradW(FunctionNode):
    """gW of a convolution as a function of (x, gy); ``patches`` is the
    patch matrix of x that the convolution kept, if it did."""

    def __init__(self, geometry, ksize, patches=None):
        self.geometry = geometry
        self.ksize = tuple(ksize)
        self.patches = patches

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, gy = inputs
        patches, self.patches = self.patches, None
        return _grad_w(x, gy, self.geometry, self.ksize, patches).astype(
            x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        x, gy = self.get_retained_inputs()
        ggw = grad_outputs[0]
        geometry = self.geometry
        result = []
        for i in indexes:
            if i == 0:
                result.append(DeconvolutionND(
                    geometry.ndim, outsize=x.shape[2:],
                    **geometry.kwargs()).apply((gy, ggw))[0])
            else:
                result.append(ConvolutionND(
                    geometry.ndim, geometry.stride, geometry.pad,
                    geometry.cover_all, geometry.dilate,
                    geometry.groups).apply((x, ggw))[0])
        return tuple(result)


def _check_conv_inputs(func, in_data, geometry, transposed):
    n = len(in_data)
    if n not in (2, 3):
        _check.fail(func, '2 or 3 inputs (x, W[, b])',
                    '{} input(s)'.format(n))
    x, w = in_data[:2]
    nd = geometry.ndim
    _check.float_kind(func, 'x', x)
    _check.same_dtype(func, ('x', 'W', 'b')[:n], in_data)
    _check.ndim_equal(func, 'x', x, nd + 2)
    _check.ndim_equal(func, 'W', w, nd + 2)
    g = geometry.groups
    if transposed:
        if x.shape[1] != w.shape[0]:
            _check.fail(func, 'x.shape[1] == W.shape[0]',
                        '{} != {}'.format(x.shape[1], w.shape[0]))
        if x.shape[1] % g:
            _check.fail(func, 'x.shape[1] divisible by groups={}'.format(g),
                        'x.shape[1] == {}'.format(x.shape[1]))
        out_channels = w.shape[1] * g
    else:
        if x.shape[1] != w.shape[1] * g:
            _check.fail(func, 'x.shape[1] == W.shape[1] * groups ({})'.format(
                g), '{} != {}'.format(x.shape[1], w.shape[1] * g))
        if w.shape[0] % g:
            _check.fail(func, 'W.shape[0] divisible by groups={}'.format(g),
                        'W.shape[0] == {}'.format(w.shape[0]))
        out = geometry.out_size(x.shape[2:], w.shape[2:])
        if any(o <= 0 for o in out):
            _check.fail(func, 'a non-empty output',
                        'input size {}, kernel {}, stride {}, pad {}, '
                        'dilate {} give output size {}'.format(
                            tuple(x.shape[2:]), tuple(w.shape[2:]),
                            geometry.stride, geometry.pad, geometry.dilate,
                            out))
        out_channels = w.shape[0]
    if n == 3:
        b = in_data[2]
        _check.ndim_equal(func, 'b', b, 1)
        if b.shape[0] != out_channels:
            _check.fail(func, 'b.shape[0] == {} (output channels)'.format(
                out_channels), 'b.shape[0] == {}'.format(b.shape[0]))


def _inputs(x, W, b):
    return (x, W) if b is None else (x, W, b)


def convolution_nd(x, W, b=None, stride=1, pad=0, cover_all=False,
                   dilate=1, groups=1):
    """N-dimensional convolution (cross-correlation).

    Args:
        x: input (N, C, d_1, ..., d_n), float.
        W: filters (O, C / groups, k_1, ..., k_n).
        b: optional bias (O,).
        stride, pad, dilate: ints or n-tuples.
        cover_all (bool): extend the output so every input element is
            covered (pooling-style rounding up).
        groups (int): channel groups; C and O must be divisible by it.
    Returns:
        Variable (N, O, o_1, ..., o_n) with
        ``o = (d + 2p - (k + (k-1)(dilate-1))) // s + 1``.
    """
    ndim = len(W.shape) - 2
    return ConvolutionND(ndim, stride, pad, cover_all, dilate,
                         groups).apply(_inputs(x, W, b))[0]


def convolution_1d(x, W, b=None, stride=1, pad=0, cover_all=False,
                   dilate=1, groups=1):
    """1-D convolution; see ``convolution_nd``."""
    _expect_ndim('convolution_1d', W, 1)
    return convolution_nd(x, W, b, stride, pad, cover_all, dilate, groups)


def convolution_2d(x, W, b=None, stride=1, pad=0, cover_all=False, *,
                   dilate=1, groups=1):
    """2-D convolution of ``x`` (N, C, H, W) with ``W`` (O, C/groups, kh,
    kw); see ``convolution_nd``."""
    _expect_ndim('convolution_2d', W, 2)
    return convolution_nd(x, W, b, stride, pad, cover_all, dilate, groups)


def convolution_3d(x, W, b=None, stride=1, pad=0, cover_all=False,
                   dilate=1, groups=1):
    """3-D convolution; see ``convolution_nd``."""
    _expect_ndim('convolution_3d', W, 3)
    return convolution_nd(x, W, b, stride, pad, cover_all, dilate, groups)


def deconvolution_nd(x, W, b=None, stride=1, pad=0, outsize=None,
                     dilate=1, groups=1):
    """N-dimensional transposed convolution (the gradient of
    ``convolution_nd`` with respect to its input).

    Args:
        x: input (N, C, d_1, ..., d_n).
        W: filters (C, O / groups, k_1, ..., k_n).
        b: optional bias (O,).
        outsize: output spatial size; default
            ``s (d - 1) + k + (k-1)(dilate-1) - 2p``.
    Returns:
        Variable (N, O, *outsize).
    """
    ndim = len(W.shape) - 2
    return DeconvolutionND(ndim, stride, pad, outsize, dilate,
                           groups).apply(_inputs(x, W, b))[0]


def deconvolution_1d(x, W, b=None, stride=1, pad=0, outsize=None,
                     dilate=1, groups=1):
    """1-D transposed convolution; see ``deconvolution_nd``."""
    _expect_ndim('deconvolution_1d', W, 1)
    return deconvolution_nd(x, W, b, stride, pad, outsize, dilate, groups)


def deconvolution_2d(x, W, b=None, stride=1, pad=0, outsize=None, *,
                     dilate=1, groups=1):
    """2-D transposed convolution; see ``deconvolution_nd``."""
    _expect_ndim('deconvolution_2d', W, 2)
    return deconvolution_nd(x, W, b, stride, pad, outsize, dilate, groups)


def deconvolution_3d(x, W, b=None, stride=1, pad=0, outsize=None,
                     dilate=1, groups=1):
    """3-D transposed convolution; see ``deconvolution_nd``."""
    _expect_ndim('deconvolution_3d', W, 3)
    return deconvolution_nd(x, W, b, stride, pad, outsize, dilate, groups)


def _expect_ndim(name, W, spatial):
    if len(W.shape) != spatial + 2:
        raise ValueError('{}: W must have {} axes (out, in, {} kernel '
                         'axes), got shape {}'.format(
                             name, spatial + 2, spatial, tuple(W.shape)))
