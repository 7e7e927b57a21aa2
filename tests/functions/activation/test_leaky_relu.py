"""Tests of F.leaky_relu."""
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
        test.check_forward_options = {'atol': 1e-3, 'rtol': 1e-3}
        test.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                       'rtol': 5e-3}
    else:
        test.check_forward_options = {'atol': 1e-7, 'rtol': 1e-7}
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-6,
                                       'rtol': 1e-6}
    test.check_double_backward_options = test.check_backward_options


def _reference(x, slope):
    y = numpy.empty(x.shape)
    for i in numpy.ndindex(*x.shape):
        v = float(x[i])
        y[i] = v if v > 0 else slope * v
    return y


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 3), (2, 1, 3)],
    'slope': [0.2, 0.0, -0.5, 1.5],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestLeakyReLU(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        magnitude = numpy.random.uniform(0.1, 1, self.shape)
        sign = numpy.where(numpy.random.uniform(-1, 1, self.shape) < 0,
                           -1, 1)
        return numpy.asarray(magnitude * sign).astype(self.dtype),

    def forward(self, inputs, device):
        return F.leaky_relu(inputs[0], slope=self.slope),

    def forward_expected(self, inputs):
        return _reference(inputs[0], self.slope).astype(self.dtype),


def test_leaky_relu_default_slope_and_gradient_at_zero():
    # As in Chainer, x == 0 takes the sloped branch.
    x = Variable(numpy.array([-2.0, -0.0, 0.0, 3.0], numpy.float32))
    y = F.leaky_relu(x)
    numpy.testing.assert_allclose(y.array, [-0.4, 0, 0, 3])
    F.sum(y).backward()
    numpy.testing.assert_allclose(x.grad, [0.2, 0.2, 0.2, 1])


def test_leaky_relu_non_float_input():
    with pytest.raises(type_check.InvalidType) as info:
        F.leaky_relu(Variable(numpy.ones((2,), numpy.int32)))
    message = str(info.value)
    assert 'LeakyReLU' in message and 'int32' in message
