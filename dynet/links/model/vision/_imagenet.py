"""Pieces shared by the pretrained ImageNet models ``ResNet*Layers`` and
``GoogLeNet``: image preparation, the layer-by-layer forward pass,
``extract`` / ``predict``, the model cache directory, and copying weights
out of a Caffe model."""
import os

import numpy

from dynet.config import get_dtype, no_backprop_mode, using_config
from dynet.dataset import download
from dynet.dataset.convert import concat_examples
from dynet.functions.array.reshape import reshape
from dynet.link import Link
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


def run_layers(model, x, layers, sources=None):
    """Runs ``model.functions`` stage by stage until every layer in
    ``layers`` is computed and returns {name: Variable} for them.

    ``sources`` maps a stage to the earlier stage whose output it starts
    from (instead of the previous stage's); unknown names raise
    ``ValueError``.
    """
    sources = sources or {}
    functions = model.functions
    targets = set(layers)
    unknown = targets.difference(functions)
    if unknown:
        raise ValueError(
            '{}: unknown layer name(s) {}; available layers: {}'.format(
                type(model).__name__, sorted(unknown), ', '.join(functions)))
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


def extract(model, prepare_image, images, layers, size):
    """``model(x, layers)`` for the batch of ``prepare_image(image,
    size)``."""
    x = concat_examples([prepare_image(image, size=size) for image in images])
    return model(Variable(model.xp.asarray(x)), layers=layers)


def predict(model, prepare_image, images, oversample, mean_of_ten):
    """Class probabilities (the ``prob`` layer) of images resized to
    256x256: the mean over the ten 224x224 crops (``mean_of_ten`` reduces
    axis 1 of (n, 10, classes)), or the central crop; in test mode,
    without a graph."""
    x = concat_examples([prepare_image(image, size=(256, 256))
                         for image in images])
    if oversample:
        x = ten_crops(x, (224, 224))
    else:
        x = x[:, :, 16:240, 16:240]
    with no_backprop_mode(), using_config('train', False):
        y = model(Variable(model.xp.asarray(x)), layers=['prob'])['prob']
        if oversample:
            n = y.shape[0] // 10
            y = mean_of_ten(reshape(y, (n, 10) + y.shape[1:]))
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
