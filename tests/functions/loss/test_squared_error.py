"""Tests of F.squared_error."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
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
    'shape': [(3, 2), (), (0, 3), (2, 1, 3)],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestSquaredError(testing.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        x0 = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        x1 = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        return x0, x1

    def forward(self, inputs, device):
        return F.squared_error(*inputs),

    def forward_expected(self, inputs):
        x0, x1 = inputs
        y = numpy.empty(x0.shape, self.dtype)
        for i in numpy.ndindex(*x0.shape):
            d = float(x0[i]) - float(x1[i])
            y[i] = d * d
        return y,


@pytest.mark.parametrize('a,b,expect', [
    ((numpy.float32, (2, 3)), (numpy.float16, (2, 3)), 'dtype'),
    ((numpy.float32, (2, 3)), (numpy.float32, (2, 1)), 'shape'),
    ((numpy.int64, (2,)), (numpy.int64, (2,)), 'int64'),
])
def test_squared_error_bad_inputs(a, b, expect):
    with pytest.raises(type_check.InvalidType) as info:
        F.squared_error(numpy.zeros(a[1], a[0]), numpy.zeros(b[1], b[0]))
    message = str(info.value)
    assert 'SquaredError' in message and expect in message
    assert 'Expect' in message and 'Actual' in message
