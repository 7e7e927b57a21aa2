"""Tests of F.tanh."""
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


def _tolerances(test, dtype):
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 1e-3, 'rtol': 1e-3}
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


def _reference(x):
    y = numpy.empty(x.shape)
    for i in numpy.ndindex(*x.shape):
        y[i] = math.tanh(float(x[i]))
    return y


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 3), (2, 1, 3)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestTanh(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        return numpy.random.uniform(-2, 2, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.tanh(inputs[0]),

    def forward_expected(self, inputs):
        return _reference(inputs[0]).astype(self.dtype),


def test_tanh_second_derivative():
    x = Variable(numpy.array([-1.5, 0.0, 0.7]))
    gx, = dynet.grad([F.sum(F.tanh(x))], [x], enable_double_backprop=True)
    ggx, = dynet.grad([F.sum(gx)], [x])
    t = numpy.tanh(x.array)
    numpy.testing.assert_allclose(gx.array, 1 - t * t, rtol=1e-12)
    numpy.testing.assert_allclose(ggx.array, -2 * t * (1 - t * t),
                                  rtol=1e-12, atol=1e-15)


def test_tanh_non_float_input():
    with pytest.raises(type_check.InvalidType) as info:
        F.tanh(Variable(numpy.ones((2,), numpy.int64)))
    message = str(info.value)
    assert 'Tanh' in message and 'int64' in message
    assert 'Expect' in message and 'Actual' in message
