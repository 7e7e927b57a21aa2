"""Tests of L.ResNet50Layers / ResNet101Layers / ResNet152Layers and
resnet.prepare.

One real ResNet-50 (25.6M parameters) is built per module. The deeper
models are checked with recorders standing in for the layers, and the
Caffe conversion, 'auto', forward, extract and predict with narrow
variants (the module's channel constants shrunk), compared with
CaffeFunction running the same narrow net written as a .caffemodel.
"""
import inspect
import os

import numpy
import pytest
from PIL import Image

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import link
from dynet.dataset import download
from dynet.initializers import constant, normal
from dynet.links.caffe import CaffeFunction, writer
from dynet.links.model.vision import resnet
from dynet.serializers import DictionarySerializer

_BLOCKS = {50: [3, 4, 6, 3], 101: [3, 4, 23, 3], 152: [3, 8, 36, 3]}
_LAYERS = ['conv1', 'pool1', 'res2', 'res3', 'res4', 'res5', 'pool5', 'fc6',
           'prob']


_WIDTHS = ((64, 256), (128, 512), (256, 1024), (512, 2048))


def _expected_shapes(n_layers, stem=64, widths=_WIDTHS, classes=1000):
    """Chainer's parameter names and shapes, from the paper's table."""
    shapes = {'conv1/W': (stem, 3, 7, 7), 'conv1/b': (stem,),
              'bn1/gamma': (stem,), 'bn1/beta': (stem,)}
    c_in = stem
    for stage, ((mid, out), n) in enumerate(zip(widths, _BLOCKS[n_layers]),
                                            2):
        for k in range(n):
            name = 'res{}/{}'.format(stage, 'b{}'.format(k) if k else 'a')
            block_in = out if k else c_in
            convs = [(mid, block_in, 1), (mid, mid, 3), (out, mid, 1)]
            if k == 0:
                convs.append((out, c_in, 1))
            for i, (o, c, size) in enumerate(convs, 1):
                shapes['{}/conv{}/W'.format(name, i)] = (o, c, size, size)
                shapes['{}/bn{}/gamma'.format(name, i)] = (o,)
                shapes['{}/bn{}/beta'.format(name, i)] = (o,)
        c_in = out
    shapes['fc6/W'] = (classes, c_in)
    shapes['fc6/b'] = (classes,)
    return shapes


@pytest.fixture(scope='module')
def model():
    return L.ResNet50Layers(pretrained_model=None)


# ------------------------------------------------------------ structure

def test_resnet50_parameters(model):
    params = {name: tuple(p.shape) for name, p in model.namedparams()}
    assert params == {'/' + key: shape
                      for key, shape in _expected_shapes(50).items()}
    assert sum(p.size for p in model.params()) == 25557096
    assert all(p.dtype == numpy.float32 for p in model.params())
    saved = DictionarySerializer()
    saved.save(model)
    keys = set(saved.target)
    assert {'bn1/avg_mean', 'bn1/avg_var', 'bn1/N',
            'res5/b2/bn3/avg_var'} <= keys
    assert len(keys) == len(params) + 3 * (1 + 16 * 3 + 4)


def test_available_layers_and_functions(model):
    assert model.available_layers == _LAYERS
    functions = model.functions
    assert functions['conv1'] == [model.conv1, model.bn1, F.relu]
    assert functions['res3'] == [model.res3]
    assert functions['fc6'] == [model.fc6]
    assert functions['prob'] == [F.softmax]
    assert model.res4._forward == ['a'] + ['b{}'.format(i)
                                           for i in range(1, 6)]


def test_random_initialization(model):
    # HeNormal(scale=1): std sqrt(2 / fan_in); biases and fc6 as Linear's.
    w = model.res4.a.conv2.W.array
    assert abs(w.std() - numpy.sqrt(2 / (256 * 9))) < 0.05 * w.std()
    numpy.testing.assert_array_equal(model.conv1.b.array, 0)
    numpy.testing.assert_array_equal(model.bn1.gamma.array, 1)
    fc = model.fc6.W.array
    assert abs(fc.std() - numpy.sqrt(1 / 2048)) < 0.05 * fc.std()


class _Spy(link.Link):
    """Stands in for a layer class: records its arguments by name."""

    def __init__(self, cls, *args, **kwargs):
        super().__init__()
        self.cls = cls
        self.arguments = inspect.signature(cls.__init__).bind(
            None, *args, **kwargs).arguments

    def count(self):
        a = self.arguments
        if self.cls is L.BatchNormalization:
            return 2 * a['size']
        if self.cls is L.Linear:
            return (a['in_size'] + 1) * a['out_size']
        k = a['ksize']
        return (a['in_channels'] * k * k +
                (0 if a.get('nobias') else 1)) * a['out_channels']


@pytest.fixture
def spies(monkeypatch):
    loads = []
    for name in ('Convolution2D', 'BatchNormalization', 'Linear'):
        cls = getattr(resnet, name)
        monkeypatch.setattr(resnet, name,
                            lambda *a, _cls=cls, **k: _Spy(_cls, *a, **k))
    monkeypatch.setattr(resnet.npz, 'load_npz',
                        lambda path, obj: loads.append((path, obj)))
    return loads


@pytest.mark.parametrize('cls, n_layers, n_params', [
    (L.ResNet50Layers, 50, 25557096),
    # torchvision's counts (44,549,160 and 60,192,808) plus conv1's bias
    (L.ResNet101Layers, 101, 44549224),
    (L.ResNet152Layers, 152, 60192872)])
def test_depths_and_parameter_counts(spies, cls, n_layers, n_params):
    net = cls(pretrained_model=None)
    assert not spies
    layers = [child for child in net.links(skipself=True)
              if isinstance(child, _Spy)]
    assert sum(spy.count() for spy in layers) == n_params
    for stage, n in zip(range(2, 6), _BLOCKS[n_layers]):
        block = getattr(net, 'res{}'.format(stage))
        assert block._forward == ['a'] + ['b{}'.format(i)
                                          for i in range(1, n)]
    conv1 = net.conv1.arguments
    assert (conv1['ksize'], conv1['stride'], conv1['pad']) == (7, 2, 3)
    assert isinstance(conv1['initialW'], normal.HeNormal)
    assert conv1['initialW'].scale == 1.0
    assert 'initialW' not in net.fc6.arguments


@pytest.mark.parametrize('downsample_fb, strides', [(False, (2, 1)),
                                                    (True, (1, 2))])
def test_downsample_position(spies, downsample_fb, strides):
    net = L.ResNet50Layers(None, downsample_fb=downsample_fb)
    a = net.res3.a
    assert (a.conv1.arguments['stride'], a.conv2.arguments['stride']) == \
        strides
    assert a.conv4.arguments['stride'] == 2
    assert net.res2.a.conv1.arguments['stride'] == 1


def test_path_uses_zero_init_then_loads(spies, tmp_path):
    path = str(tmp_path / 'weights.npz')
    net = L.ResNet101Layers(pretrained_model=path)
    assert spies == [(path, net)]
    assert isinstance(net.conv1.arguments['initialW'], constant.Zero)
    assert isinstance(net.res4.b7.conv2.arguments['initialW'], constant.Zero)
    net = resnet.ResNetLayers(tmp_path / 'w.npz', 152)  # path-like
    assert spies[-1] == (str(tmp_path / 'w.npz'), net)


def test_bad_n_layers():
    with pytest.raises(ValueError, match='either 50, 101, or 152, but 34'):
        resnet.ResNetLayers(None, 34)
    with pytest.raises(ValueError, match='either 50, 101, or 152, but 18'):
        resnet.ResNetLayers.convert_caffemodel_to_npz('a', 'b', 18)
    with pytest.raises(ValueError, match='converts ResNet-101 models, got '
                       'n_layers=50'):
        L.ResNet101Layers.convert_caffemodel_to_npz('a', 'b', 50)


# ------------------------------------------------------------ bottlenecks

def _conv(x, w, stride=1, pad=0):
    n, c, h, wd = x.shape
    o, _, k, _ = w.shape
    xp = numpy.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = (h + 2 * pad - k) // stride + 1, (wd + 2 * pad - k) // stride + 1
    y = numpy.zeros((n, o, oh, ow))
    for p in range(k):
        for q in range(k):
            patch = xp[:, :, p:p + stride * (oh - 1) + 1:stride,
                       q:q + stride * (ow - 1) + 1:stride]
            y += numpy.einsum('nchw,oc->nohw', patch, w[:, :, p, q])
    return y


def _relu(v):
    return numpy.maximum(v, 0)


def _bn(h, bn):
    s = (1, -1, 1, 1)
    return ((h - bn.avg_mean.reshape(s)) /
            numpy.sqrt(bn.avg_var.reshape(s) + 2e-5) *
            bn.gamma.array.reshape(s) + bn.beta.array.reshape(s))


def _randomize_statistics(net, seed=0):
    rng = numpy.random.RandomState(seed)
    for child in net.links(skipself=True):
        if isinstance(child, L.BatchNormalization):
            shape = child.gamma.shape
            child.gamma.array[...] = rng.uniform(0.5, 1.5, shape)
            child.beta.array[...] = rng.uniform(-0.5, 0.5, shape)
            child.avg_mean[...] = rng.uniform(-0.5, 0.5, shape)
            child.avg_var[...] = rng.uniform(0.5, 2, shape)


@pytest.mark.parametrize('downsample_fb', [False, True])
def test_bottlenecks_against_numpy(downsample_fb):
    numpy.random.seed(0)
    block = resnet.BuildingBlock(2, 3, 2, 5, 2, downsample_fb=downsample_fb)
    _randomize_statistics(block)
    x = numpy.random.uniform(-1, 1, (2, 3, 5, 5)).astype(numpy.float32)
    with dynet.using_config('train', False):
        y = block(x)
    a = block.a
    s1, s2 = (1, 2) if downsample_fb else (2, 1)
    h = _relu(_bn(_conv(x, a.conv1.W.array, s1), a.bn1))
    h = _relu(_bn(_conv(h, a.conv2.W.array, s2, 1), a.bn2))
    h = _bn(_conv(h, a.conv3.W.array), a.bn3)
    h = _relu(h + _bn(_conv(x, a.conv4.W.array, 2), a.bn4))
    b = block.b1
    g = _relu(_bn(_conv(h, b.conv1.W.array), b.bn1))
    g = _relu(_bn(_conv(g, b.conv2.W.array, 1, 1), b.bn2))
    expected = _relu(_bn(_conv(g, b.conv3.W.array), b.bn3) + h)
    assert y.shape == (2, 5, 3, 3)
    numpy.testing.assert_allclose(y.array, expected, rtol=1e-4, atol=1e-5)
    assert all(child.b is None for child in block.links()
               if isinstance(child, L.Convolution2D))


# ----------------------------------------------------- narrow networks

_NARROW_STAGES = ((2, 4, 1), (2, 6, 2), (3, 6, 2), (3, 8, 2))


@pytest.fixture
def narrow(monkeypatch):
    monkeypatch.setattr(resnet, '_STEM_CHANNELS', 4)
    monkeypatch.setattr(resnet, '_STAGES', _NARROW_STAGES)
    monkeypatch.setattr(resnet, '_N_CLASSES', 5)


def _caffe_block_names(n_layers, stage, n):
    """MSRA's names: letters, except 'a', 'b1', 'b2'... in res3 and res4
    of the 101 and 152 layer models."""
    if n_layers != 50 and stage in (3, 4):
        return ['{}a'.format(stage)] + ['{}b{}'.format(stage, i)
                                        for i in range(1, n)]
    return ['{}{}'.format(stage, 'abcdefghijklmnopqrstuvwxyz'[i])
            for i in range(n)]


def _caffe_resnet(n_layers, seed=0, conv1_bias=True, size=64):
    """A narrow MSRA ResNet as writer layers (random weights and
    statistics), with Chainer's BN epsilon so the two agree closely."""
    rng = numpy.random.RandomState(seed)
    layers = [{'name': 'data', 'type': 'Input', 'top': 'data',
               'input_param': {'shape': [{'dim': [1, 3, size, size]}]}}]

    def add(name, type_name, bottom, top=None, **fields):
        fields.update(name=name, type=type_name, bottom=bottom,
                      top=top or name)
        layers.append(fields)

    def conv(name, bottom, c_in, c_out, k, stride, pad, bias=False):
        blobs = [(rng.randn(c_out, c_in, k, k) /
                  numpy.sqrt(c_in * k * k / 2.)).astype('f')]
        if bias:
            blobs.append(rng.randn(c_out).astype('f'))
        add(name, 'Convolution', bottom, convolution_param={
            'num_output': c_out, 'kernel_size': [k], 'stride': [stride],
            'pad': [pad], 'bias_term': bias}, blobs=blobs)

    def bn_scale(bn_name, scale_name, top, c):
        factor = 2.5
        add(bn_name, 'BatchNorm', top, top, batch_norm_param={
            'use_global_stats': True, 'eps': 2e-5}, blobs=[
                rng.uniform(-.5, .5, c).astype('f') * factor,
                rng.uniform(.5, 2, c).astype('f') * factor,
                numpy.array([factor], 'f')])
        add(scale_name, 'Scale', top, top, scale_param={'bias_term': True},
            blobs=[rng.uniform(.5, 1.5, c).astype('f'),
                   rng.uniform(-.5, .5, c).astype('f')])

    conv('conv1', 'data', 3, 4, 7, 2, 3, bias=conv1_bias)
    bn_scale('bn_conv1', 'scale_conv1', 'conv1', 4)
    add('conv1_relu', 'ReLU', 'conv1', 'conv1')
    add('pool1', 'Pooling', 'conv1', pooling_param={
        'pool': 'MAX', 'kernel_size': 3, 'stride': 2})
    bottom, c_in = 'pool1', 4
    for stage, ((mid, out, stride), n) in enumerate(
            zip(_NARROW_STAGES, _BLOCKS[n_layers]), 2):
        for k, name in enumerate(_caffe_block_names(n_layers, stage, n)):
            block_in = c_in if k == 0 else out
            s = stride if k == 0 else 1
            if k == 0:
                branch1 = 'res{}_branch1'.format(name)
                conv(branch1, bottom, c_in, out, 1, s, 0)
                bn_scale('bn{}_branch1'.format(name),
                         'scale{}_branch1'.format(name), branch1, out)
                shortcut = branch1
            else:
                shortcut = bottom
            h = bottom
            for branch, (i, o, ksize, st, pad) in zip(
                    ('2a', '2b', '2c'),
                    [(block_in, mid, 1, s, 0), (mid, mid, 3, 1, 1),
                     (mid, out, 1, 1, 0)]):
                top = 'res{}_branch{}'.format(name, branch)
                conv(top, h, i, o, ksize, st, pad)
                bn_scale('bn{}_branch{}'.format(name, branch),
                         'scale{}_branch{}'.format(name, branch), top, o)
                if branch != '2c':
                    add(top + '_relu', 'ReLU', top, top)
                h = top
            add('res' + name, 'Eltwise', [shortcut, h])
            add('res{}_relu'.format(name), 'ReLU', 'res' + name,
                'res' + name)
            bottom = 'res' + name
        c_in = out
    add('pool5', 'Pooling', bottom, pooling_param={
        'pool': 'AVE', 'global_pooling': True})
    add('fc1000', 'InnerProduct', 'pool5',
        inner_product_param={'num_output': 5},
        blobs=[rng.randn(5, c_in).astype('f'), rng.randn(5).astype('f')])
    add('prob', 'Softmax', 'fc1000')
    return layers


def _caffe_outputs(path, x, names):
    with dynet.using_config('train', False):
        ys = CaffeFunction(path)(inputs={'data': x}, outputs=names)
    return [y.array for y in ys]


@pytest.mark.parametrize('n_layers', [50, 101, 152])
def test_convert_caffemodel_to_npz(tmp_path, narrow, n_layers):
    caffemodel = str(tmp_path / 'resnet.caffemodel')
    writer.save_caffemodel(caffemodel, _caffe_resnet(n_layers))
    path = str(tmp_path / 'resnet.npz')
    resnet.ResNetLayers.convert_caffemodel_to_npz(caffemodel, path,
                                                  n_layers)
    widths = [(m, o) for m, o, _ in _NARROW_STAGES]
    with numpy.load(path) as saved:
        expected = _expected_shapes(n_layers, 4, widths, 5)
        params = {k: v.shape for k, v in saved.items()
                  if not k.endswith(('avg_mean', 'avg_var', '/N'))}
        assert params == expected
    net = resnet.ResNetLayers(path, n_layers)
    if n_layers != 50:
        # The deeper nets differ only in names and depth: their numbers
        # are checked in test_auto_converts_the_caffemodel_in_the_cache.
        return
    x = numpy.random.RandomState(1).uniform(
        -50, 50, (1, 3, 64, 64)).astype('f')
    with dynet.using_config('train', False):
        out = net(x, layers=['fc6', 'prob'])
    fc1000, prob = _caffe_outputs(caffemodel, x, ['fc1000', 'prob'])
    numpy.testing.assert_allclose(out['fc6'].array, fc1000, rtol=1e-4,
                                  atol=1e-4)
    numpy.testing.assert_allclose(out['prob'].array, prob, rtol=1e-4,
                                  atol=1e-6)


def test_convert_copies_each_kind_of_blob(tmp_path, narrow):
    # (The MSRA models are in the current format: V1 has no BatchNorm.)
    layers = _caffe_resnet(50, conv1_bias=False)
    caffemodel = str(tmp_path / 'resnet.caffemodel')
    writer.save_caffemodel(caffemodel, layers)
    path = str(tmp_path / 'resnet.npz')
    L.ResNet50Layers.convert_caffemodel_to_npz(caffemodel, path)
    net = L.ResNet50Layers(path)
    numpy.testing.assert_array_equal(net.conv1.b.array, 0)
    fc = [layer for layer in layers if layer['name'] == 'fc1000'][0]
    numpy.testing.assert_array_equal(net.fc6.W.array, fc['blobs'][0])
    bn = [layer for layer in layers if layer['name'] == 'bn4b_branch2b'][0]
    numpy.testing.assert_allclose(net.res4.b1.bn2.avg_var,
                                  bn['blobs'][1] / 2.5, rtol=1e-6)
    scale = [layer for layer in layers
             if layer['name'] == 'scale5a_branch1'][0]
    numpy.testing.assert_array_equal(net.res5.a.bn4.beta.array,
                                     scale['blobs'][1])


def test_convert_names_a_missing_or_misshapen_layer(tmp_path, narrow):
    layers = _caffe_resnet(50)
    caffemodel = str(tmp_path / 'resnet.caffemodel')
    writer.save_caffemodel(caffemodel, [
        layer for layer in layers if layer['name'] != 'scale3c_branch2a'])
    out = str(tmp_path / 'out.npz')
    with pytest.raises(ValueError, match="has no layer 'scale3c_branch2a' "
                       '\\(is it a ResNet-50 model\\?\\)'):
        L.ResNet50Layers.convert_caffemodel_to_npz(caffemodel, out)
    with pytest.raises(ValueError, match="has no layer 'res3b1_branch2a'"):
        resnet.ResNetLayers.convert_caffemodel_to_npz(
            caffemodel, out, n_layers=101)
    for layer in layers:
        if layer['name'] == 'fc1000':
            layer['inner_product_param']['num_output'] = 6
            layer['blobs'] = [numpy.zeros((6, 8), 'f'), numpy.zeros(6, 'f')]
    writer.save_caffemodel(caffemodel, layers)
    with pytest.raises(ValueError, match='layer fc1000 W has 48 values'):
        L.ResNet50Layers.convert_caffemodel_to_npz(caffemodel, out)
    assert not os.path.exists(out)


def _cache_directory(monkeypatch, tmp_path):
    monkeypatch.setattr(download, '_dataset_root', str(tmp_path))

    def offline(url):
        raise AssertionError('ResNet must not download ' + url)
    monkeypatch.setattr(download, 'cached_download', offline)
    return tmp_path / 'pfnet' / 'chainer' / 'models'


def test_auto_converts_the_caffemodel_in_the_cache(monkeypatch, tmp_path,
                                                   narrow):
    directory = _cache_directory(monkeypatch, tmp_path)
    directory.mkdir(parents=True)
    layers = _caffe_resnet(101)
    writer.save_caffemodel(str(directory / 'ResNet-101-model.caffemodel'),
                           layers)
    net = L.ResNet101Layers()
    assert (directory / 'ResNet-101-model.npz').exists()
    fc = [layer for layer in layers if layer['name'] == 'fc1000'][0]
    numpy.testing.assert_array_equal(net.fc6.b.array, fc['blobs'][1])
    x = numpy.random.RandomState(1).uniform(
        -50, 50, (1, 3, 64, 64)).astype('f')
    with dynet.using_config('train', False):
        ours = net(x, layers=['fc6'])['fc6'].array
    theirs, = _caffe_outputs(
        str(directory / 'ResNet-101-model.caffemodel'), x, ['fc1000'])
    numpy.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-4)
    # A .caffemodel given by path is converted to the same cached npz.
    (directory / 'ResNet-50-model.npz').unlink(missing_ok=True)
    other = str(tmp_path / 'elsewhere.caffemodel')
    writer.save_caffemodel(other, _caffe_resnet(50, seed=3))
    net = L.ResNet50Layers(pretrained_model=other)
    assert (directory / 'ResNet-50-model.npz').exists()


def test_auto_without_the_caffemodel_explains(monkeypatch, tmp_path,
                                              spies):
    directory = _cache_directory(monkeypatch, tmp_path)
    with pytest.raises(OSError, match='(?s)caffemodel does not exist.*'
                       'KaimingHe/deep-residual-networks.*place it on .*'
                       'ResNet-152-model.caffemodel'):
        L.ResNet152Layers()
    assert not (directory / 'ResNet-152-model.npz').exists()


def test_auto_loads_the_cached_npz(monkeypatch, tmp_path, spies):
    directory = _cache_directory(monkeypatch, tmp_path)
    directory.mkdir(parents=True)
    (directory / 'ResNet-50-model.npz').write_bytes(b'')
    net = L.ResNet50Layers()
    assert spies == [(str(directory / 'ResNet-50-model.npz'), net)]
    net = resnet.ResNetLayers('auto', 50)
    assert spies[-1][0] == str(directory / 'ResNet-50-model.npz')


# ------------------------------------------------------------ forward

@pytest.fixture
def narrow_model(tmp_path, narrow):
    caffemodel = str(tmp_path / 'resnet.caffemodel')
    writer.save_caffemodel(caffemodel, _caffe_resnet(50, size=224))
    path = str(tmp_path / 'resnet.npz')
    L.ResNet50Layers.convert_caffemodel_to_npz(caffemodel, path)
    return L.ResNet50Layers(path), caffemodel


def test_forward_layers_and_early_stop(narrow_model, monkeypatch):
    net, caffemodel = narrow_model
    x = numpy.random.RandomState(2).uniform(
        -50, 50, (2, 3, 224, 224)).astype('f')
    calls = []
    monkeypatch.setattr(resnet, 'relu', lambda h: calls.append(1) or
                        F.relu(h))
    with dynet.using_config('train', False):
        out = net(x, layers=['pool1', 'conv1'])
    assert set(out) == {'conv1', 'pool1'} and len(calls) == 1
    assert out['pool1'].shape == (2, 4, 56, 56)
    with dynet.using_config('train', False):
        out = net(x, layers=['res5', 'pool5', 'prob'])
    assert out['res5'].shape == (2, 8, 7, 7)
    numpy.testing.assert_allclose(out['pool5'].array,
                                  out['res5'].array.mean(axis=(2, 3)),
                                  rtol=1e-5, atol=1e-6)
    prob, = _caffe_outputs(caffemodel, x[:1], ['prob'])
    numpy.testing.assert_allclose(out['prob'].array[:1], prob, rtol=1e-4,
                                  atol=1e-6)
    assert out['prob'].creator is not None  # differentiable
    default = net(x[:1])
    assert list(default) == ['prob']


def test_forward_argument_errors(model):
    x = numpy.zeros((1, 3, 32, 32), numpy.float32)
    with pytest.raises(ValueError, match="unknown layer.*'res6'"):
        model(x, layers=['res6'])
    with pytest.raises(ValueError, match='test argument is not supported'):
        model(x, layers=['conv1'], test=True)
    with pytest.raises(TypeError, match='unexpected keyword.*foo'):
        model(x, layers=['conv1'], foo=1)
    with pytest.raises(ValueError, match='volatile argument'):
        model.extract([x[0]], layers=['conv1'], volatile=True)


def test_extract_and_predict(narrow_model, monkeypatch):
    net, _ = narrow_model
    rng = numpy.random.RandomState(4)
    pil = Image.fromarray(rng.randint(0, 256, (40, 30, 3)).astype('uint8'))
    array = rng.randint(0, 256, (3, 256, 256)).astype(numpy.float32)
    with dynet.using_config('train', False):
        out = net.extract([pil, array])  # default: pool5 at 224x224
        x = numpy.stack([resnet.prepare(pil), resnet.prepare(array)])
        expected = net(x, layers=['pool5'])['pool5'].array
    assert set(out) == {'pool5'}
    numpy.testing.assert_allclose(out['pool5'].array, expected, rtol=1e-5)
    y = net.predict([array], oversample=False)
    assert y.creator is None and y.shape == (1, 5)
    with dynet.using_config('train', False):
        centre = net(resnet.prepare(array, (256, 256))[None, :, 16:240,
                                                       16:240])['prob']
    numpy.testing.assert_allclose(y.array, centre.array, rtol=1e-5)
    y = net.predict([array])
    p = resnet.prepare(array, (256, 256))
    crops = [p[:, a:a + 224, b:b + 224]
             for a, b in [(0, 0), (0, 32), (32, 0), (32, 32), (16, 16)]]
    crops += [c[:, :, ::-1] for c in crops]
    with dynet.using_config('train', False):
        probs = net(numpy.stack(crops))['prob'].array
    numpy.testing.assert_allclose(y.array[0], probs.mean(axis=0), rtol=1e-5)
    numpy.testing.assert_allclose(probs[4], centre.array[0], rtol=1e-5)


# ------------------------------------------------------------ prepare

def test_prepare_uses_the_resnet_mean():
    pixels = numpy.array([[[255, 0, 0], [0, 255, 0]]], numpy.uint8)
    out = resnet.prepare(Image.fromarray(pixels), size=None)
    assert out.shape == (3, 1, 2) and out.dtype == numpy.float32
    mean = numpy.array([103.063, 115.903, 123.152], numpy.float32)
    expected = pixels[:, :, ::-1].astype(numpy.float32) - mean
    numpy.testing.assert_allclose(out, expected.transpose(2, 0, 1),
                                  rtol=1e-6)
    assert resnet.prepare(pixels).shape == (3, 224, 224)
    assert resnet.prepare(pixels, (5, 7)).shape == (3, 7, 5)
    with dynet.using_config('dtype', numpy.float64):
        assert resnet.prepare(pixels, None).dtype == numpy.float64
