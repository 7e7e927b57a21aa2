"""Tests of F.fmod."""
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


@testing.parameterize(*testing.product({
    'shapes': [((3, 2), (3, 2)), ((3, 2), (2,)), ((3, 1), (1, 2)),
               ((), ()), ((0, 2), (2,))],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestFmod(function_link.FunctionTestCase):
    """x / divisor at least 0.05 away from an integer (where fmod
    jumps)."""

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 2e-3, 'rtol': 2e-3}
            self.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                           'rtol': 5e-3}
        else:
            self.check_forward_options = {'atol': 1e-7, 'rtol': 1e-7}
            self.check_backward_options = {'eps': 1e-4, 'atol': 1e-6,
                                           'rtol': 1e-6}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        x_shape, d_shape = self.shapes
        while True:
            x = numpy.random.uniform(-3, 3, x_shape).astype(self.dtype)
            d = (numpy.random.uniform(0.5, 2, d_shape) * numpy.where(
                numpy.random.uniform(-1, 1, d_shape) < 0, -1, 1)).astype(
                    self.dtype)
            ratio = x.astype(numpy.float64) / d.astype(numpy.float64)
            if (abs(ratio - numpy.round(ratio)) > 0.05).all():
                return x, numpy.asarray(d)

    def forward(self, inputs, device):
        return F.fmod(*inputs),

    def forward_expected(self, inputs):
        x, d = numpy.broadcast_arrays(
            *[numpy.asarray(a, numpy.float64) for a in inputs])
        y = numpy.empty(x.shape)
        for index in numpy.ndindex(*x.shape):
            y[index] = math.fmod(x[index], d[index])
        return y.astype(self.dtype),


def test_sign_follows_the_dividend_and_gradients():
    x = Variable(numpy.array([5.5, -5.5, 5.5, -5.5]))
    d = Variable(numpy.array([2.0, 2.0, -2.0, -2.0]))
    y = F.fmod(x, d)
    numpy.testing.assert_array_equal(y.array, [1.5, -1.5, 1.5, -1.5])
    F.sum(y).backward()
    numpy.testing.assert_array_equal(x.grad, [1, 1, 1, 1])
    # -fix(x / d) = -fix(+-2.75)
    numpy.testing.assert_array_equal(d.grad, [-2, 2, 2, -2])


def test_label():
    y = F.fmod(Variable(numpy.ones(2)), Variable(numpy.ones(2)))
    assert y.creator.label == 'fmod'


def test_mixed_dtypes_are_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.fmod(numpy.ones(2, numpy.float32), numpy.ones(2, numpy.float64))
    message = str(info.value)
    assert 'fmod' in message and 'divisor' in message
    assert 'float32' in message and 'float64' in message


def test_integer_inputs_are_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.fmod(numpy.ones(2, numpy.int32), numpy.ones(2, numpy.int32))
    assert 'fmod' in str(info.value) and 'int32' in str(info.value)


def test_unbroadcastable_shapes_are_rejected():
    with pytest.raises(type_check.InvalidType, match=r'\(2, 3\)'):
        F.fmod(numpy.ones((2, 3)), numpy.ones(2))
