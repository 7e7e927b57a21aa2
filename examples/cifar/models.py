"""The image classifiers of the CIFAR example, from a single linear layer
to Shake-Shake regularised residual networks.

Every model maps a batch of ``(N, 3, H, W)`` float32 images to ``(N,
n_class)`` unnormalised scores; wrap it in ``L.Classifier`` to train.
Widths are arguments so that the tests can build tiny versions.
"""
import dynet as chainer
from dynet import backend
import dynet.functions as F
import dynet.links as L


class LinearModel(chainer.Chain):
    """Multinomial logistic regression on the raw pixels."""

    def __init__(self, n_class=10):
        super().__init__()
        with self.init_scope():
            self.fc = L.Linear(None, n_class)

    def forward(self, x):
        return self.fc(x)


class MLP(chainer.Chain):
    """Two hidden ReLU layers on the flattened pixels."""

    def __init__(self, n_class=10, n_units=512):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, n_units)
            self.l2 = L.Linear(None, n_units)
            self.l3 = L.Linear(None, n_class)

    def forward(self, x):
        h = F.relu(self.l1(x))
        h = F.relu(self.l2(h))
        return self.l3(h)


class SmallCNN(chainer.Chain):
    """Two conv + ReLU + 2x2 max-pooling stages and two linear layers."""

    def __init__(self, n_class=10, width=32):
        super().__init__()
        with self.init_scope():
            self.conv1 = L.Convolution2D(None, width, 3, pad=1)
            self.conv2 = L.Convolution2D(width, 2 * width, 3, pad=1)
            self.fc1 = L.Linear(None, 4 * width)
            self.fc2 = L.Linear(4 * width, n_class)

    def forward(self, x):
        h = F.max_pooling_2d(F.relu(self.conv1(x)), 2)
        h = F.max_pooling_2d(F.relu(self.conv2(h)), 2)
        return self.fc2(F.relu(self.fc1(h)))


class ConvBNReLU(chainer.Chain):
    """3x3 convolution (no bias: BN has one) + BatchNormalization + ReLU."""

    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        with self.init_scope():
            self.conv = L.Convolution2D(in_channels, out_channels, 3,
                                        stride=stride, pad=1, nobias=True)
            self.bn = L.BatchNormalization(out_channels)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


def global_average_pooling(h):
    return F.mean(h, axis=(2, 3))


class BNCNN(chainer.Chain):
    """Stages of conv-BN-ReLU blocks; each stage after the first starts with
    a stride-2 block (downsampling) and ends with dropout; global average
    pooling and a linear classifier on top.

    ``widths`` gives the channels of each stage and ``depth`` the number of
    blocks per stage. BatchNormalization uses batch statistics while
    training and its running averages in test mode (``config.train``
    False), and dropout is the identity in test mode.
    """

    def __init__(self, n_class=10, widths=(32, 64, 128), depth=1,
                 dropout=0.2):
        super().__init__()
        self.dropout = dropout
        self.n_stages = len(widths)
        in_channels = 3
        with self.init_scope():
            for s, width in enumerate(widths):
                blocks = chainer.ChainList()
                for b in range(depth):
                    stride = 2 if s > 0 and b == 0 else 1
                    blocks.add_link(ConvBNReLU(in_channels, width, stride))
                    in_channels = width
                setattr(self, 'stage{}'.format(s), blocks)
            self.fc = L.Linear(in_channels, n_class)

    def forward(self, x):
        h = x
        for s in range(self.n_stages):
            for block in getattr(self, 'stage{}'.format(s)):
                h = block(h)
            if self.dropout:
                h = F.dropout(h, self.dropout)
        return self.fc(global_average_pooling(h))


def DeepCNN(n_class=10, widths=(64, 128, 256), depth=3, dropout=0.3):
    """The BN CNN made deeper and wider: three blocks per stage."""
    return BNCNN(n_class, widths, depth, dropout)


class ResidualBlock(chainer.Chain):
    """``relu(x + bn(conv(relu(bn(conv(x))))))``; when the shape changes the
    shortcut is a strided 1x1 convolution + BN (a projection)."""

    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        with self.init_scope():
            self.conv1 = L.Convolution2D(in_channels, out_channels, 3,
                                         stride=stride, pad=1, nobias=True)
            self.bn1 = L.BatchNormalization(out_channels)
            self.conv2 = L.Convolution2D(out_channels, out_channels, 3,
                                         pad=1, nobias=True)
            self.bn2 = L.BatchNormalization(out_channels)
            if stride != 1 or in_channels != out_channels:
                self.proj = L.Convolution2D(in_channels, out_channels, 1,
                                            stride=stride, nobias=True)
                self.proj_bn = L.BatchNormalization(out_channels)
            else:
                self.proj = None

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        h = self.bn2(self.conv2(h))
        shortcut = x if self.proj is None else self.proj_bn(self.proj(x))
        return F.relu(h + shortcut)


class ResNet(chainer.Chain):
    """A CIFAR ResNet: a 3x3 stem, ``len(widths)`` stages of ``depth``
    residual blocks (stride 2 at the start of every stage but the first),
    global average pooling and a linear layer."""

    block = ResidualBlock

    def __init__(self, n_class=10, widths=(16, 32, 64), depth=2):
        super().__init__()
        with self.init_scope():
            self.stem = ConvBNReLU(3, widths[0])
            self.blocks = chainer.ChainList()
            in_channels = widths[0]
            for s, width in enumerate(widths):
                for b in range(depth):
                    stride = 2 if s > 0 and b == 0 else 1
                    self.blocks.add_link(
                        self.block(in_channels, width, stride))
                    in_channels = width
            self.fc = L.Linear(in_channels, n_class)

    def forward(self, x):
        h = self.stem(x)
        for block in self.blocks:
            h = block(h)
        return self.fc(global_average_pooling(h))


class ShakeShake(chainer.FunctionNode):
    """``y = a * x1 + (1 - a) * x2`` with a per-sample coefficient.

    Training (``config.train`` True when ``apply`` runs): the forward pass
    draws ``alpha ~ U(0, 1)`` for every sample, and the backward pass draws
    a fresh, independent ``beta ~ U(0, 1)`` per sample and returns
    ``beta * gy`` and ``(1 - beta) * gy`` -- not the gradient of the
    forward computation. Test mode uses 0.5 in both directions.

    The coefficients come from ``numpy.random`` (or ``cupy.random``), so
    seeding it makes them reproducible; the last ones drawn are kept in
    ``self.alpha`` and ``self.beta`` (shape ``(N, 1, 1, 1)``).
    """

    alpha = None
    beta = None

    def _coefficient(self, xp, x):
        shape = (x.shape[0],) + (1,) * (x.ndim - 1)
        if self.train:
            return xp.random.uniform(0, 1, shape).astype(x.dtype)
        return xp.full(shape, 0.5, dtype=x.dtype)

    def forward(self, inputs):
        x1, x2 = inputs
        xp = backend.get_array_module(x1)
        self.train = chainer.config.train
        self.alpha = self._coefficient(xp, x1)
        return self.alpha * x1 + (1 - self.alpha) * x2,

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        xp = backend.get_array_module(gy.array)
        self.beta = self._coefficient(xp, gy.array)
        return gy * self.beta, gy * (1 - self.beta)


def shake_shake(x1, x2):
    """Mixes two residual branches with Shake-Shake (see ``ShakeShake``)."""
    return ShakeShake().apply((x1, x2))[0]


class ShakeShakeBlock(chainer.Chain):
    """Two residual branches ``bn(conv(relu(bn(conv(relu(x))))))`` mixed
    by ``shake_shake`` and added to the (projected) shortcut."""

    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        with self.init_scope():
            self.branch1 = self._branch(in_channels, out_channels, stride)
            self.branch2 = self._branch(in_channels, out_channels, stride)
            if stride != 1 or in_channels != out_channels:
                self.proj = L.Convolution2D(in_channels, out_channels, 1,
                                            stride=stride, nobias=True)
                self.proj_bn = L.BatchNormalization(out_channels)
            else:
                self.proj = None

    @staticmethod
    def _branch(in_channels, out_channels, stride):
        return chainer.Sequential(
            F.relu,
            L.Convolution2D(in_channels, out_channels, 3, stride=stride,
                            pad=1, nobias=True),
            L.BatchNormalization(out_channels),
            F.relu,
            L.Convolution2D(out_channels, out_channels, 3, pad=1,
                            nobias=True),
            L.BatchNormalization(out_channels))

    def forward(self, x):
        h = shake_shake(self.branch1(x), self.branch2(x))
        shortcut = x if self.proj is None else self.proj_bn(self.proj(x))
        return h + shortcut


class ShakeShakeResNet(ResNet):
    """The ResNet with Shake-Shake blocks (two branches per block)."""

    block = ShakeShakeBlock


def build(name, n_class=10, small=False):
    """The model called ``name`` (the ``--model`` choices of train.py);
    ``small`` gives narrow versions for quick tests."""
    if name == 'linear':
        return LinearModel(n_class)
    if name == 'mlp':
        return MLP(n_class, 32 if small else 512)
    if name == 'cnn':
        return SmallCNN(n_class, 4 if small else 32)
    if name == 'bncnn':
        return BNCNN(n_class, (4, 8, 8) if small else (32, 64, 128))
    if name == 'deepcnn':
        return (BNCNN(n_class, (4, 8, 8), depth=2) if small
                else DeepCNN(n_class))
    if name == 'resnet':
        return ResNet(n_class, (4, 8, 8) if small else (16, 32, 64),
                      depth=1 if small else 2)
    if name == 'shakeshake':
        return ShakeShakeResNet(n_class, (4, 8, 8) if small else (16, 32, 64),
                                depth=1 if small else 2)
    raise ValueError('unknown model: {}'.format(name))


MODELS = ('linear', 'mlp', 'cnn', 'bncnn', 'deepcnn', 'resnet', 'shakeshake')
