"""Deformable convolution layer (Dai et al., "Deformable Convolutional
Networks"): ``chainer.links.DeformableConvolution2D``."""
from dynet import initializers
from dynet import link
from dynet.functions.connection.deformable_convolution_2d_sampler import (
    deformable_convolution_2d_sampler)
from dynet.links._bias import bias_parameter
from dynet.links.connection.convolution_nd import Convolution2D
from dynet.utils import conv as conv_util
from dynet.variable import Parameter


class DeformableConvolution2D(link.Chain):
    """Two-dimensional deformable convolution layer.

    A convolution ``offset_conv`` predicts, for each output position and
    each of the ``kh * kw`` filter taps, a horizontal and a vertical
    offset (``2 kh kw`` channels); ``deform_conv`` then convolves the input
    sampled at the shifted positions (bilinear interpolation), see
    :func:`dynet.functions.deformable_convolution_2d_sampler`.

    Args:
        in_channels (int or None): input channels (None: deferred to the
            first call).
        out_channels (int): output channels.
        ksize (int or pair of ints): filter size of both convolutions.
        stride (int or pair of ints): stride of both convolutions.
        pad (int or pair of ints): padding of both convolutions.
        offset_nobias (bool): no bias in ``offset_conv``.
        offset_initialW: initializer of ``offset_conv.W`` (default
            LeCunNormal, as :class:`Convolution2D`).
        offset_initial_bias: initializer of ``offset_conv.b`` (default 0).
        deform_nobias (bool): no bias in ``deform_conv``.
        deform_initialW: initializer of ``deform_conv.W`` (default zero,
            as in Chainer).
        deform_initial_bias: initializer of ``deform_conv.b`` (default 0).

    Attributes:
        offset_conv (Convolution2D): ``in_channels -> 2 kh kw``.
        deform_conv (DeformableConvolution2DSampler): holds ``W``
            (out_channels, in_channels, kh, kw) and ``b``.
    """

    def __init__(self, in_channels, out_channels, ksize, stride=1, pad=0,
                 offset_nobias=False, offset_initialW=None,
                 offset_initial_bias=None, deform_nobias=False,
                 deform_initialW=None, deform_initial_bias=None):
        super().__init__()
        kh, kw = conv_util.as_tuple(ksize, 2, 'ksize')
        with self.init_scope():
            self.offset_conv = Convolution2D(
                in_channels, 2 * kh * kw, ksize, stride, pad,
                offset_nobias, offset_initialW, offset_initial_bias)
            self.deform_conv = DeformableConvolution2DSampler(
                in_channels, out_channels, ksize, stride, pad,
                deform_nobias, deform_initialW, deform_initial_bias)

    def forward(self, x):
        """Output (n, out_channels, h_O, w_O) for ``x`` (n, c, h, w)."""
        offset = self.offset_conv(x)
        return self.deform_conv(x, offset)


class DeformableConvolution2DSampler(link.Link):
    """Holds the filters ``W`` (out_channels, in_channels, kh, kw) and the
    bias ``b`` of :func:`dynet.functions.deformable_convolution_2d_sampler`
    and applies it to an input and its offsets: ``forward(x, offset)``.

    Args:
        in_channels (int or None): input channels (None: deferred).
        out_channels (int): output channels.
        ksize, stride, pad (int or pair of ints): see the function.
        nobias (bool): no bias.
        initialW: initializer of ``W`` (default zero).
        initial_bias: initializer of ``b`` (default 0).
    """

    def __init__(self, in_channels, out_channels, ksize, stride=1, pad=0,
                 nobias=False, initialW=None, initial_bias=None):
        super().__init__()
        self.ksize = ksize
        self.stride = conv_util.as_tuple(stride, 2, 'stride')
        self.pad = conv_util.as_tuple(pad, 2, 'pad')
        self.out_channels = out_channels
        self.initialW = initialW
        if initialW is None:
            initialW = initializers.Zero()
        with self.init_scope():
            self.W = Parameter(initializers._get_initializer(initialW))
            self.b = bias_parameter(nobias, initial_bias)
        if in_channels is not None:
            self._initialize_params(in_channels)

    def _initialize_params(self, in_channels):
        kh, kw = conv_util.as_tuple(self.ksize, 2, 'ksize')
        self.W.initialize((self.out_channels, in_channels, kh, kw))
        if self.b is not None:
            self.b.initialize(self.out_channels)

    def forward(self, x, offset):
        """Deformable convolution of ``x`` (n, c, h, w) with ``offset``
        (n, 2 kh kw, h_O, w_O)."""
        if self.W.array is None:
            self._initialize_params(x.shape[1])
        return deformable_convolution_2d_sampler(
            x, offset, self.W, self.b, self.stride, self.pad)
