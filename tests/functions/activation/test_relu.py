"""Tests of F.relu."""
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
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-3,
                                       'rtol': 1e-3}
    else:
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-6,
                                       'rtol': 1e-6}
    test.check_double_backward_options = test.check_backward_options


def _reference_relu(x):
    y = x.copy()
    y[x < 0] = 0
    return y


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 3), (2, 1, 3)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestReLU(function_link.FunctionTestCase):
    """Inputs with |x| >= 0.1, away from the kink at 0."""

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        magnitude = numpy.random.uniform(0.1, 1, self.shape)
        sign = numpy.where(numpy.random.uniform(-1, 1, self.shape) < 0,
                           -1, 1)
        return numpy.asarray(magnitude * sign).astype(self.dtype),

    def forward(self, inputs, device):
        return F.relu(inputs[0]),

    def forward_expected(self, inputs):
        return _reference_relu(inputs[0]),


@testing.parameterize(*testing.product({'dtype': _FLOATS}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestReLUDodging(function_link.FunctionTestCase):
    """Inputs anywhere in [-1, 1]; points too close to 0 are redrawn."""

    dodge_nondifferentiable = True

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (4, 3)).astype(self.dtype),

    def forward(self, inputs, device):
        return F.relu(inputs[0]),

    def forward_expected(self, inputs):
        return _reference_relu(inputs[0]),


def test_relu_values_and_gradient_at_zero():
    x = Variable(numpy.array([-2.0, -0.0, 0.0, 0.5, 3.0], numpy.float32))
    y = F.relu(x)
    assert y.dtype == numpy.float32
    numpy.testing.assert_array_equal(y.array, [0, 0, 0, 0.5, 3])
    F.sum(y).backward()
    numpy.testing.assert_array_equal(x.grad, [0, 0, 0, 1, 1])


def test_relu_second_derivative_is_zero():
    x = Variable(numpy.array([-1.0, 2.0]))
    # d/dx sum(relu(x)^2) = 2 relu(x) relu'(x); its derivative is 2 relu'^2.
    gx, = dynet.grad([F.sum(F.relu(x) * F.relu(x))], [x],
                     enable_double_backprop=True)
    numpy.testing.assert_array_equal(gx.array, [0, 4])
    ggx, = dynet.grad([F.sum(gx)], [x])
    numpy.testing.assert_array_equal(ggx.array, [0, 2])


@pytest.mark.parametrize('dtype', [numpy.int32, numpy.bool_])
def test_relu_non_float_input(dtype):
    x = Variable(numpy.ones((2,), dtype))
    with pytest.raises(type_check.InvalidType) as info:
        F.relu(x)
    message = str(info.value)
    assert 'ReLU' in message and numpy.dtype(dtype).name in message
    assert 'Expect' in message and 'Actual' in message
