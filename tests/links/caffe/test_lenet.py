"""CaffeFunction on the real LeNet fixture (written by protoc-generated
code, reference outputs computed independently)."""
import os

import numpy
import pytest

import dynet
from dynet import links as L
from dynet.testing import attr
from dynet.links.caffe import CaffeFunction

DATA_DIR = os.path.join(os.path.dirname(__file__), 'data')


def _load(name):
    return numpy.load(os.path.join(DATA_DIR, name))


@pytest.fixture(scope='module')
def lenet():
    return CaffeFunction(os.path.join(DATA_DIR, 'lenet.caffemodel'))


def test_outputs_match_the_reference(lenet):
    x = _load('inputs.npy')
    with dynet.using_config('train', False):
        ip2, prob = lenet(inputs={'data': x}, outputs=['ip2', 'prob'])
    assert isinstance(ip2, dynet.Variable)
    assert ip2.dtype == numpy.float32 and ip2.shape == (4, 10)
    numpy.testing.assert_allclose(ip2.array, _load('expected_ip2.npy'),
                                  rtol=1e-5, atol=1e-5)
    numpy.testing.assert_allclose(prob.array, _load('expected_prob.npy'),
                                  rtol=1e-5, atol=1e-5)
    # Outputs come back in the order asked for.
    prob2, ip2b = lenet(inputs={'data': x}, outputs=['prob', 'ip2'])
    numpy.testing.assert_array_equal(prob2.array, prob.array)
    numpy.testing.assert_array_equal(ip2b.array, ip2.array)


def test_one_image_at_a_time_gives_the_same_rows(lenet):
    x = _load('inputs.npy')
    expected = _load('expected_prob.npy')
    for i in range(len(x)):
        prob, = lenet(inputs={'data': x[i:i + 1]}, outputs=['prob'])
        numpy.testing.assert_allclose(prob.array[0], expected[i],
                                      rtol=1e-5, atol=1e-5)


def test_layers_and_links(lenet):
    assert [name for name, _, _ in lenet.layers] == [
        'conv1', 'pool1', 'conv2', 'pool2', 'ip1', 'relu1', 'ip2', 'prob']
    assert lenet.layers[5] == ('relu1', ['ip1'], ['ip1'])
    assert sorted(lenet.forwards) == sorted(
        name for name, _, _ in lenet.layers)
    assert isinstance(lenet['conv1'], L.Convolution2D)
    assert isinstance(lenet['ip1'], L.Linear)
    shapes = {name: p.shape for name, p in lenet.namedparams()}
    assert shapes == {
        '/conv1/W': (20, 1, 5, 5), '/conv1/b': (20,),
        '/conv2/W': (50, 20, 5, 5), '/conv2/b': (50,),
        '/ip1/W': (500, 800), '/ip1/b': (500,),
        '/ip2/W': (10, 500), '/ip2/b': (10,)}
    for _, param in lenet.namedparams():
        assert param.dtype == numpy.float32
        assert param.array.flags.writeable and param.array.flags.owndata


def test_in_place_relu_rebinds_the_blob(lenet):
    x = _load('inputs.npy')
    lenet(inputs={'data': x}, outputs=['ip2'])
    ip1 = lenet.variables['ip1'].array
    assert ip1.shape == (4, 500)
    assert (ip1 >= 0).all() and (ip1 == 0).any()


def test_intermediate_blobs_and_disable(lenet):
    x = _load('inputs.npy')
    pool2, = lenet(inputs={'data': x}, outputs=['pool2'])
    assert pool2.shape == (4, 50, 4, 4)
    # Starting from an intermediate blob.
    ip2, = lenet(inputs={'pool2': pool2.array}, outputs=['ip2'])
    numpy.testing.assert_allclose(ip2.array, _load('expected_ip2.npy'),
                                  rtol=1e-5, atol=1e-5)
    # Without the in-place ReLU the logits differ.
    raw, = lenet(inputs={'data': x}, outputs=['ip2'], disable=['relu1'])
    assert not numpy.allclose(raw.array, ip2.array)


def test_gradients_reach_the_weights(tmp_path):
    func = CaffeFunction(os.path.join(DATA_DIR, 'lenet.caffemodel'))
    x = dynet.Variable(_load('inputs.npy'))
    ip2, = func(inputs={'data': x}, outputs=['ip2'])
    loss = dynet.functions.sum(ip2 * ip2)
    func.cleargrads()
    loss.backward()
    assert x.grad is not None and x.grad.shape == x.shape
    for _, param in func.namedparams():
        assert param.grad is not None
        assert numpy.isfinite(param.grad).all()
    assert abs(func['conv1'].W.grad).sum() > 0


def test_serialization_roundtrip(lenet, tmp_path):
    path = str(tmp_path / 'lenet.npz')
    dynet.serializers.save_npz(path, lenet)
    other = CaffeFunction(os.path.join(DATA_DIR, 'lenet.caffemodel'))
    for _, param in other.namedparams():
        param.array[...] = 0
    dynet.serializers.load_npz(path, other)
    for (name, a), (_, b) in zip(sorted(lenet.namedparams()),
                                 sorted(other.namedparams())):
        numpy.testing.assert_array_equal(a.array, b.array, err_msg=name)


def test_train_keyword_is_rejected(lenet):
    x = _load('inputs.npy')
    with pytest.raises(ValueError, match='train argument is not supported'):
        lenet(inputs={'data': x}, outputs=['prob'], train=False)
    with pytest.raises(TypeError, match="unexpected keyword.*'foo'"):
        lenet(inputs={'data': x}, outputs=['prob'], foo=1)


@attr.gpu
def test_on_gpu():
    import cupy
    func = CaffeFunction(os.path.join(DATA_DIR, 'lenet.caffemodel'))
    func.to_gpu()
    x = cupy.asarray(_load('inputs.npy'))
    with dynet.using_config('train', False):
        prob, = func(inputs={'data': x}, outputs=['prob'])
    assert isinstance(prob.array, cupy.ndarray)
    numpy.testing.assert_allclose(cupy.asnumpy(prob.array),
                                  _load('expected_prob.npy'),
                                  rtol=1e-5, atol=1e-5)


def test_copies(lenet):
    copied = lenet.copy(mode='copy')
    x = _load('inputs.npy')
    prob, = copied(inputs={'data': x}, outputs=['prob'])
    numpy.testing.assert_allclose(prob.array, _load('expected_prob.npy'),
                                  rtol=1e-5, atol=1e-5)
    assert copied['conv1'].W.array is not lenet['conv1'].W.array
    # The file's values are not kept, so they cannot be loaded again.
    with pytest.raises(RuntimeError, match="mode='copy' instead of 'init'"):
        lenet.copy(mode='init')
