"""Tests of F.sinh and F.cosh."""
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
        # cosh(2) = 3.8: one float16 ulp there is 2e-3.
        test.check_forward_options = {'atol': 2e-3, 'rtol': 1e-3}
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


def _reference(name, x):
    """sinh/cosh from their definitions with math.exp, element by
    element."""
    x = numpy.asarray(x, numpy.float64)
    y = numpy.empty(x.shape)
    for index in numpy.ndindex(*x.shape):
        e, f = math.exp(x[index]), math.exp(-x[index])
        y[index] = (e - f) / 2 if name == 'sinh' else (e + f) / 2
    return y


@testing.parameterize(*testing.product({
    'func': ['sinh', 'cosh'],
    'shape': [(3, 2), (), (0, 3), (2, 1, 2)],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestHyperbolic(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        return numpy.random.uniform(-2, 2, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return getattr(F, self.func)(inputs[0]),

    def forward_expected(self, inputs):
        return _reference(self.func, inputs[0]).astype(self.dtype),


def test_derivatives():
    x = Variable(numpy.array([-1.5, 0.0, 0.7]))
    gs, = dynet.grad([F.sum(F.sinh(x))], [x])
    gc, = dynet.grad([F.sum(F.cosh(x))], [x])
    numpy.testing.assert_allclose(gs.array, numpy.cosh(x.array))
    numpy.testing.assert_allclose(gc.array, numpy.sinh(x.array))


def test_cosh_second_derivative_is_cosh():
    x = Variable(numpy.array([-1.5, 0.0, 0.7]))
    gx, = dynet.grad([F.sum(F.cosh(x))], [x], enable_double_backprop=True)
    ggx, = dynet.grad([F.sum(gx)], [x])
    numpy.testing.assert_allclose(ggx.array, numpy.cosh(x.array))


@pytest.mark.parametrize('name', ['sinh', 'cosh'])
def test_non_float_input_is_rejected(name):
    with pytest.raises(type_check.InvalidType) as info:
        getattr(F, name)(numpy.ones(3, numpy.int64))
    message = str(info.value)
    assert name in message and 'int64' in message
    assert 'Expect' in message and 'Actual' in message
