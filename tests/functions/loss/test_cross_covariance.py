"""Tests of F.cross_covariance."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _tolerances(test, dtype):
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 5e-3, 'rtol': 5e-3}
        test.check_backward_options = {'atol': 1e-2, 'rtol': 1e-2}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-6, 'rtol': 1e-5}
        test.check_backward_options = {'atol': 1e-5, 'rtol': 1e-5}
    else:
        test.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-8}
    test.check_double_backward_options = test.check_backward_options


@testing.parameterize(*testing.product({
    'shapes': [((4, 3), (4, 2)), ((1, 2), (1, 3)), ((5, 1), (5, 1))],
    'reduce': ['half_squared_sum', 'no'],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestCrossCovariance(testing.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        y = numpy.random.uniform(-1, 1, self.shapes[0]).astype(self.dtype)
        z = numpy.random.uniform(-1, 1, self.shapes[1]).astype(self.dtype)
        return y, z

    def forward(self, inputs, device):
        return F.cross_covariance(*inputs, reduce=self.reduce),

    def forward_expected(self, inputs):
        y, z = [x.astype(numpy.float64) for x in inputs]
        n, m = y.shape
        k = z.shape[1]
        y_mean = [sum(y[i, a] for i in range(n)) / n for a in range(m)]
        z_mean = [sum(z[i, b] for i in range(n)) / n for b in range(k)]
        cov = numpy.zeros((m, k))
        for a in range(m):
            for b in range(k):
                cov[a, b] = sum((y[i, a] - y_mean[a]) * (z[i, b] - z_mean[b])
                                for i in range(n)) / n
        if self.reduce == 'half_squared_sum':
            cov = numpy.asarray(0.5 * (cov ** 2).sum())
        return cov.astype(self.dtype),


def test_cross_covariance_invalid_reduce():
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(ValueError) as info:
        F.cross_covariance(x, x, reduce='mean')
    message = str(info.value)
    assert 'cross_covariance' in message
    assert "'half_squared_sum'" in message and "'no'" in message


@pytest.mark.parametrize('y,z,expect', [
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros((3, 3), numpy.float32),
     'shape'),
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros((2, 3), numpy.float64),
     'dtype'),
    (numpy.zeros((2, 3, 1), numpy.float32),
     numpy.zeros((2, 3), numpy.float32), 'ndim'),
    (numpy.zeros((2, 3), numpy.int32), numpy.zeros((2, 3), numpy.int32),
     'int32'),
])
def test_cross_covariance_bad_inputs(y, z, expect):
    with pytest.raises(type_check.InvalidType) as info:
        F.cross_covariance(y, z)
    message = str(info.value)
    assert 'CrossCovariance' in message and expect in message
    assert 'Expect' in message and 'Actual' in message
