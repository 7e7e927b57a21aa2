"""Inception module with batch normalization
(``chainer.links.InceptionBN``)."""
from dynet import link
from dynet.config import get_dtype
from dynet.functions.activation.relu import relu
from dynet.functions.array.concat import concat
from dynet.functions.pooling.average_pooling_nd import average_pooling_2d
from dynet.functions.pooling.max_pooling_nd import max_pooling_2d
from dynet.links.connection.convolution_nd import Convolution2D
from dynet.links.normalization.batch_normalization import (
    BatchNormalization)


class InceptionBN(link.Chain):
    """Inception module of the batch-normalized GoogLeNet (Ioffe and
    Szegedy, "Batch Normalization: Accelerating Deep Network Training by
    Reducing Internal Covariate Shift").

    Like :class:`Inception`, but every convolution (without bias) is
    followed by batch normalization and ReLU, the 5x5 path is two 3x3
    convolutions, and the pooling is configurable. Paths, concatenated
    along the channels in this order:

    - if ``out1 > 0``: ``conv1`` (1x1 to ``out1``), ``conv1n``, ReLU;
    - ``proj3`` (1x1 to ``proj3``), ``proj3n``, ReLU, ``conv3`` (3x3,
      pad 1, stride ``stride``, to ``out3``), ``conv3n``, ReLU;
    - ``proj33`` (1x1 to ``proj33``), ``proj33n``, ReLU, ``conv33a`` (3x3,
      pad 1, to ``out33``), ``conv33an``, ReLU, ``conv33b`` (3x3, pad 1,
      stride ``stride``), ``conv33bn``, ReLU;
    - 3x3 pooling (pad 1, stride ``stride``; max pooling without
      ``cover_all``, or average pooling), then, if ``proj_pool`` is given,
      ``poolp`` (1x1 to ``proj_pool``), ``poolpn``, ReLU.

    Args:
        in_channels (int or None): input channels (None: deferred to
            the first call).
        out1 (int): channels of the 1x1 path (0: no such path).
        proj3, out3 (int): channels of the 3x3 path.
        proj33, out33 (int): channels of the double 3x3 path.
        pooltype (str): ``'max'`` or ``'avg'``.
        proj_pool (int or None): channels of the pooling path's
            projection (None: no projection).
        stride (int): stride of the last step of each path; must be 1
            when ``out1 > 0``.
        conv_init: initializer of the convolution weights (None: the
            default of :class:`Convolution2D`).
        dtype: dtype of the batch normalization parameters (None:
            ``dynet.get_dtype()``).

    Raises:
        NotImplementedError: ``pooltype`` is neither ``'max'`` nor
            ``'avg'``.
        ValueError: ``out1 > 0`` with ``stride != 1`` or without
            ``proj_pool`` (Chainer asserts these).
    """

    def __init__(self, in_channels, out1, proj3, out3, proj33, out33,
                 pooltype, proj_pool=None, stride=1, conv_init=None,
                 dtype=None):
        super().__init__()
        if pooltype not in ('max', 'avg'):
            raise NotImplementedError(
                "InceptionBN: pooltype must be 'max' or 'avg', got "
                '{!r}'.format(pooltype))
        if out1 > 0 and stride != 1:
            raise ValueError(
                'InceptionBN: the 1x1 path (out1={}) needs stride == 1, got '
                'stride={}'.format(out1, stride))
        if out1 > 0 and proj_pool is None:
            raise ValueError('InceptionBN: the 1x1 path (out1={}) needs '
                             'proj_pool, got None'.format(out1))
        self.out1 = out1
        self.proj_pool = proj_pool
        self.stride = stride
        self.pooltype = pooltype
        dtype = get_dtype(dtype)

        def conv(n_in, n_out, ksize, stride=1):
            return Convolution2D(n_in, n_out, ksize, stride=stride,
                                 pad=ksize // 2, nobias=True,
                                 initialW=conv_init)

        def norm(size):
            return BatchNormalization(size, dtype=dtype)

        with self.init_scope():
            self.proj3 = conv(in_channels, proj3, 1)
            self.conv3 = conv(proj3, out3, 3, stride)
            self.proj33 = conv(in_channels, proj33, 1)
            self.conv33a = conv(proj33, out33, 3)
            self.conv33b = conv(out33, out33, 3, stride)
            self.proj3n = norm(proj3)
            self.conv3n = norm(out3)
            self.proj33n = norm(proj33)
            self.conv33an = norm(out33)
            self.conv33bn = norm(out33)
            if out1 > 0:
                self.conv1 = conv(in_channels, out1, 1)
                self.conv1n = norm(out1)
            if proj_pool is not None:
                self.poolp = conv(in_channels, proj_pool, 1)
                self.poolpn = norm(proj_pool)

    def forward(self, x):
        """Output: the paths' outputs concatenated along axis 1."""
        outs = []
        if self.out1 > 0:
            outs.append(relu(self.conv1n(self.conv1(x))))
        h3 = relu(self.proj3n(self.proj3(x)))
        outs.append(relu(self.conv3n(self.conv3(h3))))
        h33 = relu(self.proj33n(self.proj33(x)))
        h33 = relu(self.conv33an(self.conv33a(h33)))
        outs.append(relu(self.conv33bn(self.conv33b(h33))))
        if self.pooltype == 'max':
            p = max_pooling_2d(x, 3, stride=self.stride, pad=1,
                               cover_all=False)
        else:
            p = average_pooling_2d(x, 3, stride=self.stride, pad=1)
        if self.proj_pool is not None:
            p = relu(self.poolpn(self.poolp(p)))
        outs.append(p)
        return concat(outs, axis=1)
