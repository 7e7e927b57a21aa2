import numpy
import pytest

import dynet.functions as F
import dynet.links as L
from dynet import testing


def test_learnable_bias():
    link = L.Bias(axis=1, shape=(3,))
    numpy.testing.assert_array_equal(link.b.array, 0)
    link.b.array[:] = [1, 2, 3]
    x = numpy.zeros((2, 3, 4), numpy.float32)
    y = link(x)
    numpy.testing.assert_array_equal(y.array,
                                     F.bias(x, link.b.array, 1).array)
    F.sum(y).backward()
    numpy.testing.assert_array_equal(link.b.grad, [8, 8, 8])


def test_given_bias_and_argument_count():
    link = L.Bias(axis=0)
    assert list(link.params()) == []
    y = link(numpy.zeros((2, 3), numpy.float32),
             numpy.array([1, 2], numpy.float32))
    numpy.testing.assert_array_equal(y.array, [[1, 1, 1], [2, 2, 2]])
    with pytest.raises(TypeError, match='two inputs'):
        link(numpy.zeros((2, 3), numpy.float32))


def test_serialization_round_trip():
    src, dst = L.Bias(shape=(2,)), L.Bias(shape=(2,))
    src.b.array[:] = [3, 4]
    testing.save_and_load_npz(src, dst)
    numpy.testing.assert_array_equal(dst.b.array, [3, 4])
