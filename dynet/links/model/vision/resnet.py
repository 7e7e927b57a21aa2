"""Residual networks (He et al., "Deep Residual Learning for Image
Recognition", CVPR 2016) with 50, 101 and 152 layers as feature
extractors and ImageNet classifiers (``chainer.links.ResNet50Layers``,
``ResNet101Layers``, ``ResNet152Layers``).

Layer names, parameter shapes and NPZ keys (``conv1/W``, ``bn1/gamma``,
``res2/a/conv1/W``, ..., ``fc6/b``) are those of Chainer's models, so an
NPZ file Chainer converted from the MSRA Caffe models loads here with
``pretrained_model=path``.

Differences from Chainer:

- ``forward`` rejects unknown layer names (Chainer ignores them and runs
  the whole network).
- ``ResNetLayers`` itself also accepts ``pretrained_model='auto'``.
- ``convert_caffemodel_to_npz`` of the subclasses converts their own depth
  (in Chainer it fails there), and a layer missing from the Caffe model
  or with another shape raises ``ValueError`` naming it.
- conv1's bias is copied from the Caffe model whenever it has one (the
  released ResNet-101/152 models have none, so the result is Chainer's).
"""
import collections
import importlib.util
import os

from dynet import link
from dynet.functions.activation.relu import relu
from dynet.functions.activation.softmax import softmax
from dynet.functions.array.reshape import reshape
from dynet.functions.pooling.average_pooling_nd import average_pooling_2d
from dynet.functions.pooling.max_pooling_nd import max_pooling_2d
from dynet.initializers import constant
from dynet.initializers import normal
from dynet.links.connection.convolution_nd import Convolution2D
from dynet.links.connection.linear import Linear
from dynet.links.model.vision import _imagenet
from dynet.links.normalization.batch_normalization import (
    BatchNormalization)
from dynet.serializers import npz

# Whether Pillow (needed by ``prepare``, ``extract`` and ``predict``) is
# installed; it is imported on first use.
available = importlib.util.find_spec('PIL') is not None

__all__ = ['BottleneckA', 'BottleneckB', 'BuildingBlock', 'ResNetLayers',
           'ResNet50Layers', 'ResNet101Layers', 'ResNet152Layers',
           'prepare']

# Per-channel mean pixel (B, G, R) subtracted by ``prepare``: the one the
# MSRA models were trained with.
_MEAN_BGR = (103.063, 115.903, 123.152)

# Output channels of conv1; (bottleneck channels, output channels, stride)
# of the stages res2 ... res5; bottlenecks per stage for each depth.
_STEM_CHANNELS = 64
_STAGES = ((64, 256, 1), (128, 512, 2), (256, 1024, 2), (512, 2048, 2))
_BLOCKS = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3)}
_N_CLASSES = 1000

_CAFFEMODEL_NAME = 'ResNet-{}-model.caffemodel'
_NPZ_NAME = 'ResNet-{}-model.npz'

# pretrained_model value for a model whose weights are about to be
# overwritten (by a conversion): zero-initialized, nothing loaded.
_BLANK = object()


def _check_n_layers(n_layers):
    if n_layers not in _BLOCKS:
        raise ValueError('The n_layers argument should be either 50, 101, '
                         'or 152, but {!r} was given.'.format(n_layers))


class BottleneckA(link.Chain):
    """Bottleneck that changes the number of channels (and, with ``stride
    > 1``, the resolution): ``relu(bn3(conv3(h)) + bn4(conv4(x)))`` where
    ``h = relu(bn2(conv2(relu(bn1(conv1(x))))))``.

    ``conv1`` (1x1) and ``conv3`` (1x1) go to ``mid_channels`` and
    ``out_channels``, ``conv2`` is 3x3 (pad 1), ``conv4`` (1x1, stride
    ``stride``) is the projection shortcut; no convolution has a bias.

    Args:
        in_channels (int): input channels.
        mid_channels (int): channels inside the bottleneck.
        out_channels (int): output channels.
        stride (int or pair of ints): stride of the block.
        initialW: initializer of the convolution weights.
        downsample_fb (bool): put the stride on the 3x3 convolution
            (Facebook's ResNet) instead of the first 1x1 one (MSRA's
            original, used by the Caffe models).
    """

    def __init__(self, in_channels, mid_channels, out_channels, stride=2,
                 initialW=None, downsample_fb=False):
        super().__init__()
        stride_1x1, stride_3x3 = (1, stride) if downsample_fb else \
            (stride, 1)
        with self.init_scope():
            self.conv1 = Convolution2D(in_channels, mid_channels, 1,
                                       stride_1x1, 0, initialW=initialW,
                                       nobias=True)
            self.bn1 = BatchNormalization(mid_channels)
            self.conv2 = Convolution2D(mid_channels, mid_channels, 3,
                                       stride_3x3, 1, initialW=initialW,
                                       nobias=True)
            self.bn2 = BatchNormalization(mid_channels)
            self.conv3 = Convolution2D(mid_channels, out_channels, 1, 1, 0,
                                       initialW=initialW, nobias=True)
            self.bn3 = BatchNormalization(out_channels)
            self.conv4 = Convolution2D(in_channels, out_channels, 1, stride,
                                       0, initialW=initialW, nobias=True)
            self.bn4 = BatchNormalization(out_channels)

    def forward(self, x):
        h = relu(self.bn1(self.conv1(x)))
        h = relu(self.bn2(self.conv2(h)))
        h = self.bn3(self.conv3(h))
        return relu(h + self.bn4(self.conv4(x)))


class BottleneckB(link.Chain):
    """Bottleneck that keeps the shape: ``relu(bn3(conv3(h)) + x)`` with
    ``h`` as in :class:`BottleneckA` (1x1 to ``mid_channels``, 3x3, 1x1
    back to ``in_channels``; no biases).

    Args:
        in_channels (int): input and output channels.
        mid_channels (int): channels inside the bottleneck.
        initialW: initializer of the convolution weights.
    """

    def __init__(self, in_channels, mid_channels, initialW=None):
        super().__init__()
        with self.init_scope():
            self.conv1 = Convolution2D(in_channels, mid_channels, 1, 1, 0,
                                       initialW=initialW, nobias=True)
            self.bn1 = BatchNormalization(mid_channels)
            self.conv2 = Convolution2D(mid_channels, mid_channels, 3, 1, 1,
                                       initialW=initialW, nobias=True)
            self.bn2 = BatchNormalization(mid_channels)
            self.conv3 = Convolution2D(mid_channels, in_channels, 1, 1, 0,
                                       initialW=initialW, nobias=True)
            self.bn3 = BatchNormalization(in_channels)

    def forward(self, x):
        h = relu(self.bn1(self.conv1(x)))
        h = relu(self.bn2(self.conv2(h)))
        return relu(self.bn3(self.conv3(h)) + x)


class BuildingBlock(link.Chain):
    """A stage of a ResNet: one :class:`BottleneckA` (child ``a``) then
    ``n_layer - 1`` :class:`BottleneckB` (children ``b1``, ``b2``, ...),
    applied in turn.

    Args:
        n_layer (int): number of bottlenecks.
        in_channels (int): input channels.
        mid_channels (int): channels inside the bottlenecks.
        out_channels (int): output channels.
        stride (int or pair of ints): stride of the first bottleneck.
        initialW: initializer of the convolution weights.
        downsample_fb (bool): see :class:`BottleneckA`.
    """

    def __init__(self, n_layer, in_channels, mid_channels, out_channels,
                 stride, initialW=None, downsample_fb=False):
        super().__init__()
        with self.init_scope():
            self.a = BottleneckA(in_channels, mid_channels, out_channels,
                                 stride, initialW, downsample_fb)
            self._forward = ['a']
            for i in range(1, n_layer):
                name = 'b{}'.format(i)
                setattr(self, name, BottleneckB(out_channels, mid_channels,
                                                initialW))
                self._forward.append(name)

    def forward(self, x):
        for name in self._forward:
            x = getattr(self, name)(x)
        return x


def _max_pooling_3x3(x):
    return max_pooling_2d(x, ksize=3, stride=2)


def _global_average_pooling_2d(x):
    n, channels, rows, cols = x.shape
    h = average_pooling_2d(x, (rows, cols), stride=1)
    return reshape(h, (n, channels))


class ResNetLayers(_imagenet.ImageNetLayers):
    """Residual network with 50, 101 or 152 layers (He et al., 2016), for
    extracting image features or classifying ImageNet images.

    ``conv1`` (7x7, stride 2, 64 channels) with ``bn1`` and ReLU, 3x3 max
    pooling (stride 2), the stages ``res2`` ... ``res5``
    (:class:`BuildingBlock` of 3/4/6/3, 3/4/23/3 or 3/8/36/3 bottlenecks,
    256/512/1024/2048 output channels), global average pooling, ``fc6``
    (1000 class scores) and a softmax. Inputs are batches of BGR images
    with the mean pixel subtracted, as ``prepare`` makes them (224x224 for
    the pretrained models; global pooling accepts other sizes).

    Unlike the VGG models, the weights are not downloaded: the MSRA Caffe
    models (https://github.com/KaimingHe/deep-residual-networks) must be
    placed in the dataset cache by hand for ``'auto'``.

    Args:
        pretrained_model (str or None): ``None`` (or ``''``): random
            weights (``HeNormal(scale=1.0)`` convolutions, as in the
            paper). A path to an NPZ file with Chainer's keys: load it. A
            name or path ending in ``.caffemodel``: the converted model
            ``<dataset root>/pfnet/chainer/models/ResNet-{n}-model.npz``
            is loaded, made on first use from that Caffe model (a relative
            name is looked up in the same directory). ``'auto'``: the
            same with ``ResNet-{n}-model.caffemodel``.
        n_layers (int): 50, 101 or 152.
        downsample_fb (bool): stride on the 3x3 convolutions (Facebook's
            ResNet) instead of the 1x1 ones (MSRA's).

    Attributes:
        available_layers (list of str): the names ``forward`` accepts:
            ``conv1``, ``pool1``, ``res2`` ... ``res5``, ``pool5``,
            ``fc6``, ``prob``.
    """

    _mean_bgr = _MEAN_BGR

    def __init__(self, pretrained_model, n_layers, downsample_fb=False):
        super().__init__()
        _check_n_layers(n_layers)
        self._n_layers = n_layers
        if isinstance(pretrained_model, os.PathLike):
            pretrained_model = os.fspath(pretrained_model)
        blank = pretrained_model is _BLANK
        if blank:
            pretrained_model = None
        if pretrained_model == 'auto':
            pretrained_model = _CAFFEMODEL_NAME.format(n_layers)
        if pretrained_model or blank:
            # The weights are overwritten by the file: skip the sampling.
            initialW = constant.Zero()
            fc_kwargs = {'initialW': constant.Zero()}
        else:
            initialW = normal.HeNormal(scale=1.0)
            fc_kwargs = {}
        with self.init_scope():
            self.conv1 = Convolution2D(3, _STEM_CHANNELS, 7, 2, 3,
                                       initialW=initialW)
            self.bn1 = BatchNormalization(_STEM_CHANNELS)
            in_channels = _STEM_CHANNELS
            for stage, ((mid, out, stride), n_blocks) in enumerate(
                    zip(_STAGES, _BLOCKS[n_layers]), 2):
                setattr(self, 'res{}'.format(stage), BuildingBlock(
                    n_blocks, in_channels, mid, out, stride,
                    initialW=initialW, downsample_fb=downsample_fb))
                in_channels = out
            self.fc6 = Linear(in_channels, _N_CLASSES, **fc_kwargs)
        if pretrained_model and pretrained_model.endswith('.caffemodel'):
            npz.load_npz(_auto_npz_path(pretrained_model, n_layers), self)
        elif pretrained_model:
            npz.load_npz(pretrained_model, self)

    @property
    def functions(self):
        """Ordered dict: layer name -> list of callables applied in turn
        to produce that layer's activation from the previous one."""
        return collections.OrderedDict([
            ('conv1', [self.conv1, self.bn1, relu]),
            ('pool1', [_max_pooling_3x3]),
            ('res2', [self.res2]),
            ('res3', [self.res3]),
            ('res4', [self.res4]),
            ('res5', [self.res5]),
            ('pool5', [_global_average_pooling_2d]),
            ('fc6', [self.fc6]),
            ('prob', [softmax]),
        ])

    @classmethod
    def convert_caffemodel_to_npz(cls, path_caffemodel, path_npz,
                                  n_layers=50):
        """Converts an MSRA Caffe model (``ResNet-{50,101,152}-model``) to
        an NPZ file with this model's keys (written atomically).

        The Caffe layers ``conv1``, ``bn_conv1`` + ``scale_conv1``,
        ``res{s}{b}_branch{2a,2b,2c,1}`` with their ``bn`` and ``scale``
        layers (blocks ``a, b, c, ...``, or ``a, b1, b2, ...`` in res3 and
        res4 of the deeper models) and ``fc1000`` are copied. A missing
        layer, or one with another shape, raises ``ValueError`` naming
        it.
        """
        _check_n_layers(n_layers)
        source = _imagenet.CaffeSource(path_caffemodel,
                                       'ResNet-{}'.format(n_layers))
        model = ResNetLayers(pretrained_model=_BLANK, n_layers=n_layers)
        _transfer(source, model, n_layers)
        npz.save_npz(path_npz, model, compression=False)


def _subclass_n_layers(cls, n_layers):
    if n_layers not in (None, cls._depth):
        raise ValueError('{}.convert_caffemodel_to_npz converts ResNet-{} '
                         'models, got n_layers={!r}'.format(
                             cls.__name__, cls._depth, n_layers))
    return cls._depth


class _FixedDepthResNet(ResNetLayers):
    """A ResNetLayers of the depth ``_depth``."""

    _depth = None

    def __init__(self, pretrained_model='auto', downsample_fb=False):
        super().__init__(pretrained_model, self._depth, downsample_fb)

    @classmethod
    def convert_caffemodel_to_npz(cls, path_caffemodel, path_npz,
                                  n_layers=None):
        """Converts ``ResNet-{depth}-model.caffemodel``; see
        ``ResNetLayers.convert_caffemodel_to_npz``."""
        ResNetLayers.convert_caffemodel_to_npz(
            path_caffemodel, path_npz, _subclass_n_layers(cls, n_layers))


class ResNet50Layers(_FixedDepthResNet):
    """ResNet with 50 layers (25,557,096 parameters); see
    :class:`ResNetLayers`.

    Args:
        pretrained_model (str or None): ``'auto'`` (default): the converted
            ``ResNet-50-model.caffemodel`` of the dataset cache; a path to
            an NPZ file; a ``.caffemodel`` name or path; None: random
            weights.
        downsample_fb (bool): see :class:`ResNetLayers`.
    """

    _depth = 50


class ResNet101Layers(_FixedDepthResNet):
    """ResNet with 101 layers (44,549,224 parameters); see
    :class:`ResNetLayers` and :class:`ResNet50Layers`."""

    _depth = 101


class ResNet152Layers(_FixedDepthResNet):
    """ResNet with 152 layers (60,192,872 parameters); see
    :class:`ResNetLayers` and :class:`ResNet50Layers`."""

    _depth = 152


def prepare(image, size=(224, 224)):
    """Converts an image to the input format of the ResNet models: RGB,
    resized to ``size`` ((width, height); None keeps the size), BGR order,
    the mean pixel (B, G, R) = (103.063, 115.903, 123.152) subtracted,
    channels first.

    Args:
        image (PIL.Image or numpy.ndarray): an image; an array is (height,
            width) grey levels, (1 or 3, height, width) or (height, width,
            3), RGB, values in [0, 255].
        size (pair of ints or None): the size to resize to.
    Returns:
        numpy.ndarray (3, height, width) of ``dynet.get_dtype()``.
    """
    return _imagenet.prepare(image, size, _MEAN_BGR)


def _auto_npz_path(caffemodel_name, n_layers):
    """The converted model in the dataset cache, made on first use from
    ``caffemodel_name`` (relative to the cache directory)."""
    return _imagenet.cached_conversion(
        _NPZ_NAME.format(n_layers), caffemodel_name,
        lambda caffemodel, path: ResNetLayers.convert_caffemodel_to_npz(
            caffemodel, path, n_layers),
        _missing_caffemodel)


def _missing_caffemodel(caffemodel):
    raise OSError(
        'The pre-trained caffemodel does not exist. Please download it '
        "from 'https://github.com/KaimingHe/deep-residual-networks', "
        'and place it on {}'.format(caffemodel))


def _caffe_block_names(n_layers, stage, n_blocks):
    """Caffe's names of the bottlenecks of a stage: ``2a, 2b, 2c`` ...,
    except in res3 and res4 of ResNet-101/152: ``3a, 3b1, 3b2`` ..."""
    if n_layers == 50 or stage in (2, 5):
        return ['{}{}'.format(stage, chr(ord('a') + i))
                for i in range(n_blocks)]
    return ['{}a'.format(stage)] + ['{}b{}'.format(stage, i)
                                    for i in range(1, n_blocks)]


def _transfer(source, model, n_layers):
    conv1 = source.layer('conv1')
    source.copy_linear('conv1', model.conv1,
                       bias=getattr(conv1, 'b', None) is not None)
    source.copy_batch_norm('bn_conv1', 'scale_conv1', model.bn1)
    for stage, n_blocks in enumerate(_BLOCKS[n_layers], 2):
        block = getattr(model, 'res{}'.format(stage))
        names = _caffe_block_names(n_layers, stage, n_blocks)
        for child, name in zip(block._forward, names):
            bottleneck = getattr(block, child)
            branches = ['2a', '2b', '2c'] + (['1'] if child == 'a' else [])
            for i, branch in enumerate(branches, 1):
                suffix = '{}_branch{}'.format(name, branch)
                source.copy_linear('res' + suffix,
                                   getattr(bottleneck, 'conv{}'.format(i)),
                                   bias=False)
                source.copy_batch_norm('bn' + suffix, 'scale' + suffix,
                                       getattr(bottleneck, 'bn{}'.format(i)))
    source.copy_linear('fc1000', model.fc6)
