import numpy

import dynet.functions as F
import dynet.links as L
from dynet import testing


def test_default_and_forward():
    link = L.PReLU()
    assert link.W.shape == () and float(link.W.array) == 0.25
    x = numpy.array([[-2, 1], [4, -4]], numpy.float32)
    numpy.testing.assert_array_equal(link(x).array, [[-0.5, 1], [4, -1]])


def test_shape_gradients_serialization():
    link = L.PReLU(shape=(2,), init=0.1)
    x = numpy.random.uniform(-1, 1, (3, 2, 2)).astype(numpy.float32)
    y = link(x)
    numpy.testing.assert_allclose(y.array,
                                  F.prelu(x, link.W.array).array)
    F.sum(y).backward()
    numpy.testing.assert_allclose(
        link.W.grad, numpy.where(x < 0, x, 0).sum(axis=(0, 2)), rtol=1e-6)
    dst = L.PReLU(shape=(2,))
    testing.save_and_load_npz(link, dst)
    numpy.testing.assert_allclose(dst.W.array, [0.1, 0.1])
