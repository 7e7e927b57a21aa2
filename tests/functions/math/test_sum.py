"""Tests of F.sum and F.sum_to."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.testing import backend
from dynet.testing import function_link
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _tolerances(test, dtype):
    """Forward and gradient tolerances; the numerical derivative itself is
    computed in float64."""
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 2e-3, 'rtol': 2e-3}
        test.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                       'rtol': 5e-3}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-5,
                                       'rtol': 1e-5}
    else:
        test.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-8}
    test.check_double_backward_options = test.check_backward_options


def _reference_sum(x, axis, keepdims):
    """Sum by explicit loops over the reduced axes (float64)."""
    x = numpy.asarray(x, numpy.float64)
    if axis is None:
        axes = tuple(range(x.ndim))
    elif isinstance(axis, int):
        axes = (axis % x.ndim,)
    else:
        axes = tuple(a % x.ndim for a in axis)
    out_shape = tuple(1 if i in axes else n for i, n in enumerate(x.shape))
    y = numpy.zeros(out_shape)
    for index in numpy.ndindex(*x.shape):
        target = tuple(0 if i in axes else j for i, j in enumerate(index))
        y[target] += x[index]
    if not keepdims:
        y = y.reshape(tuple(n for i, n in enumerate(x.shape)
                            if i not in axes))
    return y


@testing.parameterize(*(testing.product({
    'shape_axis': [((3, 4), None), ((3, 4), 0), ((3, 4), 1), ((3, 4), -1),
                   ((2, 3, 4), (0, 2)), ((2, 3, 4), (-1, 0, 1)),
                   ((2, 3, 4), ()), ((), None), ((), ()), ((0, 3), 0),
                   ((0, 3), 1), ((0, 3), None)],
    'keepdims': [False, True],
    'dtype': _FLOATS,
})))
@backend.inject_backend_tests(None, _BACKENDS)
class TestSum(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.shape, self.axis = self.shape_axis

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.sum(inputs[0], axis=self.axis, keepdims=self.keepdims),

    def forward_expected(self, inputs):
        return _reference_sum(inputs[0], self.axis, self.keepdims).astype(
            self.dtype),


@testing.parameterize(*testing.product({
    'shapes': [((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 4), (1, 4)),
               ((3, 4), (3, 1)), ((3, 4), ()), ((2, 3, 4), (3, 1)),
               ((2, 1, 4), (1, 1)), ((), ()), ((0, 4), (4,)),
               ((3, 0), (1, 0))],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestSumTo(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.in_shape, self.out_shape = self.shapes

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.in_shape).astype(
            self.dtype),

    def forward(self, inputs, device):
        return F.sum_to(inputs[0], self.out_shape),

    def forward_expected(self, inputs):
        # sum_to is the adjoint of broadcasting: each output element is
        # the sum of the input elements that broadcast from it.
        x = inputs[0].astype(numpy.float64)
        y = numpy.zeros(self.out_shape)
        lead = x.ndim - len(self.out_shape)
        for index in numpy.ndindex(*x.shape):
            target = tuple(0 if n == 1 else i for i, n in zip(
                index[lead:], self.out_shape))
            y[target] += x[index]
        return y.astype(self.dtype),


def test_sum_returns_array_of_input_dtype_and_0_dim_output():
    x = Variable(numpy.arange(6, dtype=numpy.float32).reshape(2, 3))
    y = F.sum(x)
    assert y.shape == () and y.dtype == numpy.float32
    assert isinstance(y.array, numpy.ndarray)
    assert float(y.array) == 15


def test_sum_gradient_is_broadcast_back():
    x = Variable(numpy.arange(6, dtype=numpy.float64).reshape(2, 3))
    y = F.sum(x, axis=1)
    y.grad = numpy.array([2.0, 3.0])
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [[2, 2, 2], [3, 3, 3]])


@pytest.mark.parametrize('axis', [2, -3, (0, 5)])
def test_sum_axis_out_of_range(axis):
    x = Variable(numpy.zeros((2, 3), numpy.float32))
    with pytest.raises(type_check.InvalidType) as info:
        F.sum(x, axis=axis)
    message = str(info.value)
    assert 'Sum' in message and 'axis' in message
    assert 'Expect' in message and 'Actual' in message
    assert 'ndim == 2' in message


def test_sum_duplicate_axis():
    x = Variable(numpy.zeros((2, 3), numpy.float32))
    with pytest.raises(ValueError, match='Sum.*duplicate'):
        F.sum(x, axis=(1, -1))


@pytest.mark.parametrize('axis', [1.0, 'a', (0, None)])
def test_sum_axis_of_wrong_type(axis):
    x = Variable(numpy.zeros((2, 3), numpy.float32))
    with pytest.raises(TypeError, match='Sum'):
        F.sum(x, axis=axis)


@pytest.mark.parametrize('in_shape,shape', [
    ((3, 4), (2, 4)), ((3, 4), (5,)), ((4,), (3, 4)), ((3, 4), (4, 1))])
def test_sum_to_unreachable_shape(in_shape, shape):
    x = Variable(numpy.zeros(in_shape, numpy.float32))
    with pytest.raises(type_check.InvalidType) as info:
        F.sum_to(x, shape)
    message = str(info.value)
    assert 'SumTo' in message
    assert str(shape) in message and str(in_shape) in message
