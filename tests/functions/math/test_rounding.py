"""Tests of F.ceil, F.floor and F.fix (not differentiable: the result is
off the graph). Each case runs for all three functions."""
import math

import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable

# name -> (the function, the scalar rounding written independently, the
# expected result for [-1.5, -1.0, -0.5, 0.5, 1.0, 2.0])
ROUNDINGS = {
    'ceil': (F.ceil, math.ceil, [-1, -1, -0, 1, 1, 2]),
    'floor': (F.floor, math.floor, [-2, -1, -1, 0, 1, 2]),
    'fix': (F.fix, math.trunc, [-1, -1, 0, 0, 1, 2]),
}

names = pytest.mark.parametrize('name', sorted(ROUNDINGS))


def _reference(round_scalar, x):
    x = numpy.asarray(x, numpy.float64)
    y = numpy.empty(x.shape)
    for index in numpy.ndindex(*x.shape):
        y[index] = round_scalar(x[index])
    return y


@names
@testing.fix_random()
@pytest.mark.parametrize('shape', [(3, 2), (), (0, 3), (2, 1, 4)])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32,
                                   numpy.float64])
def test_values(name, shape, dtype):
    function, round_scalar, _ = ROUNDINGS[name]
    x = numpy.random.uniform(-5, 5, shape).astype(dtype)
    y = function(Variable(x))
    assert y.dtype == dtype and y.shape == shape
    numpy.testing.assert_array_equal(
        y.array, _reference(round_scalar, x).astype(dtype))


@names
def test_known_values(name):
    function, _, expected = ROUNDINGS[name]
    x = numpy.array([-1.5, -1.0, -0.5, 0.5, 1.0, 2.0], numpy.float32)
    numpy.testing.assert_array_equal(function(x).array, expected)


@names
def test_result_is_off_the_graph(name):
    function = ROUNDINGS[name][0]
    x = Variable(numpy.array([0.5, -1.5], numpy.float32))
    y = function(x)
    assert y.creator is None and not y.requires_grad
    # A graph using it gives x no gradient through the rounding.
    z = F.sum(y * x)
    z.backward()
    numpy.testing.assert_array_equal(x.grad, y.array)


@names
def test_array_input(name):
    x = numpy.array([[2.7]], numpy.float64)
    y = ROUNDINGS[name][0](x)
    assert isinstance(y, Variable) and y.array is not x
    assert y.dtype == numpy.float64


@names
def test_integer_input_keeps_its_dtype(name):
    x = numpy.array([-3, 0, 4], numpy.int32)
    y = ROUNDINGS[name][0](x)
    assert y.dtype == numpy.int32
    numpy.testing.assert_array_equal(y.array, x)


@names
def test_bad_input_type(name):
    with pytest.raises(TypeError, match=name + '.*list'):
        ROUNDINGS[name][0]([1.5, 2.5])
