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

import numpy

from dynet import link
from dynet.config import get_dtype, no_backprop_mode, using_config
from dynet.dataset import download
from dynet.dataset.convert import concat_examples
from dynet.functions.activation.relu import relu
from dynet.functions.activation.softmax import softmax
from dynet.functions.array.reshape import reshape
from dynet.functions.math.sum import sum as _sum
from dynet.functions.noise.dropout import dropout
from dynet.functions.pooling.max_pooling_nd import max_pooling_2d
from dynet.initializers import constant
from dynet.initializers import normal
from dynet.links.connection.convolution_nd import Convolution2D
from dynet.links.connection.linear import Linear
from dynet.serializers import npz
from dynet.variable import Variable

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

_CACHE_DIRECTORY = 'pfnet/chainer/models/'


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


def _npz_name(n_layers):
    return 'VGG_ILSVRC_{}_layers.npz'.format(n_layers)


def _cached_npz_path(n_layers):
    """Where ``pretrained_model='auto'`` looks for the converted model."""
    directory = download.get_dataset_directory(_CACHE_DIRECTORY,
                                               create_directory=False)
    return os.path.join(directory, _npz_name(n_layers))


_CAFFEMODEL_URL = ('http://www.robots.ox.ac.uk/%7Evgg/software/very_deep/'
                   'caffe/VGG_ILSVRC_{}_layers.caffemodel')


def _auto_model_path(n_layers):
    """The converted npz in the dataset cache, made on first use from the
    Caffe model (a ``.caffemodel`` beside it, or downloaded)."""
    path = _cached_npz_path(n_layers)
    if os.path.exists(path):
        return path
    caffemodel = path[:-len('.npz')] + '.caffemodel'
    if not os.path.exists(caffemodel):
        caffemodel = download.cached_download(
            _CAFFEMODEL_URL.format(n_layers))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    VGGLayers.convert_caffemodel_to_npz(caffemodel, path, n_layers)
    return path


def _check_forward_kwargs(kwargs, names):
    """Chainer's errors for removed and unknown keyword arguments."""
    for name in names:
        if name in kwargs:
            raise ValueError(
                '{} argument is not supported anymore. Use '
                "dynet.using_config('train', False) (and "
                'dynet.no_backprop_mode()) instead'.format(name))
    if kwargs:
        raise TypeError('got unexpected keyword argument(s): {}'.format(
            ', '.join(sorted(kwargs))))


class VGGLayers(link.Chain):
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

    @property
    def available_layers(self):
        return list(self.functions.keys())

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
        from dynet.links.caffe import CaffeFunction
        caffemodel = CaffeFunction(path_caffemodel)
        model = VGGLayers(pretrained_model=None, n_layers=n_layers)
        for name, target in model.namedlinks(skipself=True):
            name = name.lstrip('/')
            if not hasattr(caffemodel, name):
                raise ValueError(
                    'convert_caffemodel_to_npz: {} has no layer {!r} (is it '
                    'a VGG-{} model?)'.format(path_caffemodel, name,
                                              model._n_layers))
            source = getattr(caffemodel, name)
            for param_name in ('W', 'b'):
                src = getattr(source, param_name).array
                dst = getattr(target, param_name)
                if src.size != dst.size:
                    raise ValueError(
                        'convert_caffemodel_to_npz: layer {} {} has {} values '
                        'in {}, expected shape {}'.format(
                            name, param_name, src.size, path_caffemodel,
                            dst.shape))
                dst.array[...] = src.reshape(dst.shape)
        npz.save_npz(path_npz, model, compression=False)

    def forward(self, x, layers=None, **kwargs):
        """Computes the activations of the requested layers.

        The network stops after the last requested layer, so asking only
        for early layers is cheap. Dropout (after ``fc6`` and ``fc7``)
        follows ``config.train``: use ``using_config('train', False)`` to
        get deterministic features.

        Args:
            x (Variable or array): batch of images (n, 3, 224, 224), BGR,
                mean subtracted (see ``prepare``).
            layers (list of str): names from ``available_layers``
                (default ``['prob']``).
        Returns:
            dict: layer name -> Variable, for each requested layer.
        """
        _check_forward_kwargs(kwargs, ('test',))
        if layers is None:
            layers = ['prob']
        functions = self.functions
        targets = set(layers)
        unknown = targets.difference(functions)
        if unknown:
            raise ValueError(
                '{}: unknown layer name(s) {}; available layers: {}'.format(
                    type(self).__name__, sorted(unknown),
                    ', '.join(functions)))
        activations = {}
        h = x
        for name, funcs in functions.items():
            if not targets:
                break
            for func in funcs:
                h = func(h)
            if name in targets:
                activations[name] = h
                targets.discard(name)
        return activations

    def extract(self, images, layers=None, size=(224, 224), **kwargs):
        """Extracts features of images.

        Each image is converted with ``prepare(image, size)`` and the batch
        is run through ``forward``. Call it under ``using_config('train',
        False)`` (to turn dropout off) and ``no_backprop_mode()`` (to save
        memory) for plain feature extraction.

        Args:
            images (iterable of PIL.Image or numpy.ndarray): input images
                (arrays: see ``prepare``).
            layers (list of str): layers to return (default ``['fc7']``).
            size (pair of ints): (width, height) images are resized to;
                ``None`` keeps their size (they must then all have one).
        Returns:
            dict: layer name -> Variable, for each requested layer.
        """
        _check_forward_kwargs(kwargs, ('test', 'volatile'))
        if layers is None:
            layers = ['fc7']
        x = concat_examples([prepare(image, size=size) for image in images])
        x = Variable(self.xp.asarray(x))
        return self(x, layers=layers)

    def predict(self, images, oversample=True):
        """Class probabilities of images (ImageNet's 1000 classes).

        Each image is resized to 256x256; then either the ten 224x224 crops
        (four corners and the centre, and their mirror images) are
        classified and the probabilities averaged (``oversample=True``), or
        only the central crop is. Runs in test mode without building a
        graph.

        Args:
            images (iterable of PIL.Image or numpy.ndarray): input images.
            oversample (bool): average over ten crops.
        Returns:
            Variable (n, 1000): probabilities of each image.
        """
        x = concat_examples([prepare(image, size=(256, 256))
                             for image in images])
        if oversample:
            x = _ten_crops(x, (224, 224))
        else:
            x = x[:, :, 16:240, 16:240]
        with no_backprop_mode(), \
                using_config('train', False):
            x = Variable(self.xp.asarray(x))
            y = self(x, layers=['prob'])['prob']
            if oversample:
                n = len(y) // 10
                y = reshape(y, (n, 10) + y.shape[1:])
                y = _sum(y, axis=1) / 10
        return y


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


def _ten_crops(images, crop_size):
    """(n, c, h, w) -> (10 n, c, ch, cw): for each image, in turn, its
    four corner crops, its centre crop, and those five mirrored."""
    _, _, h, w = images.shape
    ch, cw = crop_size
    if ch > h or cw > w:
        raise ValueError('crop {} larger than the images ({}, {})'.format(
            crop_size, h, w))
    top, left = (h - ch) // 2, (w - cw) // 2
    origins = [(0, 0), (0, w - cw), (h - ch, 0), (h - ch, w - cw),
               (top, left)]
    crops = []
    for image in images:
        five = [image[:, y:y + ch, x:x + cw] for y, x in origins]
        crops.extend(five)
        crops.extend(crop[:, :, ::-1] for crop in five)
    return numpy.stack(crops)


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
    try:
        from PIL import Image
    except ImportError as error:
        raise ImportError(
            'PIL cannot be loaded. Install Pillow (pip install Pillow) to '
            'use prepare.') from error
    dtype = get_dtype()
    if isinstance(image, numpy.ndarray):
        if image.ndim == 3:
            if image.shape[0] == 1:
                image = image[0]
            elif image.shape[0] == 3:
                image = image.transpose(1, 2, 0)
        image = Image.fromarray(image.astype(numpy.uint8))
    image = image.convert('RGB')
    if size:
        image = image.resize(tuple(size))
    array = numpy.asarray(image, dtype=dtype)[:, :, ::-1]
    array = array - numpy.array(_MEAN_BGR, dtype=dtype)
    return numpy.ascontiguousarray(array.transpose(2, 0, 1))
