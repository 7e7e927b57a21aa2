"""Tests of L.VGG16Layers / L.VGG19Layers and vgg.prepare.

The real VGG16 has 138M parameters (553 MB): one instance is built per
module, from an NPZ file written the way Chainer writes it (zeros except a
few distinctive parameters), and shared. Structure checks that would need
more instances (VGG19, initializers, 'auto') replace the layer classes by
recorders so that nothing large is allocated.
"""
import os
import zipfile

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
from dynet.links.model.vision import _imagenet, vgg
from dynet.serializers import DictionarySerializer

_MEAN_BGR = numpy.array([103.939, 116.779, 123.68], numpy.float32)


def _expected_params(n_layers):
    """Chainer's parameter names and shapes, written out independently."""
    depths = {16: [2, 2, 3, 3, 3], 19: [2, 2, 4, 4, 4]}[n_layers]
    shapes = {}
    c_in = 3
    for block, (c_out, depth) in enumerate(
            zip([64, 128, 256, 512, 512], depths), 1):
        for i in range(1, depth + 1):
            shapes['conv{}_{}/W'.format(block, i)] = (c_out, c_in, 3, 3)
            shapes['conv{}_{}/b'.format(block, i)] = (c_out,)
            c_in = c_out
    shapes.update({'fc6/W': (4096, 25088), 'fc6/b': (4096,),
                   'fc7/W': (4096, 4096), 'fc7/b': (4096,),
                   'fc8/W': (1000, 4096), 'fc8/b': (1000,)})
    return shapes


_VGG16_LAYERS = [
    'conv1_1', 'conv1_2', 'pool1', 'conv2_1', 'conv2_2', 'pool2',
    'conv3_1', 'conv3_2', 'conv3_3', 'pool3', 'conv4_1', 'conv4_2',
    'conv4_3', 'pool4', 'conv5_1', 'conv5_2', 'conv5_3', 'pool5',
    'fc6', 'fc7', 'fc8', 'prob']


def _write_npz(path, arrays):
    """An NPZ archive like numpy.savez's, deflated at level 1 (the zeros
    compress to almost nothing, quickly)."""
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED,
                         compresslevel=1) as archive:
        for key, value in arrays.items():
            with archive.open(key + '.npy', 'w', force_zip64=True) as f:
                numpy.lib.format.write_array(f, value)


@pytest.fixture(scope='module')
def special():
    rng = numpy.random.RandomState(0)
    return {
        'conv1_1/W': rng.uniform(-1, 1, (64, 3, 3, 3)).astype(numpy.float32),
        'conv1_1/b': rng.uniform(-1, 1, 64).astype(numpy.float32),
        'conv1_2/W': rng.uniform(-.1, .1, (64, 64, 3, 3)).astype(
            numpy.float32),
        'conv1_2/b': rng.uniform(-1, 1, 64).astype(numpy.float32),
        'fc8/b': rng.uniform(-2, 2, 1000).astype(numpy.float32),
    }


@pytest.fixture(scope='module')
def npz_path(tmp_path_factory, special):
    arrays = {key: numpy.zeros(shape, numpy.float32)
              for key, shape in _expected_params(16).items()}
    arrays.update(special)
    path = str(tmp_path_factory.mktemp('vgg') / 'VGG_ILSVRC_16_layers.npz')
    _write_npz(path, arrays)
    return path


@pytest.fixture(scope='module')
def model(npz_path):
    return L.VGG16Layers(pretrained_model=npz_path)


class _Spy(link.Link):
    """Stands in for Convolution2D / Linear: records its arguments."""

    def __init__(self, *args, **kwargs):
        super().__init__()
        self.args = args
        self.kwargs = kwargs


@pytest.fixture
def spies(monkeypatch):
    """Layers become recorders; load_npz records its calls."""
    loads = []
    monkeypatch.setattr(vgg, 'Convolution2D', _Spy)
    monkeypatch.setattr(vgg, 'Linear', _Spy)
    monkeypatch.setattr(vgg.npz, 'load_npz',
                        lambda path, obj: loads.append((path, obj)))
    return loads


# ------------------------------------------------------------ structure

def test_parameters_names_and_shapes(model):
    params = {name: tuple(p.shape) for name, p in model.namedparams()}
    assert params == {'/' + key: shape
                      for key, shape in _expected_params(16).items()}
    assert sum(p.size for p in model.params()) == 138357544
    assert all(p.dtype == numpy.float32 for p in model.params())


@pytest.mark.parametrize('cls, n_layers', [(L.VGG16Layers, 16),
                                           (L.VGG19Layers, 19)])
def test_layer_arguments_and_random_init(spies, cls, n_layers):
    net = cls(pretrained_model=None)
    assert not spies  # nothing loaded
    shapes = _expected_params(n_layers)
    names = sorted(key[:-2] for key in shapes if key.endswith('/W'))
    assert sorted(child.name for child in net.children()) == names
    for name in names:
        child = getattr(net, name)
        w_shape = shapes[name + '/W']
        if name.startswith('conv'):
            # Convolution2D(in, out, ksize=3, stride=1, pad=1)
            assert child.args == (w_shape[1], w_shape[0], 3, 1, 1)
        else:
            assert child.args == (w_shape[1], w_shape[0])
        init_w = child.kwargs['initialW']
        assert isinstance(init_w, normal.Normal) and init_w.scale == 0.01
        assert isinstance(child.kwargs['initial_bias'], constant.Zero)


def test_path_uses_zero_init_then_loads(spies, tmp_path):
    path = str(tmp_path / 'weights.npz')
    net = L.VGG19Layers(pretrained_model=path)
    assert spies == [(path, net)]
    assert isinstance(net.fc6.kwargs['initialW'], constant.Zero)
    assert isinstance(net.conv1_1.kwargs['initial_bias'], constant.Zero)
    net = vgg.VGGLayers(pretrained_model=tmp_path / 'w.npz')  # path-like
    assert spies[-1] == (str(tmp_path / 'w.npz'), net)


def test_available_layers(model, spies):
    assert model.available_layers == _VGG16_LAYERS
    layers19 = L.VGG19Layers(None).available_layers
    assert layers19[:11] == _VGG16_LAYERS[:9] + ['conv3_4', 'pool3']
    assert layers19[-9:] == ['conv5_1', 'conv5_2', 'conv5_3', 'conv5_4',
                             'pool5', 'fc6', 'fc7', 'fc8', 'prob']
    assert len(layers19) == 25


def test_functions(model):
    functions = model.functions
    assert list(functions) == _VGG16_LAYERS
    assert functions['conv1_1'] == [model.conv1_1, F.relu]
    assert functions['fc6'] == [model.fc6, F.relu, F.dropout]
    assert functions['fc7'] == [model.fc7, F.relu, F.dropout]
    assert functions['fc8'] == [model.fc8]
    assert functions['prob'] == [F.softmax]
    assert len(functions['pool3']) == 1


def test_bad_n_layers():
    with pytest.raises(ValueError, match='either 16 or 19, but 18'):
        vgg.VGGLayers(pretrained_model=None, n_layers=18)


# ---------------------------------------------------------------- npz

def test_loads_chainer_npz(model, special):
    for key, value in special.items():
        link_name, param = key.split('/')
        numpy.testing.assert_array_equal(
            getattr(getattr(model, link_name), param).array, value)
    assert not model.fc6.W.array.any()


def test_save_keys_are_chainers(model):
    saved = DictionarySerializer()
    saved.save(model)
    assert set(saved.target) == set(_expected_params(16))


# ----------------------------------------------------------- 'auto'

@pytest.fixture
def narrow_vgg(monkeypatch):
    """VGG16Layers shrunk to 4-8-16-32-32 channels, fc 64, 10 classes, and
    the same net as a .caffemodel writer layer list (random weights)."""
    monkeypatch.setattr(vgg, '_BLOCK_CHANNELS', (4, 8, 16, 32, 32))
    monkeypatch.setattr(vgg, '_FC_UNITS', 64)
    monkeypatch.setattr(vgg, '_N_CLASSES', 10)
    rng = numpy.random.RandomState(3)
    layers = [{'name': 'data', 'type': 'Input', 'top': 'data',
               'input_param': {'shape': [{'dim': [1, 3, 224, 224]}]}}]
    bottom, c_in = 'data', 3
    for block, (c_out, depth) in enumerate(zip((4, 8, 16, 32, 32),
                                               (2, 2, 3, 3, 3)), 1):
        for i in range(1, depth + 1):
            name = 'conv{}_{}'.format(block, i)
            layers.append({
                'name': name, 'type': 'Convolution', 'bottom': bottom,
                'top': name, 'convolution_param': {
                    'num_output': c_out, 'pad': [1], 'kernel_size': [3]},
                'blobs': [(rng.randn(c_out, c_in, 3, 3) /
                           numpy.sqrt(c_in * 4.5)).astype('f'),
                          rng.randn(c_out).astype('f')]})
            layers.append({'name': 'relu' + name[4:], 'type': 'ReLU',
                           'bottom': name, 'top': name})
            bottom, c_in = name, c_out
        layers.append({'name': 'pool{}'.format(block), 'type': 'Pooling',
                       'bottom': bottom, 'top': 'pool{}'.format(block),
                       'pooling_param': {'pool': 'MAX', 'kernel_size': 2,
                                         'stride': 2}})
        bottom = 'pool{}'.format(block)
    for name, n_in, n_out in (('fc6', 32 * 49, 64), ('fc7', 64, 64),
                              ('fc8', 64, 10)):
        layers.append({'name': name, 'type': 'InnerProduct',
                       'bottom': bottom, 'top': name,
                       'inner_product_param': {'num_output': n_out},
                       'blobs': [(rng.randn(n_out, n_in) /
                                  numpy.sqrt(n_in / 2.)).astype('f'),
                                 rng.randn(n_out).astype('f')]})
        if name != 'fc8':
            layers.append({'name': 'relu' + name[2:], 'type': 'ReLU',
                           'bottom': name, 'top': name})
        bottom = name
    return layers


def _caffe_blobs(layers):
    return {'{}/{}'.format(layer['name'], key): blob
            for layer in layers if 'blobs' in layer
            for key, blob in zip('Wb', layer['blobs'])}


@pytest.mark.parametrize('fmt', ['layer', 'v1'])
def test_convert_caffemodel_to_npz(tmp_path, narrow_vgg, fmt):
    caffemodel = str(tmp_path / 'vgg.caffemodel')
    if fmt == 'v1':
        writer.save_caffemodel(caffemodel, narrow_vgg[1:], format='v1',
                               input=['data'], input_dim=[1, 3, 224, 224])
    else:
        writer.save_caffemodel(caffemodel, narrow_vgg)
    path = str(tmp_path / 'vgg.npz')
    L.VGG16Layers.convert_caffemodel_to_npz(caffemodel, path)
    with numpy.load(path) as saved:
        expected = _caffe_blobs(narrow_vgg)
        assert set(saved.files) == set(expected)
        for key, value in expected.items():
            numpy.testing.assert_array_equal(
                saved[key], value.reshape(saved[key].shape), err_msg=key)
    # the converted model computes what the Caffe model computes
    net = L.VGG16Layers(pretrained_model=path)
    caffe_net = CaffeFunction(caffemodel)
    x = numpy.random.RandomState(0).randn(1, 3, 224, 224).astype('f')
    with dynet.using_config('train', False):
        ours = net(x, layers=['fc8'])['fc8'].array
        theirs, = caffe_net(inputs={'data': x}, outputs=['fc8'])
    numpy.testing.assert_allclose(ours, theirs.array, rtol=1e-4, atol=1e-4)


def test_convert_names_a_missing_or_misshapen_layer(tmp_path, narrow_vgg):
    caffemodel = str(tmp_path / 'vgg.caffemodel')
    writer.save_caffemodel(caffemodel, [
        layer for layer in narrow_vgg if layer['name'] != 'conv3_2'])
    with pytest.raises(ValueError, match="no layer 'conv3_2'"):
        L.VGG16Layers.convert_caffemodel_to_npz(caffemodel, 'unused.npz')
    for layer in narrow_vgg:
        if layer['name'] == 'fc8':
            layer['inner_product_param']['num_output'] = 11
            layer['blobs'] = [numpy.zeros((11, 64), 'f'),
                              numpy.zeros(11, 'f')]
    writer.save_caffemodel(caffemodel, narrow_vgg)
    with pytest.raises(ValueError, match='layer fc8 W has 704 values'):
        L.VGG16Layers.convert_caffemodel_to_npz(caffemodel, 'unused.npz')
    assert not os.path.exists('unused.npz')


def test_auto_converts_a_caffemodel_in_the_cache(monkeypatch, tmp_path,
                                                 narrow_vgg):
    monkeypatch.setattr(download, '_dataset_root', str(tmp_path))
    directory = tmp_path / 'pfnet' / 'chainer' / 'models'
    directory.mkdir(parents=True)
    writer.save_caffemodel(
        str(directory / 'VGG_ILSVRC_16_layers.caffemodel'), narrow_vgg)
    net = L.VGG16Layers()
    assert (directory / 'VGG_ILSVRC_16_layers.npz').exists()
    numpy.testing.assert_array_equal(
        net.fc7.b.array, _caffe_blobs(narrow_vgg)['fc7/b'])


def test_auto_without_any_file_downloads_the_caffemodel(monkeypatch,
                                                        tmp_path):
    monkeypatch.setattr(download, '_dataset_root', str(tmp_path))
    urls = []

    def offline(url):
        urls.append(url)
        raise OSError('offline')
    monkeypatch.setattr(download, 'cached_download', offline)
    with pytest.raises(OSError, match='offline'):
        L.VGG19Layers(pretrained_model='auto')
    assert urls == ['http://www.robots.ox.ac.uk/%7Evgg/software/very_deep/'
                    'caffe/VGG_ILSVRC_19_layers.caffemodel']


def test_auto_loads_cached_file(monkeypatch, tmp_path, spies):
    monkeypatch.setattr(download, '_dataset_root', str(tmp_path))
    directory = tmp_path / 'pfnet' / 'chainer' / 'models'
    directory.mkdir(parents=True)
    (directory / 'VGG_ILSVRC_19_layers.npz').write_bytes(b'')
    net = L.VGG19Layers()
    assert spies == [(str(directory / 'VGG_ILSVRC_19_layers.npz'), net)]


# ------------------------------------------------------------ forward

def _relu_counter(monkeypatch):
    calls = []

    def counting_relu(x):
        calls.append(x.shape)
        return F.relu(x)
    monkeypatch.setattr(vgg, 'relu', counting_relu)
    return calls


def test_forward_stops_after_requested_layers(model, special, monkeypatch):
    calls = _relu_counter(monkeypatch)
    x = numpy.random.RandomState(1).uniform(
        -50, 50, (2, 3, 32, 32)).astype(numpy.float32)
    out = model(x, layers=['pool1', 'conv1_1'])
    assert set(out) == {'conv1_1', 'pool1'}
    assert len(calls) == 2  # conv1_1 and conv1_2 only
    h1 = F.relu(F.convolution_2d(x, special['conv1_1/W'],
                                 special['conv1_1/b'], pad=1))
    h2 = F.relu(F.convolution_2d(h1, special['conv1_2/W'],
                                 special['conv1_2/b'], pad=1))
    pooled = F.max_pooling_2d(h2, 2)
    assert out['pool1'].shape == (2, 64, 16, 16)
    numpy.testing.assert_allclose(out['conv1_1'].array, h1.array,
                                  rtol=1e-5, atol=1e-4)
    numpy.testing.assert_allclose(out['pool1'].array, pooled.array,
                                  rtol=1e-5, atol=1e-4)
    assert out['pool1'].creator is not None  # differentiable


def test_forward_argument_errors(model):
    x = numpy.zeros((1, 3, 8, 8), numpy.float32)
    with pytest.raises(ValueError, match="unknown layer.*'fc9'"):
        model(x, layers=['fc9'])
    with pytest.raises(ValueError, match='test argument is not supported'):
        model(x, layers=['conv1_1'], test=True)
    with pytest.raises(TypeError, match='unexpected keyword.*foo'):
        model(x, layers=['conv1_1'], foo=1)
    with pytest.raises(ValueError, match='volatile argument'):
        model.extract([x[0]], layers=['conv1_1'], volatile=True)


def test_predict_full_network(model, special):
    # fc6 and fc7 are zero, so fc8 = its bias whatever the image: the
    # probabilities are softmax(fc8/b).
    image = Image.fromarray(numpy.random.RandomState(2).randint(
        0, 256, (40, 60, 3)).astype(numpy.uint8))
    y = model.predict([image], oversample=False)
    assert isinstance(y, dynet.Variable) and y.shape == (1, 1000)
    assert y.creator is None  # no graph
    e = numpy.exp(special['fc8/b'].astype(numpy.float64))
    numpy.testing.assert_allclose(y.array[0], e / e.sum(), rtol=1e-4)


def test_predict_oversample_averages_ten_crops(model, monkeypatch):
    seen = []

    def fake_forward(x, layers=None):
        seen.append((x.shape, layers, dynet.config.train,
                     dynet.config.enable_backprop))
        # "probabilities": two pixels of each crop's first row
        return {'prob': x[:, 0, 0, :2] * 1}
    monkeypatch.setattr(model, 'forward', fake_forward)
    rng = numpy.random.RandomState(3)
    images = [rng.randint(0, 256, (3, 256, 256)).astype(numpy.float32)
              for _ in range(2)]
    y = model.predict(images)
    assert seen == [((20, 3, 224, 224), ['prob'], False, False)]
    assert y.shape == (2, 2)
    for k, image in enumerate(images):
        p = vgg.prepare(image, size=(256, 256))[0]
        values = []
        for top, left in [(0, 0), (0, 32), (32, 0), (32, 32), (16, 16)]:
            crop = p[top:top + 224, left:left + 224]
            values.append(crop[0, :2])
            values.append(crop[0, ::-1][:2])  # mirrored
        numpy.testing.assert_allclose(y.array[k], numpy.mean(values, 0),
                                      rtol=1e-5)
    y = model.predict(images[:1], oversample=False)
    assert seen[-1][0] == (1, 3, 224, 224)
    p = vgg.prepare(images[0], size=(256, 256))
    numpy.testing.assert_allclose(y.array[0], p[0, 16, 16:18], rtol=1e-6)


def test_extract(model, monkeypatch):
    rng = numpy.random.RandomState(4)
    pil = Image.fromarray(rng.randint(0, 256, (20, 30, 3)).astype(
        numpy.uint8))
    array = rng.randint(0, 256, (3, 16, 16)).astype(numpy.float32)
    out = model.extract([pil, array], layers=['pool1'], size=(16, 16))
    assert set(out) == {'pool1'} and out['pool1'].shape == (2, 64, 8, 8)
    x = numpy.stack([vgg.prepare(pil, (16, 16)),
                     vgg.prepare(array, (16, 16))])
    numpy.testing.assert_allclose(
        out['pool1'].array, model(x, layers=['pool1'])['pool1'].array,
        rtol=1e-6)
    # Defaults: layers ['fc7'], size (224, 224).
    seen = []
    monkeypatch.setattr(model, 'forward', lambda x, layers=None: seen.append(
        (x.shape, layers)) or {})
    model.extract([pil])
    assert seen == [((1, 3, 224, 224), ['fc7'])]


# ------------------------------------------------------------ prepare

def _rgb_pixels():
    return numpy.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255]],
                        [[10, 20, 30], [200, 100, 50], [0, 0, 0]]],
                       numpy.uint8)  # (h=2, w=3, RGB)


def _expected(rgb_hwc):
    bgr = rgb_hwc[:, :, ::-1].astype(numpy.float32) - _MEAN_BGR
    return bgr.transpose(2, 0, 1)


def test_prepare_pil_image_bgr_mean_chw():
    pixels = _rgb_pixels()
    out = vgg.prepare(Image.fromarray(pixels), size=None)
    assert out.shape == (3, 2, 3) and out.dtype == numpy.float32
    numpy.testing.assert_allclose(out, _expected(pixels), rtol=1e-6)
    # Pure red in RGB is the last channel in BGR.
    numpy.testing.assert_allclose(out[:, 0, 0], [-103.939, -116.779,
                                                 255 - 123.68], rtol=1e-6)
    assert out.flags.c_contiguous


def test_prepare_arrays_and_modes():
    pixels = _rgb_pixels()
    expected = _expected(pixels)
    for image in (pixels.transpose(2, 0, 1).astype(numpy.float32),
                  pixels,
                  Image.fromarray(pixels).convert('RGBA')):
        numpy.testing.assert_allclose(vgg.prepare(image, size=None),
                                      expected, rtol=1e-6)
    grey = numpy.array([[0, 128], [255, 7]], numpy.uint8)
    for image in (grey, grey[None].astype(numpy.float64)):
        out = vgg.prepare(image, size=None)
        numpy.testing.assert_allclose(
            out, grey[None].astype(numpy.float32) - _MEAN_BGR[:, None, None],
            rtol=1e-6)


def test_prepare_resize_and_dtype():
    image = Image.fromarray(_rgb_pixels())
    assert vgg.prepare(image).shape == (3, 224, 224)
    # size is (width, height), as in PIL
    assert vgg.prepare(image, size=(5, 7)).shape == (3, 7, 5)
    flat = Image.new('RGB', (9, 4), (30, 60, 90))
    numpy.testing.assert_allclose(
        vgg.prepare(flat, size=(3, 2)),
        numpy.broadcast_to(_expected(numpy.array([[[30, 60, 90]]],
                                                 numpy.uint8)), (3, 2, 3)),
        rtol=1e-5)
    with dynet.using_config('dtype', numpy.float64):
        assert vgg.prepare(image, size=None).dtype == numpy.float64


def test_ten_crops_order():
    images = numpy.arange(2 * 1 * 4 * 5, dtype=numpy.float32).reshape(
        2, 1, 4, 5)
    crops = _imagenet.ten_crops(images, (2, 3))
    assert crops.shape == (20, 1, 2, 3)
    numpy.testing.assert_array_equal(crops[0], images[0, :, :2, :3])
    numpy.testing.assert_array_equal(crops[3], images[0, :, 2:, 2:])
    numpy.testing.assert_array_equal(crops[4], images[0, :, 1:3, 1:4])
    numpy.testing.assert_array_equal(crops[5], images[0, :, :2, 2::-1])
    numpy.testing.assert_array_equal(crops[10], images[1, :, :2, :3])
