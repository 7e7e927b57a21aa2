"""Convolution and transposed-convolution layers (1-D, 2-D, 3-D, N-D)."""
from dynet import initializers
from dynet import link
from dynet.functions.connection.convolution_nd import (
    convolution_nd, deconvolution_nd)
from dynet.links._bias import bias_parameter
from dynet.utils import conv as conv_util
from dynet.variable import Parameter


class _ConvBase(link.Link):
    """Shared parameter handling; ``in_channels=None`` infers it from the
    first input."""

    def __init__(self, ndim, in_channels, out_channels, ksize, stride, pad,
                 nobias, initialW, initial_bias, dilate, groups):
        super().__init__()
        self.ndim = ndim
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.ksize = conv_util.as_tuple(ksize, ndim, 'ksize')
        self.stride = stride
        self.pad = pad
        self.dilate = dilate
        self.groups = int(groups)
        with self.init_scope():
            self.W = Parameter(initializers._get_initializer(initialW))
            if in_channels is not None:
                self._initialize_params(in_channels)
            self.b = bias_parameter(nobias, initial_bias, self._bias_size())

    def _bias_size(self):
        return self.out_channels

    def _ensure_initialized(self, x):
        if self.W.array is None:
            self.in_channels = x.shape[1]
            self._initialize_params(x.shape[1])

    @property
    def printable_specs(self):
        for name in ('in_channels', 'out_channels', 'ksize', 'stride',
                     'pad', 'dilate', 'groups'):
            yield name, getattr(self, name)
        yield 'nobias', self.b is None


def _split_channels(in_channels, out_channels, ksize):
    """Chainer's shorthand: (out_channels, ksize) with in_channels None."""
    if ksize is None:
        return None, in_channels, out_channels
    return in_channels, out_channels, ksize


class ConvolutionND(_ConvBase):
    """N-dimensional convolution layer.

    Args:
        ndim (int): number of spatial axes.
        in_channels (int or None), out_channels (int), ksize: as in
            ``F.convolution_nd``; W has shape (out_channels,
            in_channels / groups, *ksize).
        stride, pad, dilate, groups, cover_all: see ``F.convolution_nd``.
        nobias, initialW, initial_bias: as in ``Linear``.
    """

    def __init__(self, ndim, in_channels, out_channels, ksize=None,
                 stride=1, pad=0, nobias=False, initialW=None,
                 initial_bias=None, cover_all=False, dilate=1, groups=1):
        in_channels, out_channels, ksize = _split_channels(
            in_channels, out_channels, ksize)
        self.cover_all = cover_all
        super().__init__(ndim, in_channels, out_channels, ksize, stride, pad,
                         nobias, initialW, initial_bias, dilate, groups)

    def _initialize_params(self, in_channels):
        if in_channels % self.groups:
            raise ValueError('{}: in_channels ({}) must be divisible by '
                             'groups ({})'.format(type(self).__name__,
                                                  in_channels, self.groups))
        self.W.initialize((self.out_channels, in_channels // self.groups) +
                          self.ksize)

    def forward(self, x):
        self._ensure_initialized(x)
        return convolution_nd(x, self.W, self.b, self.stride, self.pad,
                              self.cover_all, self.dilate, self.groups)


class Convolution1D(ConvolutionND):
    """1-D convolution layer; see ``ConvolutionND``."""

    def __init__(self, in_channels, out_channels, ksize=None, stride=1,
                 pad=0, nobias=False, initialW=None, initial_bias=None,
                 cover_all=False, dilate=1, groups=1):
        super().__init__(1, in_channels, out_channels, ksize, stride, pad,
                         nobias, initialW, initial_bias, cover_all, dilate,
                         groups)


class Convolution2D(ConvolutionND):
    """2-D convolution layer; ``Convolution2D(out_channels, ksize)`` infers
    in_channels. See ``ConvolutionND``."""

    def __init__(self, in_channels, out_channels, ksize=None, stride=1,
                 pad=0, nobias=False, initialW=None, initial_bias=None, *,
                 dilate=1, groups=1):
        super().__init__(2, in_channels, out_channels, ksize, stride, pad,
                         nobias, initialW, initial_bias, False, dilate,
                         groups)


class Convolution3D(ConvolutionND):
    """3-D convolution layer; see ``ConvolutionND``."""

    def __init__(self, in_channels, out_channels, ksize=None, stride=1,
                 pad=0, nobias=False, initialW=None, initial_bias=None,
                 cover_all=False, dilate=1, groups=1):
        super().__init__(3, in_channels, out_channels, ksize, stride, pad,
                         nobias, initialW, initial_bias, cover_all, dilate,
                         groups)


class DilatedConvolution2D(ConvolutionND):
    """2-D convolution with dilation (Chainer's separate link)."""

    def __init__(self, in_channels, out_channels, ksize=None, stride=1,
                 pad=0, dilate=1, nobias=False, initialW=None,
                 initial_bias=None):
        super().__init__(2, in_channels, out_channels, ksize, stride, pad,
                         nobias, initialW, initial_bias, False, dilate, 1)


class DeconvolutionND(_ConvBase):
    """N-dimensional transposed convolution layer; W has shape
    (in_channels, out_channels / groups, *ksize)."""

    def __init__(self, ndim, in_channels, out_channels, ksize=None,
                 stride=1, pad=0, nobias=False, outsize=None,
                 initialW=None, initial_bias=None, dilate=1, groups=1):
        in_channels, out_channels, ksize = _split_channels(
            in_channels, out_channels, ksize)
        self.outsize = outsize
        super().__init__(ndim, in_channels, out_channels, ksize, stride, pad,
                         nobias, initialW, initial_bias, dilate, groups)

    def _initialize_params(self, in_channels):
        if self.out_channels % self.groups:
            raise ValueError('{}: out_channels ({}) must be divisible by '
                             'groups ({})'.format(type(self).__name__,
                                                  self.out_channels,
                                                  self.groups))
        self.W.initialize((in_channels, self.out_channels // self.groups) +
                          self.ksize)

    def forward(self, x):
        self._ensure_initialized(x)
        return deconvolution_nd(x, self.W, self.b, self.stride, self.pad,
                                self.outsize, self.dilate, self.groups)


class Deconvolution1D(DeconvolutionND):
    """1-D transposed convolution layer."""

    def __init__(self, in_channels, out_channels, ksize=None, stride=1,
                 pad=0, nobias=False, outsize=None, initialW=None,
                 initial_bias=None, dilate=1, groups=1):
        super().__init__(1, in_channels, out_channels, ksize, stride, pad,
                         nobias, outsize, initialW, initial_bias, dilate,
                         groups)


class Deconvolution2D(DeconvolutionND):
    """2-D transposed convolution layer."""

    def __init__(self, in_channels, out_channels, ksize=None, stride=1,
                 pad=0, nobias=False, outsize=None, initialW=None,
                 initial_bias=None, *, dilate=1, groups=1):
        super().__init__(2, in_channels, out_channels, ksize, stride, pad,
                         nobias, outsize, initialW, initial_bias, dilate,
                         groups)


class Deconvolution3D(DeconvolutionND):
    """3-D transposed convolution layer."""

    def __init__(self, in_channels, out_channels, ksize=None, stride=1,
                 pad=0, nobias=False, outsize=None, initialW=None,
                 initial_bias=None, dilate=1, groups=1):
        super().__init__(3, in_channels, out_channels, ksize, stride, pad,
                         nobias, outsize, initialW, initial_bias, dilate,
                         groups)
