import numpy
import pytest

import dynet.functions as F
import dynet.links as L
from dynet import testing


def test_learnable_scale_with_bias():
    link = L.Scale(axis=1, W_shape=(3,), bias_term=True)
    assert sorted(n for n, _ in link.namedparams()) == ['/W', '/bias/b']
    numpy.testing.assert_array_equal(link.W.array, 1)
    link.W.array[:] = [1, 2, 3]
    link.bias.b.array[:] = [1, 1, 1]
    x = numpy.random.uniform(-1, 1, (2, 3, 2)).astype(numpy.float32)
    y = link(x)
    expected = F.bias(F.scale(x, link.W.array, 1), link.bias.b.array, 1)
    numpy.testing.assert_allclose(y.array, expected.array)
    F.sum(y).backward()
    numpy.testing.assert_allclose(link.W.grad, x.sum(axis=(0, 2)),
                                  rtol=1e-6)
    numpy.testing.assert_array_equal(link.bias.b.grad, [4, 4, 4])


def test_given_weight():
    link = L.Scale(axis=0, bias_term=True, bias_shape=(2,))
    x = numpy.ones((2, 3), numpy.float32)
    y = link(x, numpy.array([2, 3], numpy.float32))
    numpy.testing.assert_array_equal(y.array, [[2, 2, 2], [3, 3, 3]])
    with pytest.raises(TypeError, match='two inputs'):
        link(x)
    with pytest.raises(ValueError, match='bias_shape should be given'):
        L.Scale(bias_term=True)


def test_serialization_round_trip():
    src = L.Scale(W_shape=(2,), bias_term=True)
    src.W.array[:] = [5, 6]
    dst = L.Scale(W_shape=(2,), bias_term=True)
    testing.save_and_load_npz(src, dst)
    numpy.testing.assert_array_equal(dst.W.array, [5, 6])
