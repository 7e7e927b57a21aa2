"""Tests of F.floor (not differentiable: the result is off the graph)."""
import math

import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable


def _reference(x):
    x = numpy.asarray(x, numpy.float64)
    y = numpy.empty(x.shape)
    for index in numpy.ndindex(*x.shape):
        v = x[index]
        y[index] = math.floor(v)
    return y


@testing.fix_random()
@pytest.mark.parametrize('shape', [(3, 2), (), (0, 3), (2, 1, 4)])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32,
                                   numpy.float64])
def test_values(shape, dtype):
    x = numpy.random.uniform(-5, 5, shape).astype(dtype)
    y = F.floor(Variable(x))
    assert y.dtype == dtype and y.shape == shape
    numpy.testing.assert_array_equal(y.array, _reference(x).astype(dtype))


def test_known_values():
    x = numpy.array([-1.5, -1.0, -0.5, 0.5, 1.0, 2.0], numpy.float32)
    numpy.testing.assert_array_equal(F.floor(x).array, [-2, -1, -1, 0, 1, 2])


def test_result_is_off_the_graph():
    x = Variable(numpy.array([0.5, -1.5], numpy.float32))
    y = F.floor(x)
    assert y.creator is None and not y.requires_grad
    # A graph using it gives x no gradient through floor.
    z = F.sum(y * x)
    z.backward()
    numpy.testing.assert_array_equal(x.grad, y.array)


def test_array_input():
    x = numpy.array([[2.7]], numpy.float64)
    y = F.floor(x)
    assert isinstance(y, Variable) and y.array is not x
    assert y.dtype == numpy.float64


def test_integer_input_keeps_its_dtype():
    x = numpy.array([-3, 0, 4], numpy.int32)
    y = F.floor(x)
    assert y.dtype == numpy.int32
    numpy.testing.assert_array_equal(y.array, x)


def test_bad_input_type():
    with pytest.raises(TypeError, match='floor.*list'):
        F.floor([1.5, 2.5])
