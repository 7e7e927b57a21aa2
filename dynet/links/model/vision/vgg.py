"""VGG networks (Simonyan and Zisserman, "Very Deep Convolutional Networks
for Large-Scale Image Recognition", ICLR 2015) as feature extractors and
ImageNet classifiers (``chainer.links.VGG16Layers`` / ``VGG19Layers``).

Layer names, parameter shapes and NPZ keys (``conv1_1/W`` ... ``fc8/b``)
are those of Chainer's models, so an NPZ file Chainer wrote for them (for
instance the ``VGG_ILSVRC_16_layers.npz`` it converts from the Caffe model)
loads here with ``pretrained_model=path``.

Differences from Chainer:

- ``pretrained_model='auto'`` works as in Chainer (the converted file in
  the dataset cache, ``<dataset root>/pfnet/chainer/models/
  VGG_ILSVRC_{16,19}_layers.npz``; otherwise the Caffe model is
  downloaded from the VGG authors' site and converted with
  ``dynet.links.caffe.CaffeFunction``), except that a ``.caffemodel``
  already placed next to where the npz goes is converted without a
  download.
- ``forward`` rejects unknown layer names (Chainer ignores them and runs
  the whole network).
"""
import collections
import importlib.util
import os

from dynet.dataset import download
from dynet.functions.activation.relu import relu
from dynet.functions.activation.softmax import softmax
from dynet.functions.noise.dropout import dropout
from dynet.functions.pooling.max_pooling_nd import max_pooling_2d
from dynet.initializers import constant
from dynet.initializers import normal
from dynet.links.connection.convolution_nd import Convolution2D
from dynet.links.connection.linear import Linear
from dynet.links.model.vision import _imagenet
from dynet.serializers import npz

# Whether Pillow (needed by ``prepare``, ``extract`` and ``predict``) is
# installed; it is imported on first use.
available = importlib.util.find_spec('PIL') is not None

__all__ = ['VGGLayers', 'VGG16Layers', 'VGG19Layers', 'prepare']

# Per-channel mean of the ILSVRC training images, in BGR order (the
# statistics the Caffe models were trained with).
_MEAN_BGR = (103.939, 116.779, 123.68)

# Output channels of the five convolution blocks, and the number of 3x3
# convolutions in each block per depth.
_BLOCK_CHANNELS = (64, 128, 256, 512, 512)
_BLOCK_DEPTHS = {16: (2, 2, 3, 3, 3), 19: (2, 2, 4, 4, 4)}
# Units of fc6 and fc7, and the number of classes (fc8).
_FC_UNITS = 4096
_N_CLASSES = 1000


def _conv_layout(n_layers):
    """[(name, in_channels, out_channels)] of the convolutions, in order,
    and the names of the blocks' last convolutions."""
    layout = []
    block_ends = []
    in_channels = 3
    for block, (channels, depth) in enumerate(
            zip(_BLOCK_CHANNELS, _BLOCK_DEPTHS[n_layers]), 1):
        for i in range(1, depth + 1):
            layout.append(('conv{}_{}'.format(block, i), in_channels,
                           channels))
            in_channels = channels
        block_ends.append(layout[-1][0])
    return layout, block_ends


def _pool(x):
    return max_pooling_2d(x, ksize=2)


_CAFFEMODEL_URL = ('http://www.robots.ox.ac.uk/%7Evgg/software/very_deep/'
                   'caffe/VGG_ILSVRC_{}_layers.caffemodel')


def _auto_model_path(n_layers):
    """The converted npz in the dataset cache, made on first use from the
    Caffe model (a ``.caffemodel`` beside it, or downloaded)."""
    name = 'VGG_ILSVRC_{}_layers'.format(n_layers)
    return _imagenet.cached_conversion(
        name + '.npz', name + '.caffemodel',
        lambda caffemodel, path: VGGLayers.convert_caffemodel_to_npz(
            caffemodel, path, n_layers),
        lambda _: download.cached_download(_CAFFEMODEL_URL.format(n_layers)))


class VGGLayers(_imagenet.ImageNetLayers):
    """VGG network with 16 or 19 weight layers (Simonyan and Zisserman,
    2015), for extracting image features or classifying ImageNet images.

    Thirteen (sixteen for VGG19) 3x3 convolutions with ReLU in five blocks,
    each block followed by 2x2 max pooling, then three fully connected
    layers (``fc6``, ``fc7``: 4096 units with ReLU and dropout; ``fc8``:
    1000 class scores) and a softmax (``prob``). Inputs are batches of
    224x224 BGR images with the ImageNet mean subtracted, as ``prepare``
    makes them.

    Args:
        pretrained_model (str or None): ``None`` (or ``''``): random
            weights, as in the paper (``W`` from a normal distribution of
            standard deviation 0.01, ``b`` zero). A path: load an NPZ
            file with Chainer's keys (``conv1_1/W`` ... ``fc8/b``).
            ``'auto'``: load the converted Caffe model from the dataset
            cache, converting it there on first use (see the module
            docstring).
        n_layers (int): 16 or 19.

    Attributes:
        available_layers (list of str): the names ``forward`` accepts in
            ``layers``: ``conv1_1`` ... ``pool5``, ``fc6``, ``fc7``,
            ``fc8``, ``prob``, in network order.
    """

    _mean_bgr = _MEAN_BGR
    _extract_layers = ('fc7',)

    def __init__(self, pretrained_model='auto', n_layers=16):
        super().__init__()
        if n_layers not in _BLOCK_DEPTHS:
            raise ValueError(
                'The n_layers argument should be either 16 or 19, but {!r} '
                'was given.'.format(n_layers))
        self._n_layers = n_layers
        if isinstance(pretrained_model, os.PathLike):
            pretrained_model = os.fspath(pretrained_model)
        path = None
        if pretrained_model == 'auto':
            path = _auto_model_path(n_layers)
        elif pretrained_model:
            path = pretrained_model
        if path is not None:
            # The weights are overwritten by the file: skip the sampling.
            kwargs = {'initialW': constant.Zero(),
                      'initial_bias': constant.Zero()}
        else:
            kwargs = {'initialW': normal.Normal(0.01),
                      'initial_bias': constant.Zero()}
        layout, self._block_ends = _conv_layout(n_layers)
        with self.init_scope():
            for name, in_channels, out_channels in layout:
                setattr(self, name, Convolution2D(
                    in_channels, out_channels, 3, 1, 1, **kwargs))
            self.fc6 = Linear(_BLOCK_CHANNELS[-1] * 7 * 7, _FC_UNITS,
                              **kwargs)
            self.fc7 = Linear(_FC_UNITS, _FC_UNITS, **kwargs)
            self.fc8 = Linear(_FC_UNITS, _N_CLASSES, **kwargs)
        if path is not None:
            npz.load_npz(path, self)

    @property
    def functions(self):
        """Ordered dict: layer name -> list of callables applied in turn
        to produce that layer's activation from the previous one."""
        layout, _ = _conv_layout(self._n_layers)
        stages = []
        block = 1
        for name, _, _ in layout:
            stages.append((name, [getattr(self, name), relu]))
            if name == self._block_ends[block - 1]:
                stages.append(('pool{}'.format(block), [_pool]))
                block += 1
        stages += [
            ('fc6', [self.fc6, relu, dropout]),
            ('fc7', [self.fc7, relu, dropout]),
            ('fc8', [self.fc8]),
            ('prob', [softmax]),
        ]
        return collections.OrderedDict(stages)

    @classmethod
    def convert_caffemodel_to_npz(cls, path_caffemodel, path_npz,
                                  n_layers=16):
        """Converts the Caffe model of VGG to an NPZ file with this
        model's keys.

        Reads the ``.caffemodel`` (``VGG_ILSVRC_{16,19}_layers``, either
        Caffe format) with :class:`dynet.links.caffe.CaffeFunction`,
        copies every convolution and fully connected layer (same names in
        both) into a fresh model and saves it with ``save_npz``
        (atomically). A layer missing from the Caffe model, or one with
        another shape, raises ``ValueError`` naming it.
        """
        source = _imagenet.CaffeSource(path_caffemodel,
                                       'VGG-{}'.format(n_layers))
        model = VGGLayers(pretrained_model=None, n_layers=n_layers)
        for name, target in model.namedlinks(skipself=True):
            source.copy_linear(name.lstrip('/'), target)
        npz.save_npz(path_npz, model, compression=False)


class VGG16Layers(VGGLayers):
    """VGG network with 16 weight layers; see ``VGGLayers``.

    Args:
        pretrained_model (str or None): ``None``: random weights; a path:
            an NPZ file with Chainer's keys; ``'auto'``: the converted
            Caffe model from the dataset cache, made on first use.
    """

    def __init__(self, pretrained_model='auto'):
        super().__init__(pretrained_model, 16)

    @classmethod
    def convert_caffemodel_to_npz(cls, path_caffemodel, path_npz):
        """Converts ``VGG_ILSVRC_16_layers.caffemodel``; see
        ``VGGLayers.convert_caffemodel_to_npz``."""
        VGGLayers.convert_caffemodel_to_npz(path_caffemodel, path_npz, 16)


class VGG19Layers(VGGLayers):
    """VGG network with 19 weight layers; see ``VGGLayers``.

    Args:
        pretrained_model (str or None): ``None``: random weights; a path:
            an NPZ file with Chainer's keys; ``'auto'``: the converted
            Caffe model from the dataset cache, made on first use.
    """

    def __init__(self, pretrained_model='auto'):
        super().__init__(pretrained_model, 19)

    @classmethod
    def convert_caffemodel_to_npz(cls, path_caffemodel, path_npz):
        """Converts ``VGG_ILSVRC_19_layers.caffemodel``; see
        ``VGGLayers.convert_caffemodel_to_npz``."""
        VGGLayers.convert_caffemodel_to_npz(path_caffemodel, path_npz, 19)


def prepare(image, size=(224, 224)):
    """Converts an image to the input format of the VGG models.

    The image is converted to RGB, resized to ``size``, reordered to BGR,
    the ImageNet mean (B, G, R) = (103.939, 116.779, 123.68) subtracted,
    and laid out channels first.

    Args:
        image (PIL.Image or numpy.ndarray): an image; an array is either
            (height, width) grey levels, or (channels, height, width) with
            1 or 3 channels in RGB order, values in [0, 255] (converted to
            uint8), or (height, width, 3) RGB.
        size (pair of ints): (width, height) to resize to (PIL's order);
            ``None`` (or empty) keeps the size.
    Returns:
        numpy.ndarray: (3, height, width) of ``dynet.get_dtype()``
        (float32 by default).
    """
    return _imagenet.prepare(image, size, _MEAN_BGR)
