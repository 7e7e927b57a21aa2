"""Tests of F.clip."""
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


def _reference(x, x_min, x_max):
    x = numpy.asarray(x, numpy.float64)
    y = numpy.empty(x.shape)
    for index in numpy.ndindex(*x.shape):
        v = x[index]
        if x_min is not None and v < x_min:
            v = x_min
        if x_max is not None and v > x_max:
            v = x_max
        y[index] = v
    return y


@testing.parameterize(*testing.product({
    'shape': [(3, 4), (), (0, 3), (2, 1, 3)],
    'bounds': [(-0.5, 0.5), (None, 0.25), (-0.25, None)],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestClip(function_link.FunctionTestCase):
    """Inputs at least 0.05 away from the bounds (the kinks)."""

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_backward_options = {'eps': 1e-4, 'atol': 1e-3,
                                           'rtol': 1e-3}
        else:
            self.check_backward_options = {'eps': 1e-4, 'atol': 1e-7,
                                           'rtol': 1e-7}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, self.shape)
        for bound in self.bounds:
            if bound is not None:
                near = abs(x - bound) < 0.05
                x = numpy.where(near, bound + 0.1 * numpy.sign(x - bound) +
                                0.1 * (x == bound), x)
        return numpy.asarray(x).astype(self.dtype),

    def forward(self, inputs, device):
        return F.clip(inputs[0], *self.bounds),

    def forward_expected(self, inputs):
        return _reference(inputs[0], *self.bounds).astype(self.dtype),


def test_gradient_is_one_inside_including_the_bounds():
    x = Variable(numpy.array([-2.0, -1.0, 0.0, 1.0, 2.0], numpy.float32))
    y = F.clip(x, -1.0, 1.0)
    numpy.testing.assert_array_equal(y.array, [-1, -1, 0, 1, 1])
    F.sum(y).backward()
    numpy.testing.assert_array_equal(x.grad, [0, 1, 1, 1, 0])


def test_one_sided_and_integer_bounds():
    x = numpy.array([-3.0, 0.5, 3.0])
    numpy.testing.assert_array_equal(F.clip(x, None, 1).array, [-3, 0.5, 1])
    numpy.testing.assert_array_equal(F.clip(x, 0, None).array, [0, 0.5, 3])
    x16 = numpy.array([-3.0, 3.0], numpy.float16)
    y = F.clip(x16, numpy.float64(-1), numpy.float64(1))
    assert y.dtype == numpy.float16


def test_second_derivative_is_zero():
    x = Variable(numpy.array([-2.0, 0.3]))
    gx, = dynet.grad([F.sum(F.clip(x, -1.0, 1.0) ** 2)], [x],
                     enable_double_backprop=True)
    numpy.testing.assert_array_equal(gx.array, [0, 0.6])
    ggx, = dynet.grad([F.sum(gx)], [x])
    numpy.testing.assert_array_equal(ggx.array, [0, 2])


@pytest.mark.parametrize('x_min,x_max', [(1.0, 1.0), (2.0, -2.0)])
def test_empty_interval_is_rejected(x_min, x_max):
    with pytest.raises(ValueError, match='clip: x_min must be less than'):
        F.clip(numpy.zeros(2, numpy.float32), x_min, x_max)


def test_no_bound_is_rejected():
    with pytest.raises(ValueError, match='clip.*both None'):
        F.clip(numpy.zeros(2, numpy.float32), None, None)


def test_non_scalar_bound_is_rejected():
    with pytest.raises(TypeError, match='clip: x_max must be a real number'):
        F.clip(numpy.zeros(2, numpy.float32), 0.0, numpy.ones(2))


def test_non_float_input_is_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.clip(numpy.ones(3, numpy.int32), 0.0, 1.0)
    message = str(info.value)
    assert 'Clip' in message and 'int32' in message
    assert 'Expect' in message and 'Actual' in message


def test_works_with_type_check_off():
    x = Variable(numpy.array([-2.0, 0.5, 2.0], numpy.float32))
    with dynet.using_config('type_check', False):
        y = F.clip(x, -1.0, 1.0)
    F.sum(y).backward()
    numpy.testing.assert_array_equal(y.array, [-1, 0.5, 1])
    numpy.testing.assert_array_equal(x.grad, [0, 1, 0])
