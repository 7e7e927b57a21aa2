"""Tests of L.GoogLeNet and googlenet.prepare.

One real GoogLeNet (13.4M parameters) is built per module; conversion,
'auto', forward, extract and predict use a narrow variant (the module's
channel tables shrunk), compared with CaffeFunction running the same
narrow net written as a .caffemodel.
"""
import os

import numpy
import pytest
from PIL import Image

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import link
from dynet.dataset import download
from dynet.initializers import constant, uniform
from dynet.links.caffe import CaffeFunction, writer
from dynet.links.model.vision import googlenet

_LAYERS = ['conv1', 'pool1', 'conv2_reduce', 'conv2', 'pool2',
           'inception_3a', 'inception_3b', 'pool3', 'inception_4a',
           'inception_4b', 'inception_4c', 'inception_4d', 'inception_4e',
           'pool4', 'inception_5a', 'inception_5b', 'pool5', 'loss3_fc',
           'prob', 'loss1_fc2', 'loss2_fc2']

# Table 1 of the paper: #1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool
# proj of each Inception module.
_PAPER = [('3a', 64, 96, 128, 16, 32, 32), ('3b', 128, 128, 192, 32, 96, 64),
          ('4a', 192, 96, 208, 16, 48, 64), ('4b', 160, 112, 224, 24, 64, 64),
          ('4c', 128, 128, 256, 24, 64, 64), ('4d', 112, 144, 288, 32, 64, 64),
          ('4e', 256, 160, 320, 32, 128, 128),
          ('5a', 256, 160, 320, 32, 128, 128),
          ('5b', 384, 192, 384, 48, 128, 128)]


def _expected_shapes():
    shapes = {}

    def conv(name, o, c, k):
        shapes[name + '/W'] = (o, c, k, k)
        shapes[name + '/b'] = (o,)

    def fc(name, o, c):
        shapes[name + '/W'] = (o, c)
        shapes[name + '/b'] = (o,)
    conv('conv1', 64, 3, 7)
    conv('conv2_reduce', 64, 64, 1)
    conv('conv2', 192, 64, 3)
    c = 192
    outputs = {}
    for name, n1, r3, n3, r5, n5, pp in _PAPER:
        prefix = 'inc' + name
        conv(prefix + '/conv1', n1, c, 1)
        conv(prefix + '/proj3', r3, c, 1)
        conv(prefix + '/conv3', n3, r3, 3)
        conv(prefix + '/proj5', r5, c, 1)
        conv(prefix + '/conv5', n5, r5, 5)
        conv(prefix + '/projp', pp, c, 1)
        c = outputs[name] = n1 + n3 + n5 + pp
    fc('loss3_fc', 1000, 1024)
    for loss, source in (('loss1', '4a'), ('loss2', '4d')):
        conv(loss + '_conv', 128, outputs[source], 1)
        fc(loss + '_fc1', 1024, 2048)
        fc(loss + '_fc2', 1000, 1024)
    return shapes


@pytest.fixture(scope='module')
def model():
    return L.GoogLeNet(pretrained_model=None)


# ------------------------------------------------------------ structure

def test_parameters(model):
    params = {name: tuple(p.shape) for name, p in model.namedparams()}
    expected = _expected_shapes()
    assert params == {'/' + key: shape for key, shape in expected.items()}
    assert sum(p.size for p in model.params()) == sum(
        numpy.prod(shape) for shape in expected.values())


def test_available_layers_and_functions(model):
    assert model.available_layers == _LAYERS
    functions = model.functions
    assert functions['conv1'] == [model.conv1, F.relu]
    assert functions['inception_4c'] == [model.inc4c]
    assert functions['loss3_fc'][1] is model.loss3_fc
    assert functions['prob'] == [F.softmax]
    assert functions['loss2_fc2'][1:] == [model.loss2_conv, F.relu,
                                          model.loss2_fc1, F.relu,
                                          model.loss2_fc2]


def test_random_initialization(model):
    # LeCunUniform(scale=1): uniform in +-sqrt(3 / fan_in) (BVLC's
    # "xavier"); the Inception modules keep their default initializer.
    w = model.loss1_fc1.W.array
    bound = numpy.sqrt(3 / 2048)
    assert w.max() <= bound and w.min() >= -bound
    assert w.max() > 0.95 * bound
    numpy.testing.assert_array_equal(model.conv2.b.array, 0)
    w = model.inc5b.conv3.W.array
    assert abs(w.std() - numpy.sqrt(1 / (192 * 9))) < 0.05 * w.std()


class _Spy(link.Link):

    def __init__(self, *args, **kwargs):
        super().__init__()
        self.args = args
        self.kwargs = kwargs


@pytest.fixture
def spies(monkeypatch):
    loads = []
    for name in ('Convolution2D', 'Linear', 'Inception'):
        monkeypatch.setattr(googlenet, name, _Spy)
    monkeypatch.setattr(googlenet.npz, 'load_npz',
                        lambda path, obj: loads.append((path, obj)))
    return loads


def test_initializer_arguments(spies, tmp_path):
    net = L.GoogLeNet(pretrained_model=None)
    assert not spies
    assert isinstance(net.conv1.kwargs['initialW'], uniform.LeCunUniform)
    assert net.conv1.kwargs['initialW'].scale == 1.0
    assert net.conv1.args == (3, 64, 7)
    assert (net.conv1.kwargs['stride'], net.conv1.kwargs['pad']) == (2, 3)
    assert net.inc4e.args == (528, 256, 160, 320, 32, 128, 128)
    assert net.inc4e.kwargs == {'conv_init': None}
    path = str(tmp_path / 'googlenet.npz')
    net = L.GoogLeNet(pretrained_model=path)
    assert spies == [(path, net)]
    assert isinstance(net.loss2_fc2.kwargs['initialW'], constant.Zero)
    assert isinstance(net.inc3a.kwargs['conv_init'], constant.Zero)


# ----------------------------------------------------- narrow networks

_NARROW_INCEPTIONS = tuple((name, (6, 2, 2, 2, 1, 1, 1))
                           for name, *_ in _PAPER)


@pytest.fixture
def narrow(monkeypatch):
    monkeypatch.setattr(googlenet, '_STEM', (
        ('conv1', 3, 4, 7, 2, 3), ('conv2_reduce', 4, 4, 1, 1, 0),
        ('conv2', 4, 6, 3, 1, 1)))
    monkeypatch.setattr(googlenet, '_INCEPTIONS', _NARROW_INCEPTIONS)
    monkeypatch.setattr(googlenet, '_AUX_CONV', 2)
    monkeypatch.setattr(googlenet, '_AUX_HIDDEN', 8)
    monkeypatch.setattr(googlenet, '_N_CLASSES', 5)


def _caffe_googlenet(seed=0):
    """BVLC's GoogLeNet (layer names, pooling, LRN, dropout) with the
    narrow channel counts, as writer layers with random weights."""
    rng = numpy.random.RandomState(seed)
    layers = [{'name': 'data', 'type': 'Input', 'top': 'data',
               'input_param': {'shape': [{'dim': [1, 3, 224, 224]}]}}]

    def add(name, type_name, bottom, top=None, **fields):
        fields.update(name=name, type=type_name, bottom=bottom,
                      top=top or name)
        layers.append(fields)

    def conv(name, bottom, c_in, c_out, k, stride=1, pad=0):
        add(name, 'Convolution', bottom, convolution_param={
            'num_output': c_out, 'kernel_size': [k], 'stride': [stride],
            'pad': [pad]}, blobs=[
                (rng.randn(c_out, c_in, k, k) /
                 numpy.sqrt(c_in * k * k / 2.)).astype('f'),
                rng.uniform(-.5, .5, c_out).astype('f')])
        add(name.replace('/', '/relu_', 1) if '/' in name else name + '_relu',
            'ReLU', name, name)

    def fc(name, bottom, c_in, c_out):
        add(name, 'InnerProduct', bottom, inner_product_param={
            'num_output': c_out}, blobs=[
                (rng.randn(c_out, c_in) / numpy.sqrt(c_in / 2.)).astype('f'),
                rng.uniform(-.5, .5, c_out).astype('f')])

    def pool(name, bottom, method, k, stride, pad=0):
        add(name, 'Pooling', bottom, pooling_param={
            'pool': method, 'kernel_size': k, 'stride': stride, 'pad': pad})

    def lrn(name, bottom):
        add(name, 'LRN', bottom, lrn_param={'local_size': 5, 'alpha': 1e-4,
                                            'beta': 0.75})

    conv('conv1/7x7_s2', 'data', 3, 4, 7, 2, 3)
    pool('pool1/3x3_s2', 'conv1/7x7_s2', 'MAX', 3, 2)
    lrn('pool1/norm1', 'pool1/3x3_s2')
    conv('conv2/3x3_reduce', 'pool1/norm1', 4, 4, 1)
    conv('conv2/3x3', 'conv2/3x3_reduce', 4, 6, 3, 1, 1)
    lrn('conv2/norm2', 'conv2/3x3')
    pool('pool2/3x3_s2', 'conv2/norm2', 'MAX', 3, 2)
    bottom = 'pool2/3x3_s2'
    for name, (c, n1, r3, n3, r5, n5, pp) in _NARROW_INCEPTIONS:
        p = 'inception_{}/'.format(name)
        conv(p + '1x1', bottom, c, n1, 1)
        conv(p + '3x3_reduce', bottom, c, r3, 1)
        conv(p + '3x3', p + '3x3_reduce', r3, n3, 3, 1, 1)
        conv(p + '5x5_reduce', bottom, c, r5, 1)
        conv(p + '5x5', p + '5x5_reduce', r5, n5, 5, 1, 2)
        pool(p + 'pool', bottom, 'MAX', 3, 1, 1)
        conv(p + 'pool_proj', p + 'pool', c, pp, 1)
        add(p + 'output', 'Concat', [p + '1x1', p + '3x3', p + '5x5',
                                     p + 'pool_proj'])
        bottom = p + 'output'
        if name in ('3b', '4e'):
            pooled = 'pool{}/3x3_s2'.format(name[0])
            pool(pooled, bottom, 'MAX', 3, 2)
            bottom = pooled
    pool('pool5/7x7_s1', bottom, 'AVE', 7, 1)
    add('pool5/drop_7x7_s1', 'Dropout', 'pool5/7x7_s1', 'pool5/7x7_s1',
        dropout_param={'dropout_ratio': 0.4})
    fc('loss3/classifier', 'pool5/7x7_s1', 6, 5)
    add('prob', 'Softmax', 'loss3/classifier')
    for loss, source in (('loss1', '4a'), ('loss2', '4d')):
        pool(loss + '/ave_pool', 'inception_{}/output'.format(source),
             'AVE', 5, 3)
        conv(loss + '/conv', loss + '/ave_pool', 6, 2, 1)
        fc(loss + '/fc', loss + '/conv', 32, 8)
        add(loss + '/relu_fc', 'ReLU', loss + '/fc', loss + '/fc')
        add(loss + '/drop_fc', 'Dropout', loss + '/fc', loss + '/fc',
            dropout_param={'dropout_ratio': 0.7})
        fc(loss + '/classifier', loss + '/fc', 8, 5)
    return layers


def _blob(layers, name, index):
    return [layer for layer in layers if layer['name'] == name][0][
        'blobs'][index]


@pytest.fixture
def converted(tmp_path, narrow):
    layers = _caffe_googlenet()
    caffemodel = str(tmp_path / 'googlenet.caffemodel')
    writer.save_caffemodel(caffemodel, layers)
    path = str(tmp_path / 'googlenet.npz')
    L.GoogLeNet.convert_caffemodel_to_npz(caffemodel, path)
    return layers, caffemodel, path


def test_convert_caffemodel_to_npz(converted):
    layers, caffemodel, path = converted
    net = L.GoogLeNet(path)
    numpy.testing.assert_array_equal(
        net.inc4d.proj5.W.array, _blob(layers, 'inception_4d/5x5_reduce', 0))
    numpy.testing.assert_array_equal(
        net.loss2_fc1.b.array, _blob(layers, 'loss2/fc', 1))
    x = numpy.random.RandomState(1).uniform(
        -100, 100, (1, 3, 224, 224)).astype('f')
    names = ['loss3_fc', 'prob', 'loss1_fc2', 'loss2_fc2']
    caffe_names = ['loss3/classifier', 'prob', 'loss1/classifier',
                   'loss2/classifier']
    with dynet.using_config('train', False):
        out = net(x, layers=names)
        theirs = CaffeFunction(caffemodel)(inputs={'data': x},
                                           outputs=caffe_names)
    for name, expected in zip(names, theirs):
        numpy.testing.assert_allclose(out[name].array, expected.array,
                                      rtol=1e-4, atol=1e-5, err_msg=name)


def test_lrn_matches_caffe_parameters():
    # Caffe's LRN divides alpha by local_size; k is 1.
    x = numpy.random.RandomState(0).uniform(
        -100, 100, (1, 7, 2, 2)).astype(numpy.float32)
    y = googlenet._local_response_normalization(x).array
    xd = x.astype(numpy.float64)
    square = numpy.pad(xd ** 2, ((0, 0), (2, 2), (0, 0), (0, 0)))
    window = sum(square[:, i:i + 7] for i in range(5))
    expected = xd / (1 + 1e-4 / 5 * window) ** 0.75
    numpy.testing.assert_allclose(y, expected, rtol=1e-5)
    assert numpy.abs(expected - xd).max() > 1  # the test means something


def test_convert_names_a_missing_or_misshapen_layer(tmp_path, narrow):
    layers = _caffe_googlenet()
    caffemodel = str(tmp_path / 'googlenet.caffemodel')
    writer.save_caffemodel(caffemodel, [
        layer for layer in layers
        if layer['name'] not in ('inception_4c/pool_proj', 'inception_4c/'
                                 'relu_pool_proj')])
    out = str(tmp_path / 'out.npz')
    with pytest.raises(ValueError, match="has no layer 'inception_4c/"
                       "pool_proj' \\(is it a GoogLeNet model\\?\\)"):
        L.GoogLeNet.convert_caffemodel_to_npz(caffemodel, out)
    for layer in layers:
        if layer['name'] == 'loss1/conv':
            broken = dict(layer, blobs=[layer['blobs'][0],
                                        numpy.zeros(3, 'f')])
            consistent = dict(layer, blobs=[numpy.zeros((3, 6, 1, 1), 'f'),
                                            numpy.zeros(3, 'f')],
                              convolution_param=dict(
                                  layer['convolution_param'], num_output=3))
    others = [layer for layer in layers if layer['name'] != 'loss1/conv']
    writer.save_caffemodel(caffemodel, others + [broken])
    with pytest.warns(UserWarning, match='bias blob has shape'), \
            pytest.raises(ValueError, match="layer 'loss1/conv' of .* cannot "
                          'be read \\(its bias blob has shape \\(3,\\)'):
        L.GoogLeNet.convert_caffemodel_to_npz(caffemodel, out)
    writer.save_caffemodel(caffemodel, others + [consistent])
    with pytest.raises(ValueError, match='layer loss1/conv W has 18 values '
                       'in .*, expected shape \\(2, 6, 1, 1\\)'):
        L.GoogLeNet.convert_caffemodel_to_npz(caffemodel, out)
    assert not os.path.exists(out)


def test_auto_converts_a_caffemodel_in_the_cache(monkeypatch, tmp_path,
                                                 narrow):
    monkeypatch.setattr(download, '_dataset_root', str(tmp_path))
    directory = tmp_path / 'pfnet' / 'chainer' / 'models'
    directory.mkdir(parents=True)
    layers = _caffe_googlenet(seed=4)
    writer.save_caffemodel(str(directory / 'bvlc_googlenet.caffemodel'),
                           layers)
    net = L.GoogLeNet()
    assert (directory / 'bvlc_googlenet.npz').exists()
    numpy.testing.assert_array_equal(net.loss3_fc.W.array,
                                     _blob(layers, 'loss3/classifier', 0))


def test_auto_downloads_the_caffemodel(monkeypatch, tmp_path):
    monkeypatch.setattr(download, '_dataset_root', str(tmp_path))
    urls = []

    def offline(url):
        urls.append(url)
        raise OSError('offline')
    monkeypatch.setattr(download, 'cached_download', offline)
    with pytest.raises(OSError, match='offline'):
        L.GoogLeNet()
    assert urls == ['http://dl.caffe.berkeleyvision.org/'
                    'bvlc_googlenet.caffemodel']


def test_auto_loads_the_cached_npz(monkeypatch, tmp_path, spies):
    monkeypatch.setattr(download, '_dataset_root', str(tmp_path))
    directory = tmp_path / 'pfnet' / 'chainer' / 'models'
    directory.mkdir(parents=True)
    (directory / 'bvlc_googlenet.npz').write_bytes(b'')
    net = L.GoogLeNet()
    assert spies == [(str(directory / 'bvlc_googlenet.npz'), net)]


# ------------------------------------------------------------ forward

def test_forward_stops_early_and_branches(converted, monkeypatch):
    _, _, path = converted
    net = L.GoogLeNet(path)
    x = numpy.random.RandomState(2).uniform(
        -50, 50, (2, 3, 224, 224)).astype('f')
    calls = []
    monkeypatch.setattr(googlenet, '_max_pooling_2d',
                        lambda h: calls.append(1) or
                        F.max_pooling_2d(h, 3, 2))
    out = net(x, layers=['conv2'])
    assert list(out) == ['conv2'] and len(calls) == 1
    assert out['conv2'].shape == (2, 6, 56, 56)
    with dynet.using_config('train', False):
        out = net(x, layers=['inception_4a', 'loss1_fc2', 'pool5'])
    assert out['pool5'].shape == (2, 6, 1, 1)
    h = F.average_pooling_2d(out['inception_4a'], 5, 3)
    assert h.shape == (2, 6, 4, 4)
    h = F.relu(net.loss1_fc1(F.relu(net.loss1_conv(h))))
    numpy.testing.assert_allclose(out['loss1_fc2'].array,
                                  net.loss1_fc2(h).array, rtol=1e-5,
                                  atol=1e-6)
    # Dropout before loss3_fc follows the train mode.
    with dynet.using_config('train', False):
        a = net(x, layers=['loss3_fc'])['loss3_fc'].array
        b = net(x, layers=['loss3_fc'])['loss3_fc'].array
    numpy.testing.assert_array_equal(a, b)
    c = net(x, layers=['loss3_fc'])['loss3_fc'].array
    assert not numpy.allclose(a, c)


def test_forward_argument_errors(model):
    x = numpy.zeros((1, 3, 32, 32), numpy.float32)
    with pytest.raises(ValueError, match="unknown layer.*'loss4_fc'"):
        model(x, layers=['loss4_fc'])
    with pytest.raises(ValueError, match='train argument is not supported'):
        model(x, layers=['conv1'], train=False)
    with pytest.raises(TypeError, match='unexpected keyword.*foo'):
        model(x, layers=['conv1'], foo=1)
    with pytest.raises(ValueError, match='volatile argument'):
        model.extract([x[0]], layers=['conv1'], volatile=True)


def test_extract(converted, monkeypatch):
    _, _, path = converted
    net = L.GoogLeNet(path)
    rng = numpy.random.RandomState(4)
    pil = Image.fromarray(rng.randint(0, 256, (40, 30, 3)).astype('uint8'))
    array = rng.randint(0, 256, (3, 20, 20)).astype(numpy.float32)
    with dynet.using_config('train', False):
        out = net.extract([pil, array], layers=['inception_3a'],
                          size=(32, 32))
        x = numpy.stack([googlenet.prepare(pil, (32, 32)),
                         googlenet.prepare(array, (32, 32))])
        expected = net(x, layers=['inception_3a'])['inception_3a'].array
    assert set(out) == {'inception_3a'}
    numpy.testing.assert_allclose(out['inception_3a'].array, expected,
                                  rtol=1e-5)
    # Defaults: layers ['pool5'], size (224, 224).
    seen = []
    monkeypatch.setattr(net, 'forward', lambda x, layers=None: seen.append(
        (x.shape, layers)) or {})
    net.extract([pil])
    assert seen == [((1, 3, 224, 224), ['pool5'])]


def test_predict_averages_ten_crops(model, monkeypatch):
    seen = []

    def fake_forward(x, layers=None):
        seen.append((x.shape, layers, dynet.config.train,
                     dynet.config.enable_backprop))
        return {'prob': x[:, 0, 0, :2] * 1}  # two pixels of each crop
    monkeypatch.setattr(model, 'forward', fake_forward)
    rng = numpy.random.RandomState(3)
    images = [rng.randint(0, 256, (3, 256, 256)).astype(numpy.float32)
              for _ in range(2)]
    y = model.predict(images)
    assert seen == [((20, 3, 224, 224), ['prob'], False, False)]
    assert y.shape == (2, 2) and y.creator is None
    for k, image in enumerate(images):
        p = googlenet.prepare(image, size=(256, 256))[0]
        values = []
        for top, left in [(0, 0), (0, 32), (32, 0), (32, 32), (16, 16)]:
            crop = p[top:top + 224, left:left + 224]
            values.append(crop[0, :2])
            values.append(crop[0, ::-1][:2])  # mirrored
        numpy.testing.assert_allclose(y.array[k], numpy.mean(values, 0),
                                      rtol=1e-5)
    y = model.predict(images[:1], oversample=False)
    assert seen[-1][0] == (1, 3, 224, 224)
    p = googlenet.prepare(images[0], size=(256, 256))
    numpy.testing.assert_allclose(y.array[0], p[0, 16, 16:18], rtol=1e-6)


def test_prepare_uses_the_bvlc_mean():
    pixels = numpy.array([[[255, 0, 0], [0, 255, 0]]], numpy.uint8)
    out = googlenet.prepare(pixels.transpose(2, 0, 1), size=None)
    assert out.shape == (3, 1, 2) and out.dtype == numpy.float32
    mean = numpy.array([104, 117, 123], numpy.float32)
    expected = pixels[:, :, ::-1].astype(numpy.float32) - mean
    numpy.testing.assert_allclose(out, expected.transpose(2, 0, 1))
    assert googlenet.prepare(Image.fromarray(pixels)).shape == (3, 224, 224)
