"""MLP convolution layer of Network in Network
(``chainer.links.MLPConvolution2D``)."""
from dynet import link
from dynet.functions.activation.relu import relu
from dynet.links.connection.convolution_nd import Convolution2D

_USE_CUDNN_REMOVED = ('use_cudnn argument is not supported anymore. Use '
                      "chainer.using_config('use_cudnn', ...)")


class MLPConvolution2D(link.ChainList):
    """"mlpconv" layer of Lin et al., "Network in Network": a 2-D
    convolution followed by 1x1 convolutions, with ``activation`` between
    them (not after the last one).

    ``MLPConvolution2D(out_channels, ksize, ...)`` (without
    ``in_channels``) defers the input size to the first call.

    Args:
        in_channels (int or None): input channels.
        out_channels (tuple of ints): output channels of each convolution
            (at least one).
        ksize (int or pair of ints): filter size of the first convolution.
        stride (int or pair of ints): stride of the first convolution.
        pad (int or pair of ints): padding of the first convolution.
        activation (callable): applied between the convolutions (default
            ReLU).
        conv_init: initializer of the weights (None: the default of
            :class:`Convolution2D`).
        bias_init: initializer of the biases (None: zero).

    Attributes:
        activation (callable): the activation function.
    """

    def __init__(self, in_channels, out_channels, ksize=None, stride=1,
                 pad=0, activation=relu, conv_init=None, bias_init=None,
                 **kwargs):
        if 'use_cudnn' in kwargs:
            raise ValueError('MLPConvolution2D: ' + _USE_CUDNN_REMOVED)
        if kwargs:
            raise TypeError('MLPConvolution2D() got unexpected keyword '
                            'argument(s) {}'.format(', '.join(
                                repr(k) for k in sorted(kwargs))))
        if ksize is None:
            out_channels, ksize, in_channels = in_channels, out_channels, None
        out_channels = tuple(out_channels)
        if not out_channels:
            raise ValueError('MLPConvolution2D: out_channels must list at '
                             'least one convolution, got ()')
        init = {'initialW': conv_init, 'initial_bias': bias_init}
        convs = [Convolution2D(in_channels, out_channels[0], ksize, stride,
                               pad, **init)]
        for n_in, n_out in zip(out_channels, out_channels[1:]):
            convs.append(Convolution2D(n_in, n_out, 1, **init))
        super().__init__(*convs)
        self.activation = activation

    def forward(self, x):
        """Output (n, out_channels[-1], h_O, w_O)."""
        for conv in self[:-1]:
            x = self.activation(conv(x))
        return self[-1](x)
