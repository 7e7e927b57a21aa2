import numpy

import dynet.functions as F
import dynet.links as L
from dynet import testing


def _x(*shape):
    return numpy.random.uniform(-1, 1, shape).astype(numpy.float32)


def test_explicit_sizes():
    link = L.LocalConvolution2D(3, 4, in_size=5, ksize=2)
    assert link.W.shape == (4, 4, 4, 3, 2, 2)
    assert link.b.shape == (4, 4, 4)
    numpy.testing.assert_array_equal(link.b.array, 0)
    link = L.LocalConvolution2D(3, 4, in_size=(6, 5), ksize=(3, 2),
                                stride=(2, 1))
    assert link.W.shape == (4, 2, 4, 3, 3, 2)


def test_deferred_forward_and_gradients():
    link = L.LocalConvolution2D(None, 2, ksize=3, stride=2)
    assert link.W.array is None
    x = _x(2, 3, 7, 6)
    y = link(x)
    assert link.W.shape == (2, 3, 2, 3, 3, 3) and y.shape == (2, 2, 3, 2)
    expected = F.local_convolution_2d(x, link.W.array, link.b.array, 2)
    numpy.testing.assert_allclose(y.array, expected.array, rtol=1e-6)
    F.sum(y).backward()
    assert link.W.grad.shape == link.W.shape
    numpy.testing.assert_array_equal(link.b.grad, 2)
    # in_channels known, in_size deferred.
    link = L.LocalConvolution2D(3, 2, ksize=2)
    assert link.W.array is None
    assert link(_x(1, 3, 4, 4)).shape == (1, 2, 3, 3)


def test_nobias_initializers_serialization():
    link = L.LocalConvolution2D(2, 1, 3, 2, nobias=True, initialW=0.5)
    assert [n for n, _ in link.namedparams()] == ['/W']
    numpy.testing.assert_array_equal(link.W.array, 0.5)
    src = L.LocalConvolution2D(2, 3, 4, 2)
    dst = L.LocalConvolution2D(2, 3, 4, 2)
    testing.save_and_load_npz(src, dst)
    numpy.testing.assert_array_equal(dst.W.array, src.W.array)


def test_load_into_deferred_link():
    src = L.LocalConvolution2D(2, 3, 4, 2)
    dst = L.LocalConvolution2D(None, 3, ksize=2)
    testing.save_and_load_npz(src, dst)
    assert dst.W.shape == (3, 3, 3, 2, 2, 2) and dst.b.shape == (3, 3, 3)
    numpy.testing.assert_array_equal(dst.W.array, src.W.array)
