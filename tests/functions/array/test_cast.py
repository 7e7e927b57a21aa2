"""Tests of F.cast."""
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
    'shape': [(3, 2), (), (0, 4)],
    'in_dtype': _FLOATS,
    'out_dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestCast(function_link.FunctionTestCase):

    def setUp(self):
        self.check_forward_options = {'atol': 0, 'rtol': 0}
        if numpy.float16 in (self.in_dtype, self.out_dtype):
            # The function itself rounds to float16: a large step keeps the
            # rounding error of the difference quotient small (cast is
            # linear, so the step costs nothing else).
            self.check_backward_options = {'eps': 0.25, 'atol': 1e-2,
                                           'rtol': 1e-2}
        elif numpy.float32 in (self.in_dtype, self.out_dtype):
            self.check_backward_options = {'eps': 1e-2, 'atol': 1e-5,
                                           'rtol': 1e-5}
        else:
            self.check_backward_options = {'atol': 1e-10, 'rtol': 1e-10}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(
            self.in_dtype),

    def forward(self, inputs, device):
        y = F.cast(inputs[0], self.out_dtype)
        assert y.dtype == self.out_dtype
        return y,

    def forward_expected(self, inputs):
        x = inputs[0]
        y = numpy.empty(x.shape, self.out_dtype)
        for index in numpy.ndindex(*x.shape):
            y[index] = self.out_dtype(x[index])
        return y,


def test_cast_gradient_has_the_input_dtype():
    x = Variable(numpy.array([1.5, -2.0], numpy.float16))
    y = F.cast(x, numpy.float32)
    assert y.dtype == numpy.float32
    y.grad = numpy.array([0.25, 3.0], numpy.float32)
    y.backward()
    assert x.grad.dtype == numpy.float16
    numpy.testing.assert_array_equal(x.grad, [0.25, 3.0])


def test_cast_accepts_dtype_names_and_integer_targets():
    x = Variable(numpy.array([1.75, -2.5], numpy.float64))
    y = F.cast(x, 'i')
    assert y.dtype == numpy.int32
    numpy.testing.assert_array_equal(y.array, [1, -2])
    assert F.cast(x, 'float16').dtype == numpy.float16


def test_cast_input_must_be_float():
    # As in Chainer: only floating-point inputs are cast.
    with pytest.raises(type_check.InvalidType) as info:
        F.cast(numpy.array([3, 4], numpy.int64), numpy.float32)
    message = str(info.value)
    assert 'Cast' in message and 'int64' in message
    assert 'Expect' in message and 'Actual' in message


def test_cast_same_dtype():
    x = Variable(numpy.arange(3, dtype=numpy.float32))
    with dynet.no_backprop_mode():
        assert F.cast(x, numpy.float32) is x
    y = F.cast(x, numpy.float32)
    assert y is not x and y.array is not x.array
    assert y.creator is not None
    numpy.testing.assert_array_equal(y.array, x.array)


def test_cast_bad_dtype():
    with pytest.raises(TypeError, match='cast.*typ'):
        F.cast(numpy.zeros(2, numpy.float32), 'not a dtype')
