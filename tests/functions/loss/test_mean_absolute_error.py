"""Tests of F.mean_absolute_error."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _tolerances(test, dtype):
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 1e-3, 'rtol': 1e-3}
        test.check_backward_options = {'atol': 5e-3, 'rtol': 5e-3}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
        test.check_backward_options = {'atol': 1e-5, 'rtol': 1e-5}
    else:
        test.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-8}
    test.check_double_backward_options = test.check_backward_options


@testing.parameterize(*testing.product({
    'shape': [(4, 3), (), (2, 1, 3), (7,)],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestMeanAbsoluteError(testing.FunctionTestCase):

    dodge_nondifferentiable = True

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        x0 = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        x1 = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        return x0, x1

    def forward(self, inputs, device):
        return F.mean_absolute_error(*inputs),

    def forward_expected(self, inputs):
        x0, x1 = inputs
        total = 0.0
        for i in numpy.ndindex(*x0.shape):
            total += abs(float(x0[i]) - float(x1[i]))
        return numpy.asarray(total / x0.size, self.dtype),


def test_mean_absolute_error_gradient():
    x0 = Variable(numpy.array([1.0, -2.0, 3.0, 0.0]))
    x1 = Variable(numpy.array([0.5, 1.0, 3.0, -1.0]))
    y = F.mean_absolute_error(x0, x1)
    assert float(y.array) == pytest.approx((0.5 + 3 + 0 + 1) / 4)
    y.backward()
    numpy.testing.assert_array_equal(x0.grad, [0.25, -0.25, 0, 0.25])
    numpy.testing.assert_array_equal(x1.grad, -x0.grad)


def test_mean_absolute_error_of_empty_inputs_is_nan():
    y = F.mean_absolute_error(numpy.zeros((0,), numpy.float64),
                              numpy.zeros((0,), numpy.float64))
    assert numpy.isnan(y.array)


@pytest.mark.parametrize('a,b,expect', [
    ((numpy.float32, (2, 3)), (numpy.float64, (2, 3)), 'dtype'),
    ((numpy.float32, (2, 3)), (numpy.float32, (3, 2)), 'shape'),
    ((numpy.int32, (2,)), (numpy.int32, (2,)), 'int32'),
])
def test_mean_absolute_error_bad_inputs(a, b, expect):
    with pytest.raises(type_check.InvalidType) as info:
        F.mean_absolute_error(numpy.zeros(a[1], a[0]),
                              numpy.zeros(b[1], b[0]))
    message = str(info.value)
    assert 'MeanAbsoluteError' in message and expect in message
    assert 'Expect' in message and 'Actual' in message
