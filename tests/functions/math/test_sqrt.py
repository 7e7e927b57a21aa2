"""Tests of F.sqrt and F.rsqrt."""
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
    """The numerical derivative is taken in float64 whatever the dtype."""
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 1e-3, 'rtol': 1e-3}
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


@testing.parameterize(*testing.product({
    'func': ['sqrt', 'rsqrt'],
    'shape': [(3, 2), (), (0, 3), (2, 1, 2)],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestSqrt(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        return numpy.random.uniform(0.5, 3, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return getattr(F, self.func)(inputs[0]),

    def forward_expected(self, inputs):
        x = numpy.asarray(inputs[0], numpy.float64)
        y = numpy.empty(x.shape)
        for index in numpy.ndindex(*x.shape):
            root = math.sqrt(x[index])
            y[index] = root if self.func == 'sqrt' else 1 / root
        return y.astype(self.dtype),


def test_values_and_derivatives():
    x = Variable(numpy.array([4.0, 0.25, 9.0]))
    numpy.testing.assert_array_equal(F.sqrt(x).array, [2, 0.5, 3])
    numpy.testing.assert_allclose(F.rsqrt(x).array, [0.5, 2, 1 / 3])
    gx, = dynet.grad([F.sum(F.sqrt(x))], [x])
    numpy.testing.assert_allclose(gx.array, [0.25, 1, 1 / 6])
    gx, = dynet.grad([F.sum(F.rsqrt(x))], [x])
    numpy.testing.assert_allclose(gx.array, -0.5 * x.array ** -1.5)


def test_negative_input_gives_nan_and_zero_infinite_gradient():
    with numpy.errstate(invalid='ignore', divide='ignore'):
        y = F.sqrt(numpy.array([-1.0], numpy.float32))
        assert numpy.isnan(y.array[0]) and y.dtype == numpy.float32
        x = Variable(numpy.array([0.0]))
        gx, = dynet.grad([F.sum(F.sqrt(x))], [x])
    assert gx.array[0] == numpy.inf


def test_second_derivative():
    x = Variable(numpy.array([0.5, 4.0]))
    gx, = dynet.grad([F.sum(F.sqrt(x))], [x], enable_double_backprop=True)
    ggx, = dynet.grad([F.sum(gx)], [x])
    numpy.testing.assert_allclose(ggx.array, -0.25 * x.array ** -1.5)


@pytest.mark.parametrize('func', [F.sqrt, F.rsqrt])
def test_non_float_input_is_rejected(func):
    with pytest.raises(type_check.InvalidType) as info:
        func(numpy.ones(3, numpy.int32))
    message = str(info.value)
    assert 'sqrt' in message and 'int32' in message
    assert 'Expect' in message and 'Actual' in message
