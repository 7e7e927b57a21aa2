"""Tests of F.hypot."""
import math

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


def _away_from_zero(shape, dtype):
    magnitude = numpy.random.uniform(0.2, 2, shape)
    sign = numpy.where(numpy.random.uniform(-1, 1, shape) < 0, -1, 1)
    return numpy.asarray(magnitude * sign).astype(dtype)


@testing.parameterize(*testing.product({
    'shapes': [((3, 2), (3, 2)), ((3, 2), (2,)), ((3, 1), (1, 2)),
               ((), ()), ((0, 2), (2,))],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestHypot(function_link.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 2e-3, 'rtol': 1e-3}
            self.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                           'rtol': 5e-3}
        elif self.dtype == numpy.float32:
            self.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
            self.check_backward_options = {'eps': 1e-4, 'atol': 1e-5,
                                           'rtol': 1e-5}
        else:
            self.check_forward_options = {'atol': 1e-14, 'rtol': 1e-14}
            self.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                           'rtol': 1e-8}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        s1, s2 = self.shapes
        return (_away_from_zero(s1, self.dtype),
                _away_from_zero(s2, self.dtype))

    def forward(self, inputs, device):
        return F.hypot(*inputs),

    def forward_expected(self, inputs):
        a, b = numpy.broadcast_arrays(
            *[numpy.asarray(x, numpy.float64) for x in inputs])
        y = numpy.empty(a.shape)
        for index in numpy.ndindex(*a.shape):
            y[index] = math.sqrt(a[index] ** 2 + b[index] ** 2)
        return y.astype(self.dtype),


def test_no_overflow_and_gradient_at_origin_is_zero():
    big = numpy.array([3e200, 0.0])
    numpy.testing.assert_allclose(F.hypot(big, big * 4 / 3).array[0], 5e200)
    x1 = Variable(numpy.array([0.0, 3.0], numpy.float32))
    x2 = Variable(numpy.array([0.0, 4.0], numpy.float32))
    F.sum(F.hypot(x1, x2)).backward()
    numpy.testing.assert_allclose(x1.grad, [0, 0.6])
    numpy.testing.assert_allclose(x2.grad, [0, 0.8])


def test_mixed_dtypes_are_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.hypot(numpy.ones(2, numpy.float16), numpy.ones(2, numpy.float64))
    message = str(info.value)
    assert 'Hypot' in message and 'float16' in message
