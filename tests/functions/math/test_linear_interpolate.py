"""Tests of F.linear_interpolate."""
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
class TestLinearInterpolate(function_link.FunctionTestCase):

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
        p = numpy.random.uniform(0, 1, self.shape).astype(self.dtype)
        x = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        y = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        return p, x, y

    def forward(self, inputs, device):
        return F.linear_interpolate(*inputs),

    def forward_expected(self, inputs):
        p, x, y = [numpy.asarray(a, numpy.float64) for a in inputs]
        z = numpy.empty(p.shape)
        for index in numpy.ndindex(*p.shape):
            z[index] = p[index] * x[index] + (1 - p[index]) * y[index]
        return z.astype(self.dtype),


def test_gradients():
    p = Variable(numpy.array([0.25, 1.0]))
    x = Variable(numpy.array([2.0, 3.0]))
    y = Variable(numpy.array([-2.0, 5.0]))
    z = F.linear_interpolate(p, x, y)
    numpy.testing.assert_array_equal(z.array, [-1.0, 3.0])
    gp, gx, gy = dynet.grad([F.sum(z)], [p, x, y])
    numpy.testing.assert_array_equal(gp.array, [4, -2])
    numpy.testing.assert_array_equal(gx.array, [0.25, 1])
    numpy.testing.assert_array_equal(gy.array, [0.75, 0])


def test_shape_mismatch_is_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.linear_interpolate(numpy.ones((2, 3)), numpy.ones((2, 3)),
                             numpy.ones((3,)))
    message = str(info.value)
    assert 'LinearInterpolate' in message and '(3,)' in message


def test_dtype_mismatch_is_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.linear_interpolate(numpy.ones(2, numpy.float32),
                             numpy.ones(2, numpy.float64),
                             numpy.ones(2, numpy.float32))
    message = str(info.value)
    assert 'float32' in message and 'float64' in message


def test_integer_weights_are_rejected():
    with pytest.raises(type_check.InvalidType, match='p.dtype'):
        F.linear_interpolate(numpy.ones(2, numpy.int32),
                             numpy.ones(2, numpy.int32),
                             numpy.ones(2, numpy.int32))
