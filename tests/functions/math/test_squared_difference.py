"""Tests of F.squared_difference."""
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


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 3), (2, 1, 2)],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestSquaredDifference(function_link.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 1e-3, 'rtol': 1e-3}
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
        return tuple(numpy.random.uniform(-1, 1, self.shape).astype(
            self.dtype) for _ in range(2))

    def forward(self, inputs, device):
        return F.squared_difference(*inputs),

    def forward_expected(self, inputs):
        a, b = [numpy.asarray(x, numpy.float64) for x in inputs]
        y = numpy.empty(a.shape)
        for index in numpy.ndindex(*a.shape):
            d = a[index] - b[index]
            y[index] = d * d
        return y.astype(self.dtype),


def test_values_and_gradients():
    x1 = Variable(numpy.array([3.0, -1.0]))
    x2 = Variable(numpy.array([1.0, 1.0]))
    y = F.squared_difference(x1, x2)
    numpy.testing.assert_array_equal(y.array, [4, 4])
    g1, g2 = dynet.grad([F.sum(y)], [x1, x2])
    numpy.testing.assert_array_equal(g1.array, [4, -4])
    numpy.testing.assert_array_equal(g2.array, [-4, 4])


def test_shapes_must_match():
    with pytest.raises(type_check.InvalidType) as info:
        F.squared_difference(numpy.ones((2, 3)), numpy.ones((3,)))
    message = str(info.value)
    assert 'SquaredDifference' in message
    assert '(2, 3)' in message and '(3,)' in message


def test_dtypes_must_match():
    with pytest.raises(type_check.InvalidType, match='float32'):
        F.squared_difference(numpy.ones(2, numpy.float32),
                             numpy.ones(2, numpy.float64))
