import numpy

import dynet.functions as F
import dynet.links as L
from dynet import initializers
from dynet import testing


def _x(*shape):
    return numpy.random.uniform(-1, 1, shape).astype(numpy.float32)


def test_shapes_and_default_initializer():
    numpy.random.seed(2)
    link = L.DepthwiseConvolution2D(3, 2, 3)
    assert link.W.shape == (2, 3, 3, 3) and link.b.shape == (6,)
    numpy.testing.assert_array_equal(link.b.array, 0)
    numpy.random.seed(2)
    expected = numpy.empty((2, 3, 3, 3), numpy.float32)
    initializers.HeNormal(1 / numpy.sqrt(2))(expected)
    numpy.testing.assert_array_equal(link.W.array, expected)


def test_deferred_forward_and_gradients():
    link = L.DepthwiseConvolution2D(None, 2, (2, 3), stride=2, pad=1)
    assert link.W.array is None and link.b.array is None
    x = _x(2, 3, 5, 5)
    y = link(x)
    assert link.W.shape == (2, 3, 2, 3) and link.b.shape == (6,)
    expected = F.depthwise_convolution_2d(x, link.W.array, link.b.array,
                                          2, 1)
    numpy.testing.assert_allclose(y.array, expected.array, rtol=1e-6)
    F.sum(y).backward()
    assert link.W.grad.shape == link.W.shape
    numpy.testing.assert_allclose(link.b.grad, numpy.prod(y.shape) / 6)


def test_nobias_and_serialization():
    link = L.DepthwiseConvolution2D(2, 1, 2, nobias=True)
    assert link.b is None
    assert [n for n, _ in link.namedparams()] == ['/W']
    src, dst = L.DepthwiseConvolution2D(2, 3, 2), \
        L.DepthwiseConvolution2D(2, 3, 2)
    testing.save_and_load_npz(src, dst)
    numpy.testing.assert_array_equal(dst.W.array, src.W.array)
