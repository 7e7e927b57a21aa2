"""Tests of F.swish."""
import math

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
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 2e-3, 'rtol': 2e-3}
        test.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                       'rtol': 5e-3}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-5,
                                       'rtol': 1e-5}
    else:
        test.check_forward_options = {'atol': 1e-14, 'rtol': 1e-14}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-8}
    test.check_double_backward_options = test.check_backward_options


def _reference(x, beta):
    y = numpy.empty(x.shape)
    for index in numpy.ndindex(*x.shape):
        v = float(x[index])
        b = float(beta[index[1:1 + beta.ndim]])
        y[index] = v / (1 + math.exp(-b * v))
    return y


@testing.parameterize(*testing.product({
    'x_beta_shape': [((2, 3), (3,)), ((2, 3), ()), ((2, 3, 4), (3,)),
                     ((2, 3, 4), (3, 4)), ((0, 3), (3,)), ((3,), ())],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestSwish(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.x_shape, self.beta_shape = self.x_beta_shape

    def generate_inputs(self):
        x = numpy.random.uniform(-2, 2, self.x_shape).astype(self.dtype)
        beta = numpy.random.uniform(-2, 2, self.beta_shape).astype(
            self.dtype)
        return x, beta

    def forward(self, inputs, device):
        return F.swish(*inputs),

    def forward_expected(self, inputs):
        return _reference(*inputs).astype(self.dtype),


def test_swish_limits():
    x = numpy.array([[-2.0, 3.0]])
    # beta = 0 gives x / 2; a large beta approaches relu.
    numpy.testing.assert_allclose(
        F.swish(Variable(x), numpy.zeros(2)).array, x / 2)
    numpy.testing.assert_allclose(
        F.swish(Variable(x), numpy.full(2, 50.0)).array, [[0, 3]],
        atol=1e-30)


def test_swish_shape_mismatch():
    with pytest.raises(type_check.InvalidType) as info:
        F.swish(Variable(numpy.zeros((2, 3), numpy.float32)),
                Variable(numpy.zeros((2,), numpy.float32)))
    message = str(info.value)
    assert 'Swish' in message and 'beta' in message


def test_swish_non_float_input():
    with pytest.raises(type_check.InvalidType) as info:
        F.swish(Variable(numpy.zeros((2, 3), numpy.int32)),
                Variable(numpy.zeros((3,), numpy.int32)))
    assert 'Swish' in str(info.value) and 'int32' in str(info.value)
