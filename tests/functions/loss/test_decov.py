"""Tests of F.decov."""
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
    'shape': [(4, 3), (1, 2), (5, 1)],
    'reduce': ['half_squared_sum', 'no'],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestDeCov(testing.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.decov(inputs[0], reduce=self.reduce),

    def forward_expected(self, inputs):
        h = inputs[0].astype(numpy.float64)
        n, m = h.shape
        mean = [sum(h[i, a] for i in range(n)) / n for a in range(m)]
        cov = numpy.zeros((m, m))
        for a in range(m):
            for b in range(m):
                if a != b:
                    cov[a, b] = sum((h[i, a] - mean[a]) * (h[i, b] - mean[b])
                                    for i in range(n)) / n
        if self.reduce == 'half_squared_sum':
            cov = numpy.asarray(0.5 * (cov ** 2).sum())
        return cov.astype(self.dtype),


def test_decov_invalid_reduce():
    with pytest.raises(ValueError) as info:
        F.decov(numpy.zeros((2, 3), numpy.float32), reduce='sum')
    message = str(info.value)
    assert 'decov' in message and "'half_squared_sum'" in message


@pytest.mark.parametrize('h,expect', [
    (numpy.zeros((2, 3, 1), numpy.float32), 'ndim'),
    (numpy.zeros((2, 3), numpy.int32), 'int32'),
])
def test_decov_bad_inputs(h, expect):
    with pytest.raises(type_check.InvalidType) as info:
        F.decov(h)
    message = str(info.value)
    assert 'DeCov' in message and expect in message
    assert 'Expect' in message and 'Actual' in message
