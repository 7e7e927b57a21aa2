"""``dynet.links.caffe.writer``, the fixture writer."""
import os

import numpy
import pytest

from dynet.links.caffe import _schema
from dynet.links.caffe import writer


def test_current_format_round_trip():
    w = numpy.arange(6, dtype='f').reshape(2, 3)
    data = writer.net_to_bytes([
        {'name': 'ip', 'type': 'InnerProduct', 'bottom': 'x', 'top': 'ip',
         'inner_product_param': {'num_output': 2, 'axis': -1},
         'include': [{'phase': 'TEST'}], 'blobs': [w]},
    ], name='n', input=['x'], input_shape=[(1, 3)])
    net = _schema.decode('NetParameter', data)
    assert net.name == 'n' and net.input == ['x']
    assert net.input_shape[0].dim == [1, 3]
    layer = net.layer[0]
    assert (layer.name, layer.type, layer.bottom, layer.top) == (
        'ip', 'InnerProduct', ['x'], ['ip'])
    assert layer.inner_product_param.axis == -1
    assert layer.include[0].phase == _schema.PHASE['TEST']
    assert layer.blobs[0].shape.dim == [2, 3]
    numpy.testing.assert_array_equal(layer.blobs[0].data, w.ravel())
    assert not layer.blobs[0].has('num')


def test_v1_format_types_and_legacy_blob_shapes():
    data = writer.net_to_bytes([
        {'name': 'ip', 'type': 'InnerProduct', 'bottom': 'x', 'top': 'ip',
         'blobs': [numpy.zeros((2, 3), 'f'), numpy.zeros(2, 'f')]},
        {'name': 'c', 'type': 'CONVOLUTION', 'bottom': 'x', 'top': 'c',
         'blobs': [numpy.zeros((4, 1, 2, 3), 'f')]},
        {'name': 'l', 'type': 'SoftmaxWithLoss', 'bottom': ['c', 't']},
        {'name': 'n', 'type': 18},
    ], format='v1', input_dim=[1, 3, 1, 1], input='x')
    net = _schema.decode('NetParameter', data)
    assert not net.layer and net.input_dim == [1, 3, 1, 1]
    types = [layer.type for layer in net.layers]
    assert types == [14, 4, 21, 18]
    legacy = [(b.num, b.channels, b.height, b.width)
              for layer in net.layers for b in layer.blobs]
    assert legacy == [(1, 1, 2, 3), (1, 1, 1, 2), (4, 1, 2, 3)]
    assert not net.layers[0].blobs[0].has('shape')


@pytest.mark.parametrize('layers,kwargs,error,match', [
    ([{'name': 'a', 'type': 'ReLU', 'batch_norm_param': {}}],
     {'format': 'v1'}, ValueError, 'has no field.*batch_norm_param'),
    ([{'name': 'a', 'type': 'Fancy'}], {'format': 'v1'}, ValueError,
     "no layer type 'Fancy'"),
    ([{'name': 'a', 'kernel_size': 3}], {}, ValueError,
     'has no field.*kernel_size'),
    ([{'name': 1}], {}, TypeError, 'needs a str name'),
    ([], {'format': 'v2'}, ValueError, "format must be 'layer' or 'v1'"),
    ([{'name': 'a', 'blobs': [numpy.zeros((1,) * 5, 'f')]}],
     {'format': 'v1'}, ValueError, 'more than 4 axes'),
    ([{'name': 'a', 'blobs': [writer.blob([1], legacy_shape=(1, 1))]}],
     {}, ValueError, 'legacy_shape must have 4 values'),
])
def test_bad_descriptions(layers, kwargs, error, match):
    with pytest.raises(error, match=match):
        writer.net_to_bytes(layers, **kwargs)


def test_blob_options():
    data = writer.net_to_bytes([{'name': 'a', 'blobs': [
        writer.blob([1.5, 2.5], double=True),
        writer.blob([1, 2, 3], shape=(5,)),
        writer.blob(numpy.ones((2, 2)), legacy_shape=True),
        writer.blob([7], packed=False, legacy_shape=False),
    ]}], format='v1')
    blobs = _schema.decode('NetParameter', data).layers[0].blobs
    assert blobs[0].double_data.tolist() == [1.5, 2.5]
    assert blobs[0].data.size == 0
    assert blobs[1].shape.dim == [5] and blobs[1].data.size == 3
    assert (blobs[2].num, blobs[2].height, blobs[2].width) == (1, 2, 2)
    assert blobs[3].shape.dim == [1] and blobs[3].data.tolist() == [7]


def test_save_is_atomic(tmp_path):
    path = str(tmp_path / 'model.caffemodel')
    writer.save_caffemodel(path, [{'name': 'a', 'type': 'ReLU'}])
    with open(path, 'rb') as f:
        first = f.read()
    assert _schema.decode('NetParameter', first).layer[0].name == 'a'
    with pytest.raises(ValueError):
        writer.save_caffemodel(path, [{'name': 'b', 'nonsense': 1}])
    with open(path, 'rb') as f:
        assert f.read() == first
    assert os.listdir(str(tmp_path)) == ['model.caffemodel']
