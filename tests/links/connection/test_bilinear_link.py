import numpy
import pytest

import dynet.functions as F
import dynet.links as L
from dynet import initializers
from dynet import testing


def test_parameters_and_default_initializers():
    numpy.random.seed(0)
    link = L.Bilinear(2, 3, 4)
    assert [name for name, _ in link.namedparams()] == \
        ['/V1', '/V2', '/W', '/b']
    assert link.W.shape == (2, 3, 4) and link.V1.shape == (2, 4)
    assert link.V2.shape == (3, 4) and link.b.shape == (4,)
    numpy.testing.assert_array_equal(link.b.array, 0)
    # Drawn in the order W, V1, V2 with LeCunNormal, as Chainer does.
    numpy.random.seed(0)
    expected = []
    for shape in ((2, 3, 4), (2, 4), (3, 4)):
        a = numpy.empty(shape, numpy.float32)
        initializers.LeCunNormal()(a)
        expected.append(a)
    for param, a in zip((link.W, link.V1, link.V2), expected):
        numpy.testing.assert_array_equal(param.array, a)


def test_forward_matches_function_and_gradients():
    link = L.Bilinear(2, 3, 4)
    e1 = numpy.random.uniform(-1, 1, (5, 2)).astype(numpy.float32)
    e2 = numpy.random.uniform(-1, 1, (5, 3)).astype(numpy.float32)
    y = link(e1, e2)
    expected = F.bilinear(e1, e2, link.W.array, link.V1.array,
                          link.V2.array, link.b.array)
    numpy.testing.assert_allclose(y.array, expected.array, rtol=1e-6)
    F.sum(y).backward()
    for param in link.params():
        assert param.grad is not None and param.grad.shape == param.shape
    numpy.testing.assert_allclose(link.b.grad, [5, 5, 5, 5])


def test_nobias_and_initializers():
    w = numpy.ones((2, 3, 4), numpy.float32)
    link = L.Bilinear(2, 3, 4, nobias=True, initialW=w)
    assert [name for name, _ in link.namedparams()] == ['/W']
    y = link(numpy.ones((1, 2), numpy.float32),
             numpy.ones((1, 3), numpy.float32))
    numpy.testing.assert_array_equal(y.array, [[6, 6, 6, 6]])
    link = L.Bilinear(2, 3, 4, initial_bias=(1.0, 2.0, 3.0))
    numpy.testing.assert_array_equal(link.V1.array, 1)
    numpy.testing.assert_array_equal(link.V2.array, 2)
    numpy.testing.assert_array_equal(link.b.array, 3)
    with pytest.raises(ValueError, match='initial_bias must be a tuple'):
        L.Bilinear(2, 3, 4, initial_bias=1.0)
    with pytest.raises(ValueError, match=r'initialW must have shape'):
        L.Bilinear(2, 3, 4, initialW=numpy.ones((2, 3), numpy.float32))


def test_serialization_round_trip():
    src = L.Bilinear(2, 3, 4)
    dst = L.Bilinear(2, 3, 4)
    testing.save_and_load_npz(src, dst)
    for name, param in src.namedparams():
        numpy.testing.assert_array_equal(
            dict(dst.namedparams())[name].array, param.array)
