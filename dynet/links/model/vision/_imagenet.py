"""Pieces shared by the pretrained ImageNet models (``VGG*Layers``,
``ResNet*Layers``, ``GoogLeNet``): image preparation, their base class
(the layer-by-layer forward pass, ``extract`` / ``predict``), the model
cache directory, and copying weights out of a Caffe model."""
import os

import numpy

from dynet.config import get_dtype, no_backprop_mode, using_config
from dynet.dataset import download
from dynet.dataset.convert import concat_examples
from dynet.functions.array.reshape import reshape
from dynet.functions.math.sum import sum as _sum
from dynet.link import Chain, Link
from dynet.variable import Variable

# Where ``pretrained_model='auto'`` keeps converted models, under the
# dataset root (Chainer's location).
CACHE_DIRECTORY = 'pfnet/chainer/models/'


def cache_path(name):
    """``<dataset root>/pfnet/chainer/models/<name>`` (the directory is not
    created)."""
    directory = download.get_dataset_directory(CACHE_DIRECTORY,
                                               create_directory=False)
    return os.path.join(directory, name)


def check_forward_kwargs(kwargs, removed):
    """Chainer's errors for removed (``removed``: names) and unknown keyword
    arguments."""
    for name in removed:
        if name in kwargs:
            raise ValueError(
                '{} argument is not supported anymore. Use '
                "dynet.using_config('train', False) (and "
                'dynet.no_backprop_mode()) instead'.format(name))
    if kwargs:
        raise TypeError('got unexpected keyword argument(s): {}'.format(
            ', '.join(sorted(kwargs))))


def prepare(image, size, mean_bgr):
    """An image as a (3, height, width) array of ``dynet.get_dtype()``:
    converted to RGB, resized to ``size`` ((width, height), as PIL; None
    keeps the size), reordered to BGR and ``mean_bgr`` subtracted. Arrays
    are (height, width) grey levels, (1 or 3, height, width) or (height,
    width, 3) RGB, values in [0, 255]."""
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
    array = array - numpy.array(mean_bgr, dtype=dtype)
    return numpy.ascontiguousarray(array.transpose(2, 0, 1))


def ten_crops(images, crop_size):
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


def cached_conversion(npz_name, caffemodel_name, convert, fetch):
    """Path of the converted model ``npz_name`` in the cache directory,
    made on first use by ``convert(caffemodel, npz_path)``.

    ``caffemodel`` is ``caffemodel_name`` joined to the cache directory
    (an absolute path stays as it is); when that file is absent it is
    ``fetch(caffemodel)``, which downloads the model or raises."""
    path = cache_path(npz_name)
    if os.path.exists(path):
        return path
    caffemodel = os.path.join(os.path.dirname(path), caffemodel_name)
    if not os.path.exists(caffemodel):
        caffemodel = fetch(caffemodel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    convert(caffemodel, path)
    return path


class ImageNetLayers(Chain):
    """Base of the pretrained ImageNet models: ``forward``, ``extract``
    and ``predict`` over the stages of ``functions`` (an ordered dict,
    layer name -> callables applied in turn), which subclasses define.

    Subclasses also set:

    - ``_mean_bgr``: the mean pixel (B, G, R) their ``prepare`` subtracts;
    - ``_removed_kwarg``: the keyword of older Chainer versions that
      ``forward`` rejects with an explanation (``'test'`` or ``'train'``);
    - ``_extract_layers``: the default ``layers`` of ``extract``;
    - ``_layer_sources``: {stage: earlier stage} for the stages that start
      from that earlier stage's output instead of the previous one's.
    """

    _mean_bgr = None
    _removed_kwarg = 'test'
    _extract_layers = ('pool5',)
    _layer_sources = {}

    @property
    def available_layers(self):
        return list(self.functions.keys())

    @staticmethod
    def _mean_of_ten(y):
        """Mean over axis 1 of (n, 10, classes): the ten crops' scores."""
        return _sum(y, axis=1) / 10

    def forward(self, x, layers=None, **kwargs):
        """Computes the activations of the requested layers.

        The network stops after the last requested layer, so asking only
        for early layers is cheap. Dropout and batch normalization follow
        ``config.train`` (in training mode dropout is active and batch
        normalization uses, and updates, batch statistics): use
        ``using_config('train', False)`` for deterministic features of
        the pretrained model.

        Args:
            x (Variable or array): batch of images (n, 3, h, w), BGR, mean
                subtracted, as the model's ``prepare`` makes them (224x224
                for the pretrained models).
            layers (list of str): names from ``available_layers``
                (default ``['prob']``).
        Returns:
            dict: layer name -> Variable, for each requested layer.
        """
        check_forward_kwargs(kwargs, (self._removed_kwarg,))
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
        sources = self._layer_sources
        kept = set(sources.values())
        outputs = {}
        activations = {}
        h = x
        for name, funcs in functions.items():
            if not targets:
                break
            if name in sources:
                h = outputs[sources[name]]
            for func in funcs:
                h = func(h)
            if name in kept:
                outputs[name] = h
            if name in targets:
                activations[name] = h
                targets.discard(name)
        return activations

    def extract(self, images, layers=None, size=(224, 224), **kwargs):
        """Extracts features of images.

        Each image is converted with the model's ``prepare(image, size)``
        and the batch is run through ``forward``. Call it under
        ``using_config('train', False)`` (to turn dropout off and use the
        running statistics of batch normalization) and
        ``no_backprop_mode()`` (to save memory) for plain feature
        extraction.

        Args:
            images (iterable of PIL.Image or numpy.ndarray): input images
                (arrays: see ``prepare``).
            layers (list of str): layers to return (default ``['fc7']``
                for the VGG models, ``['pool5']`` for ResNet and
                GoogLeNet).
            size (pair of ints): (width, height) images are resized to;
                ``None`` keeps their size (they must then all have one).
        Returns:
            dict: layer name -> Variable, for each requested layer.
        """
        check_forward_kwargs(kwargs, (self._removed_kwarg, 'volatile'))
        if layers is None:
            layers = list(self._extract_layers)
        x = concat_examples([prepare(image, size, self._mean_bgr)
                             for image in images])
        return self(Variable(self.xp.asarray(x)), layers=layers)

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
        x = concat_examples([prepare(image, (256, 256), self._mean_bgr)
                             for image in images])
        if oversample:
            x = ten_crops(x, (224, 224))
        else:
            x = x[:, :, 16:240, 16:240]
        with no_backprop_mode(), using_config('train', False):
            y = self(Variable(self.xp.asarray(x)), layers=['prob'])['prob']
            if oversample:
                n = y.shape[0] // 10
                y = self._mean_of_ten(reshape(y, (n, 10) + y.shape[1:]))
        return y


class CaffeSource:
    """The layers of a ``.caffemodel`` read by
    :class:`dynet.links.caffe.CaffeFunction`, with errors that name the
    file and the layer."""

    def __init__(self, path, model_name):
        from dynet.links.caffe import CaffeFunction
        self.path = path
        self.model_name = model_name
        self.function = CaffeFunction(path)

    def layer(self, name):
        layer = getattr(self.function, name, None)
        if isinstance(layer, Link):
            return layer
        if any(entry[0] == name for entry in self.function.layers):
            # CaffeFunction found the layer but could not build it.
            reason = getattr(self.function, '_unsupported', {}).get(name)
            raise ValueError(
                'convert_caffemodel_to_npz: layer {!r} of {} cannot be '
                'read{}'.format(name, self.path,
                                ' ({})'.format(reason[1]) if reason else ''))
        raise ValueError(
            'convert_caffemodel_to_npz: {} has no layer {!r} (is it a {} '
            'model?)'.format(self.path, name, self.model_name))

    def copy(self, source, destination, what):
        """Copies the array ``source`` into the array ``destination`` (same
        number of values, reshaped); ``what`` names it in errors."""
        if source is None or source.size != destination.size:
            raise ValueError(
                'convert_caffemodel_to_npz: {} has {} values in {}, '
                'expected shape {}'.format(
                    what, 'no' if source is None else source.size,
                    self.path, destination.shape))
        destination[...] = source.reshape(destination.shape)

    def copy_linear(self, name, target, bias=True):
        """W (and b when ``bias``) of the convolution or inner product
        layer ``name`` into the link ``target``."""
        layer = self.layer(name)
        self.copy(layer.W.array, target.W.array, 'layer {} W'.format(name))
        if bias:
            b = getattr(layer, 'b', None)
            self.copy(None if b is None else b.array, target.b.array,
                      'layer {} b'.format(name))

    def copy_batch_norm(self, bn_name, scale_name, target):
        """Caffe's BatchNorm (statistics) and Scale (gamma, beta) layers
        into one BatchNormalization link."""
        bn = self.layer(bn_name)
        scale = self.layer(scale_name)
        self.copy(bn.avg_mean, target.avg_mean,
                  'layer {} mean'.format(bn_name))
        self.copy(bn.avg_var, target.avg_var,
                  'layer {} variance'.format(bn_name))
        self.copy(scale.W.array, target.gamma.array,
                  'layer {} scale'.format(scale_name))
        bias = getattr(scale, 'bias', None)
        self.copy(None if bias is None else bias.b.array, target.beta.array,
                  'layer {} bias'.format(scale_name))
