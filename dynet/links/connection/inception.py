"""Inception module of GoogLeNet (``chainer.links.Inception``)."""
from dynet import link
from dynet.functions.activation.relu import relu
from dynet.functions.array.concat import concat
from dynet.functions.pooling.max_pooling_nd import max_pooling_2d
from dynet.links.connection.convolution_nd import Convolution2D


class Inception(link.Chain):
    """Inception module of GoogLeNet (Szegedy et al., "Going Deeper with
    Convolutions").

    Four paths see the input and their outputs are concatenated along the
    channels, then passed through ReLU:

    - ``conv1``: 1x1 convolution to ``out1`` channels;
    - ``proj3`` (1x1 to ``proj3``), ReLU, ``conv3`` (3x3, pad 1, to
      ``out3``);
    - ``proj5`` (1x1 to ``proj5``), ReLU, ``conv5`` (5x5, pad 2, to
      ``out5``);
    - 3x3 max pooling (stride 1, pad 1), ``projp`` (1x1 to
      ``proj_pool``).

    The output keeps the spatial size and has ``out1 + out3 + out5 +
    proj_pool`` channels.

    Args:
        in_channels (int or None): input channels (None: deferred).
        out1, proj3, out3, proj5, out5, proj_pool (int): channels of the
            paths, as above.
        conv_init: initializer of the convolution weights (None: the
            default of :class:`Convolution2D`).
        bias_init: initializer of the biases (None: zero).
    """

    def __init__(self, in_channels, out1, proj3, out3, proj5, out5,
                 proj_pool, conv_init=None, bias_init=None):
        super().__init__()
        init = {'initialW': conv_init, 'initial_bias': bias_init}
        with self.init_scope():
            self.conv1 = Convolution2D(in_channels, out1, 1, **init)
            self.proj3 = Convolution2D(in_channels, proj3, 1, **init)
            self.conv3 = Convolution2D(proj3, out3, 3, pad=1, **init)
            self.proj5 = Convolution2D(in_channels, proj5, 1, **init)
            self.conv5 = Convolution2D(proj5, out5, 5, pad=2, **init)
            self.projp = Convolution2D(in_channels, proj_pool, 1, **init)

    def forward(self, x):
        """Output (n, out1 + out3 + out5 + proj_pool, h, w)."""
        out1 = self.conv1(x)
        out3 = self.conv3(relu(self.proj3(x)))
        out5 = self.conv5(relu(self.proj5(x)))
        pool = self.projp(max_pooling_2d(x, 3, stride=1, pad=1))
        return relu(concat((out1, out3, out5, pool), axis=1))
