"""GoogLeNet (Szegedy et al., "Going Deeper with Convolutions", CVPR 2015;
Inception-v1) as a feature extractor and ImageNet classifier
(``chainer.links.GoogLeNet``), with BVLC's Caffe weights.

Layer names, parameter shapes and NPZ keys (``conv1/W``, ``inc3a/conv1/W``,
..., ``loss3_fc/b``, ``loss1_conv/W`` ...) are those of Chainer's model,
so an NPZ file Chainer converted (``bvlc_googlenet.npz``) loads here with
``pretrained_model=path``.

Differences from Chainer:

- ``pretrained_model='auto'`` works as in Chainer (the converted file in
  the dataset cache, ``<dataset root>/pfnet/chainer/models/
  bvlc_googlenet.npz``; otherwise the Caffe model is downloaded from
  BVLC and converted with ``dynet.links.caffe.CaffeFunction``), except
  that a ``bvlc_googlenet.caffemodel`` already placed next to where the
  npz goes is converted without a download.
- ``forward`` rejects unknown layer names (Chainer ignores them and runs
  the whole network).
- With a pretrained model the Inception modules are zero-initialized
  before loading (Chainer samples random weights that are then
  overwritten).
"""
import collections
import importlib.util
import os

from dynet.dataset import download
from dynet.functions.activation.relu import relu
from dynet.functions.activation.softmax import softmax
from dynet.functions.math.average import average
from dynet.functions.noise.dropout import dropout
from dynet.functions.normalization.local_response_normalization import (
    local_response_normalization)
from dynet.functions.pooling.average_pooling_nd import average_pooling_2d
from dynet.functions.pooling.max_pooling_nd import max_pooling_2d
from dynet.initializers import constant
from dynet.initializers import uniform
from dynet.links.connection.convolution_nd import Convolution2D
from dynet.links.connection.inception import Inception
from dynet.links.connection.linear import Linear
from dynet.links.model.vision import _imagenet
from dynet.serializers import npz

# Whether Pillow (needed by ``prepare``, ``extract`` and ``predict``) is
# installed; it is imported on first use.
available = importlib.util.find_spec('PIL') is not None

__all__ = ['GoogLeNet', 'prepare']

# Mean pixel (B, G, R) subtracted by ``prepare`` (BVLC's).
_MEAN_BGR = (104.0, 117.0, 123.0)

# The stem convolutions: (name, in, out, ksize, stride, pad).
_STEM = (('conv1', 3, 64, 7, 2, 3),
         ('conv2_reduce', 64, 64, 1, 1, 0),
         ('conv2', 64, 192, 3, 1, 1))
# The Inception modules: (name, (in_channels, out1, proj3, out3, proj5,
# out5, proj_pool)).
_INCEPTIONS = (('3a', (192, 64, 96, 128, 16, 32, 32)),
               ('3b', (256, 128, 128, 192, 32, 96, 64)),
               ('4a', (480, 192, 96, 208, 16, 48, 64)),
               ('4b', (512, 160, 112, 224, 24, 64, 64)),
               ('4c', (512, 128, 128, 256, 24, 64, 64)),
               ('4d', (512, 112, 144, 288, 32, 64, 64)),
               ('4e', (528, 256, 160, 320, 32, 128, 128)),
               ('5a', (832, 256, 160, 320, 32, 128, 128)),
               ('5b', (832, 384, 192, 384, 48, 128, 128)))
# The auxiliary classifiers: 1x1 convolution channels (on a 4x4 map) and
# hidden units; the number of classes.
_AUX_CONV = 128
_AUX_HIDDEN = 1024
_N_CLASSES = 1000

_NPZ_NAME = 'bvlc_googlenet.npz'
_CAFFEMODEL_NAME = 'bvlc_googlenet.caffemodel'
_CAFFEMODEL_URL = ('http://dl.caffe.berkeleyvision.org/'
                   'bvlc_googlenet.caffemodel')

# pretrained_model value for a model whose weights are about to be
# overwritten (by a conversion): zero-initialized, nothing loaded.
_BLANK = object()


def _inception_out(name):
    in_channels, out1, _, out3, _, out5, proj_pool = dict(_INCEPTIONS)[name]
    return out1 + out3 + out5 + proj_pool


def _max_pooling_2d(x):
    return max_pooling_2d(x, ksize=3, stride=2)


def _local_response_normalization(x):
    # Caffe's LRN (local_size 5, alpha 1e-4, k 1) divides alpha by the
    # window size.
    return local_response_normalization(x, n=5, k=1, alpha=1e-4 / 5)


def _average_pooling_2d_k5(x):
    return average_pooling_2d(x, ksize=5, stride=3)


def _average_pooling_2d_k7(x):
    return average_pooling_2d(x, ksize=7, stride=1)


def _dropout(x):
    return dropout(x, ratio=0.4)


class GoogLeNet(_imagenet.ImageNetLayers):
    """GoogLeNet (Inception-v1) with its two auxiliary classifiers, for
    extracting image features or classifying ImageNet images.

    Inputs are batches of 224x224 BGR images with the mean pixel
    subtracted, as ``prepare`` makes them. ``loss3_fc`` follows dropout
    (ratio 0.4, active in training mode); the auxiliary classifiers
    (``loss1_fc2`` from ``inception_4a``, ``loss2_fc2`` from
    ``inception_4d``: 5x5 average pooling (stride 3), a 1x1 convolution,
    ReLU, two fully connected layers with ReLU between) come after
    ``prob`` in ``available_layers``, so they are only computed when asked
    for.

    Args:
        pretrained_model (str or None): ``'auto'`` (default): the model
            converted from BVLC's Caffe model, from the dataset cache
            (converted there on first use, see the module docstring). A
            path: an NPZ file with Chainer's keys. ``None`` (or ``''``):
            random weights (``LeCunUniform(scale=1.0)``, BVLC's "xavier"
            filler, for the stem and the classifiers; the default
            initializer of :class:`Inception` for its modules).

    Attributes:
        available_layers (list of str): the names ``forward`` accepts:
            ``conv1``, ``pool1``, ``conv2_reduce``, ``conv2``, ``pool2``,
            ``inception_3a``, ``inception_3b``, ``pool3``,
            ``inception_4a`` ... ``inception_4e``, ``pool4``,
            ``inception_5a``, ``inception_5b``, ``pool5``, ``loss3_fc``,
            ``prob``, ``loss1_fc2``, ``loss2_fc2``.
    """

    _mean_bgr = _MEAN_BGR
    # Chainer's GoogLeNet rejects ``train`` (the VGG and ResNet models:
    # ``test``).
    _removed_kwarg = 'train'
    # The auxiliary classifiers branch off the Inception modules.
    _layer_sources = {'loss1_fc2': 'inception_4a',
                      'loss2_fc2': 'inception_4d'}

    @staticmethod
    def _mean_of_ten(y):
        # F.average, as Chainer's GoogLeNet (the others sum and divide by
        # ten, which can differ in the last bit).
        return average(y, axis=1)

    def __init__(self, pretrained_model='auto'):
        super().__init__()
        blank = pretrained_model is _BLANK
        if blank:
            pretrained_model = None
        if isinstance(pretrained_model, os.PathLike):
            pretrained_model = os.fspath(pretrained_model)
        if pretrained_model or blank:
            # The weights are overwritten by the file: skip the sampling.
            kwargs = {'initialW': constant.Zero()}
            inception_init = constant.Zero()
        else:
            kwargs = {'initialW': uniform.LeCunUniform(scale=1.0)}
            inception_init = None
        aux_in = _AUX_CONV * 4 * 4
        with self.init_scope():
            for name, in_channels, out_channels, ksize, stride, pad in _STEM:
                setattr(self, name, Convolution2D(
                    in_channels, out_channels, ksize, stride=stride,
                    pad=pad, **kwargs))
            for name, channels in _INCEPTIONS:
                setattr(self, 'inc' + name,
                        Inception(*channels, conv_init=inception_init))
            self.loss3_fc = Linear(_inception_out('5b'), _N_CLASSES,
                                   **kwargs)
            for loss, source in (('loss1', '4a'), ('loss2', '4d')):
                setattr(self, loss + '_conv', Convolution2D(
                    _inception_out(source), _AUX_CONV, 1, **kwargs))
                setattr(self, loss + '_fc1', Linear(aux_in, _AUX_HIDDEN,
                                                    **kwargs))
                setattr(self, loss + '_fc2', Linear(_AUX_HIDDEN, _N_CLASSES,
                                                    **kwargs))
        if pretrained_model == 'auto':
            npz.load_npz(_auto_npz_path(), self)
        elif pretrained_model:
            npz.load_npz(pretrained_model, self)

    @property
    def functions(self):
        """Ordered dict: layer name -> list of callables applied in turn
        to produce that layer's activation (from the previous layer's, and
        for ``loss1_fc2`` / ``loss2_fc2`` from ``inception_4a`` /
        ``inception_4d``)."""
        return collections.OrderedDict([
            ('conv1', [self.conv1, relu]),
            ('pool1', [_max_pooling_2d, _local_response_normalization]),
            ('conv2_reduce', [self.conv2_reduce, relu]),
            ('conv2', [self.conv2, relu, _local_response_normalization]),
            ('pool2', [_max_pooling_2d]),
            ('inception_3a', [self.inc3a]),
            ('inception_3b', [self.inc3b]),
            ('pool3', [_max_pooling_2d]),
            ('inception_4a', [self.inc4a]),
            ('inception_4b', [self.inc4b]),
            ('inception_4c', [self.inc4c]),
            ('inception_4d', [self.inc4d]),
            ('inception_4e', [self.inc4e]),
            ('pool4', [_max_pooling_2d]),
            ('inception_5a', [self.inc5a]),
            ('inception_5b', [self.inc5b]),
            ('pool5', [_average_pooling_2d_k7]),
            ('loss3_fc', [_dropout, self.loss3_fc]),
            ('prob', [softmax]),
            ('loss1_fc2', [_average_pooling_2d_k5, self.loss1_conv, relu,
                           self.loss1_fc1, relu, self.loss1_fc2]),
            ('loss2_fc2', [_average_pooling_2d_k5, self.loss2_conv, relu,
                           self.loss2_fc1, relu, self.loss2_fc2]),
        ])

    @classmethod
    def convert_caffemodel_to_npz(cls, path_caffemodel, path_npz):
        """Converts BVLC's ``bvlc_googlenet.caffemodel`` (either Caffe
        format) to an NPZ file with this model's keys (written
        atomically).

        The layers ``conv1/7x7_s2``, ``conv2/3x3_reduce``, ``conv2/3x3``,
        ``inception_{3a..5b}/{1x1, 3x3_reduce, 3x3, 5x5_reduce, 5x5,
        pool_proj}``, ``loss{1,2}/{conv, fc, classifier}`` and
        ``loss3/classifier`` are copied. A missing layer, or one with
        another shape, raises ``ValueError`` naming it.
        """
        source = _imagenet.CaffeSource(path_caffemodel, 'GoogLeNet')
        model = GoogLeNet(pretrained_model=_BLANK)
        for target, name in _caffe_names(model):
            source.copy_linear(name, target)
        npz.save_npz(path_npz, model, compression=False)


def prepare(image, size=(224, 224)):
    """Converts an image to the input format of GoogLeNet: RGB, resized to
    ``size`` ((width, height); None keeps the size), BGR order, the mean
    pixel (B, G, R) = (104, 117, 123) subtracted, channels first.

    Args:
        image (PIL.Image or numpy.ndarray): an image; an array is (height,
            width) grey levels, (1 or 3, height, width) or (height, width,
            3), RGB, values in [0, 255].
        size (pair of ints or None): the size to resize to.
    Returns:
        numpy.ndarray (3, height, width) of ``dynet.get_dtype()``.
    """
    return _imagenet.prepare(image, size, _MEAN_BGR)


def _auto_npz_path():
    """The converted model in the dataset cache, made on first use from
    the Caffe model (a ``.caffemodel`` beside it, or downloaded)."""
    return _imagenet.cached_conversion(
        _NPZ_NAME, _CAFFEMODEL_NAME, GoogLeNet.convert_caffemodel_to_npz,
        lambda _: download.cached_download(_CAFFEMODEL_URL))


def _caffe_names(model):
    """(link of ``model``, name of its Caffe layer) pairs."""
    pairs = [(model.conv1, 'conv1/7x7_s2'),
             (model.conv2_reduce, 'conv2/3x3_reduce'),
             (model.conv2, 'conv2/3x3')]
    for name, _ in _INCEPTIONS:
        module = getattr(model, 'inc' + name)
        for child, suffix in (('conv1', '1x1'), ('proj3', '3x3_reduce'),
                              ('conv3', '3x3'), ('proj5', '5x5_reduce'),
                              ('conv5', '5x5'), ('projp', 'pool_proj')):
            pairs.append((getattr(module, child),
                          'inception_{}/{}'.format(name, suffix)))
    for loss in ('loss1', 'loss2'):
        pairs += [(getattr(model, loss + '_conv'), loss + '/conv'),
                  (getattr(model, loss + '_fc1'), loss + '/fc'),
                  (getattr(model, loss + '_fc2'), loss + '/classifier')]
    pairs.append((model.loss3_fc, 'loss3/classifier'))
    return pairs
