"""Tests of F.sign (its gradient is None: the result is off the graph)."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable


def _reference(x):
    y = numpy.empty(x.shape, x.dtype)
    for index in numpy.ndindex(*x.shape):
        v = x[index]
        y[index] = -1 if v < 0 else (1 if v > 0 else 0)
    return y


@testing.fix_random()
@pytest.mark.parametrize('shape', [(3, 2), (), (0, 3), (2, 1, 4)])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32,
                                   numpy.float64, numpy.int32])
def test_values(shape, dtype):
    x = numpy.random.uniform(-5, 5, shape).astype(dtype)
    y = F.sign(Variable(x))
    assert y.dtype == dtype and y.shape == shape
    numpy.testing.assert_array_equal(y.array, _reference(x))


def test_zero_and_nan():
    y = F.sign(numpy.array([-0.0, 0.0, numpy.nan, -numpy.inf],
                           numpy.float32)).array
    assert y[0] == 0 and y[1] == 0 and numpy.isnan(y[2]) and y[3] == -1


def test_result_is_off_the_graph():
    x = Variable(numpy.array([0.5, -1.5]))
    y = F.sign(x)
    assert y.creator is None and not y.requires_grad
    z = F.sum(y * x)  # = sum |x|, but only the explicit x gets a gradient
    z.backward()
    numpy.testing.assert_array_equal(x.grad, [1, -1])


def test_bad_input_type():
    with pytest.raises(TypeError, match='sign.*list'):
        F.sign([1.5, -2.5])
