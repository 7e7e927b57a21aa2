"""Depthwise convolution layer."""
import numpy

from dynet import initializers
from dynet import link
from dynet.functions.connection.depthwise_convolution_2d import (
    depthwise_convolution_2d)
from dynet.links._bias import bias_parameter
from dynet.utils import conv as conv_util
from dynet.variable import Parameter


class DepthwiseConvolution2D(link.Link):
    """Holds the filters ``W`` (channel_multiplier, in_channels, kh, kw)
    and the bias ``b`` (in_channels * channel_multiplier,) of
    ``F.depthwise_convolution_2d``.

    Args:
        in_channels (int or None): input channels; None defers the
            parameters' initialization to the first call.
        channel_multiplier (int): filters per input channel.
        ksize (int or pair of ints): filter size.
        stride, pad (int or pair of ints): see the function.
        nobias (bool): no bias.
        initialW: initializer of ``W`` (default ``HeNormal(1 /
            sqrt(2))``).
        initial_bias: initializer of ``b`` (default 0).
    """

    def __init__(self, in_channels, channel_multiplier, ksize, stride=1,
                 pad=0, nobias=False, initialW=None, initial_bias=None):
        super().__init__()
        self.ksize = ksize
        self.stride = conv_util.as_tuple(stride, 2, 'stride')
        self.pad = conv_util.as_tuple(pad, 2, 'pad')
        self.channel_multiplier = channel_multiplier
        self.nobias = nobias
        if initialW is None:
            initialW = initializers.HeNormal(1. / numpy.sqrt(2))
        with self.init_scope():
            self.W = Parameter(initializers._get_initializer(initialW))
            self.b = bias_parameter(nobias, initial_bias)
        if in_channels is not None:
            self._initialize_params(in_channels)

    def _initialize_params(self, in_channels):
        kh, kw = conv_util.as_tuple(self.ksize, 2, 'ksize')
        self.W.initialize((self.channel_multiplier, in_channels, kh, kw))
        if self.b is not None:
            self.b.initialize(self.channel_multiplier * in_channels)

    def forward(self, x):
        """Output (N, in_channels * channel_multiplier, h_O, w_O)."""
        if self.W.array is None:
            self._initialize_params(x.shape[1])
        return depthwise_convolution_2d(x, self.W, self.b, self.stride,
                                        self.pad)
