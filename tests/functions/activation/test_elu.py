"""Tests of F.elu and F.selu."""
import math

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.testing import backend
from dynet.testing import function_link
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


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


def _away_from_zero(shape, dtype, high=2.0):
    magnitude = numpy.random.uniform(0.1, high, shape)
    sign = numpy.where(numpy.random.uniform(-1, 1, shape) < 0, -1, 1)
    return numpy.asarray(magnitude * sign).astype(dtype)


def _reference_elu(x, alpha):
    y = numpy.empty(x.shape)
    for i in numpy.ndindex(*x.shape):
        v = float(x[i])
        y[i] = v if v > 0 else alpha * (math.exp(v) - 1)
    return y


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 3), (2, 1, 3)],
    'alpha': [1.0, 0.5, 2.0],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestELU(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        return _away_from_zero(self.shape, self.dtype),

    def forward(self, inputs, device):
        return F.elu(inputs[0], alpha=self.alpha),

    def forward_expected(self, inputs):
        return _reference_elu(inputs[0], self.alpha).astype(self.dtype),


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 3)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestSELU(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        return _away_from_zero(self.shape, self.dtype),

    def forward(self, inputs, device):
        return F.selu(inputs[0]),

    def forward_expected(self, inputs):
        return (_SELU_SCALE * _reference_elu(inputs[0], _SELU_ALPHA)).astype(
            self.dtype),


def test_selu_custom_constants():
    x = numpy.array([-1.0, 2.0])
    y = F.selu(Variable(x), alpha=2.0, scale=3.0)
    numpy.testing.assert_allclose(
        y.array, [3 * 2 * (math.exp(-1) - 1), 6.0], rtol=1e-14)


def test_elu_gradient_at_zero_is_alpha():
    # As in Chainer: x == 0 belongs to the exponential part.
    x = Variable(numpy.array([-0.0, 0.0, 1.0]))
    y = F.elu(x, alpha=2.0)
    numpy.testing.assert_array_equal(y.array, [0, 0, 1])
    F.sum(y).backward()
    numpy.testing.assert_array_equal(x.grad, [2, 2, 1])


def test_elu_large_inputs_do_not_overflow():
    x = Variable(numpy.array([1e4, -1e4], numpy.float32))
    with numpy.errstate(over='raise', invalid='raise'):
        y = F.elu(x)
        F.sum(y).backward()
    numpy.testing.assert_array_equal(y.array, [1e4, -1])
    numpy.testing.assert_array_equal(x.grad, [1, 0])


def test_elu_second_derivative():
    x = Variable(numpy.array([-1.5, -0.2, 0.7]))
    gx, = dynet.grad([F.sum(F.elu(x, 0.5))], [x],
                     enable_double_backprop=True)
    ggx, = dynet.grad([F.sum(gx)], [x])
    e = numpy.exp(x.array)
    numpy.testing.assert_allclose(gx.array, [0.5 * e[0], 0.5 * e[1], 1])
    numpy.testing.assert_allclose(ggx.array, [0.5 * e[0], 0.5 * e[1], 0])


def test_elu_non_float_input():
    with pytest.raises(type_check.InvalidType) as info:
        F.elu(Variable(numpy.ones((2,), numpy.int32)))
    message = str(info.value)
    assert 'ELU' in message and 'int32' in message
    assert 'Expect' in message and 'Actual' in message
