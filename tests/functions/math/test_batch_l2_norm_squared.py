"""Tests of F.batch_l2_norm_squared."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


@testing.parameterize(*testing.product({
    'shape': [(4, 3), (4, 3, 2), (1, 5), (3, 1), (2, 0), (0, 3),
              (2, 2, 1, 3)],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestBatchL2NormSquared(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 2e-3, 'rtol': 2e-3}
            self.check_backward_options = {'eps': 1e-3, 'atol': 5e-3,
                                           'rtol': 1e-2}
        elif self.dtype == numpy.float32:
            self.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
            self.check_backward_options = {'eps': 1e-3, 'atol': 1e-5,
                                           'rtol': 1e-4}
        else:
            self.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
            self.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                           'rtol': 1e-7}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.batch_l2_norm_squared(inputs[0]),

    def forward_expected(self, inputs):
        x = inputs[0].astype(numpy.float64)
        y = numpy.zeros(x.shape[0])
        for index in numpy.ndindex(*x.shape):
            y[index[0]] += x[index] ** 2
        return y.astype(self.dtype),


@pytest.mark.parametrize('shape', [(3,), ()])
def test_needs_a_batch_axis_and_more(shape):
    with pytest.raises(type_check.InvalidType) as info:
        F.batch_l2_norm_squared(numpy.zeros(shape, numpy.float32))
    message = str(info.value)
    assert 'BatchL2NormSquared' in message and 'ndim >= 2' in message


def test_rejects_integers():
    with pytest.raises(type_check.InvalidType, match='int32'):
        F.batch_l2_norm_squared(numpy.zeros((2, 3), numpy.int32))
