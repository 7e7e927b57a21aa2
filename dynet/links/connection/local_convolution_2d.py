"""Local (unshared-weight) convolution layer."""
from dynet import initializers
from dynet import link
from dynet.functions.connection.local_convolution_2d import (
    local_convolution_2d)
from dynet.links._bias import bias_parameter
from dynet.utils import conv as conv_util
from dynet.variable import Parameter


class LocalConvolution2D(link.Link):
    """Holds the filters ``W`` (out_channels, h_O, w_O, in_channels, kh,
    kw) and the bias ``b`` (out_channels, h_O, w_O) of
    ``F.local_convolution_2d``.

    Args:
        in_channels (int or None): input channels.
        out_channels (int): output channels.
        in_size (int, pair of ints or None): input spatial size. If it or
            ``in_channels`` is None, the parameters are initialized at the
            first call, from the input's shape.
        ksize (int or pair of ints): filter size.
        stride (int or pair of ints): stride; ``(h_O, w_O) = ((h - kh) //
            sy + 1, (w - kw) // sx + 1)``.
        nobias (bool): no bias.
        initialW: initializer of ``W`` (default ``LeCunNormal``).
        initial_bias: initializer of ``b`` (default 0).
    """

    def __init__(self, in_channels, out_channels, in_size=None, ksize=None,
                 stride=1, nobias=False, initialW=None, initial_bias=None):
        super().__init__()
        if ksize is None:
            raise ValueError('LocalConvolution2D: ksize must be given')
        self.ksize = ksize
        self.stride = conv_util.as_tuple(stride, 2, 'stride')
        self.nobias = nobias
        self.out_channels = out_channels
        with self.init_scope():
            self.W = Parameter(initializers._get_initializer(initialW))
            self.b = bias_parameter(nobias, initial_bias)
            if in_channels is not None and in_size is not None:
                self._initialize_params(
                    in_channels, conv_util.as_tuple(in_size, 2, 'in_size'))

    def _initialize_params(self, in_channels, in_size):
        kh, kw = conv_util.as_tuple(self.ksize, 2, 'ksize')
        out = tuple(conv_util.get_conv_outsize(n, k, s, 0)
                    for n, k, s in zip(in_size, (kh, kw), self.stride))
        if any(o <= 0 for o in out):
            raise ValueError(
                'LocalConvolution2D: input size {} is smaller than the '
                'filter {}'.format(tuple(in_size), (kh, kw)))
        self.W.initialize((self.out_channels,) + out + (in_channels, kh, kw))
        if self.b is not None:
            self.b.initialize((self.out_channels,) + out)

    def forward(self, x):
        """Output (N, out_channels, h_O, w_O)."""
        if self.W.array is None:
            self._initialize_params(x.shape[1], x.shape[2:])
        return local_convolution_2d(x, self.W, self.b, self.stride)
