"""Tests of F.maximum."""
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
    'shapes': [((3, 2), (3, 2)), ((3, 2), (2,)), ((3, 1), (1, 2)),
               ((), ()), ((), (2, 3)), ((0, 2), (2,))],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestMaximum(function_link.FunctionTestCase):
    """Inputs that differ by at least 0.05 everywhere (no ties, where the
    function has a kink)."""

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_backward_options = {'eps': 1e-4, 'atol': 1e-3,
                                           'rtol': 1e-3}
        else:
            self.check_backward_options = {'eps': 1e-4, 'atol': 1e-7,
                                           'rtol': 1e-7}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        s1, s2 = self.shapes
        while True:
            x1 = numpy.random.uniform(-1, 1, s1).astype(self.dtype)
            x2 = numpy.random.uniform(-1, 1, s2).astype(self.dtype)
            a, b = numpy.broadcast_arrays(x1, x2)
            if (abs(a.astype(float) - b) > 0.05).all():
                return numpy.asarray(x1), numpy.asarray(x2)

    def forward(self, inputs, device):
        return F.maximum(*inputs),

    def forward_expected(self, inputs):
        a, b = numpy.broadcast_arrays(*inputs)
        y = numpy.empty(a.shape, self.dtype)
        for index in numpy.ndindex(*a.shape):
            y[index] = a[index] if a[index] >= b[index] else b[index]
        return y,


def test_ties_send_the_gradient_to_x1():
    x1 = Variable(numpy.array([1.0, 2.0, 3.0], numpy.float32))
    x2 = Variable(numpy.array([3.0, 2.0, 1.0], numpy.float32))
    y = F.maximum(x1, x2)
    F.sum(y * numpy.array([1.0, 10.0, 100.0], numpy.float32)).backward()
    first = numpy.array([1.0, 10.0, 100.0]) * numpy.greater_equal(
        x1.array, x2.array)
    numpy.testing.assert_array_equal(x1.grad, first)
    numpy.testing.assert_array_equal(
        x2.grad, numpy.array([1.0, 10.0, 100.0]) - first)
    assert x1.grad[1] == 10 and x2.grad[1] == 0


def test_broadcast_gradient_is_summed():
    x1 = Variable(numpy.array([[0.0], [2.0]]))
    x2 = Variable(numpy.array([1.0, -1.0, 3.0]))
    F.sum(F.maximum(x1, x2)).backward()
    mask = numpy.greater_equal(x1.array, x2.array)
    numpy.testing.assert_array_equal(x1.grad, mask.sum(axis=1,
                                                       keepdims=True))
    numpy.testing.assert_array_equal(x2.grad, (~mask).sum(axis=0))


def test_second_derivative_is_zero():
    x1 = Variable(numpy.array([0.5, -1.0]))
    x2 = Variable(numpy.array([0.0, 0.0]))
    g1, g2 = dynet.grad([F.sum(F.maximum(x1, x2))], [x1, x2],
                        enable_double_backprop=True)
    gg, = dynet.grad([F.sum(g1 * x1)], [x1])
    numpy.testing.assert_array_equal(gg.array, g1.array)


def test_mixed_dtypes_are_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.maximum(numpy.ones(2, numpy.float32), numpy.ones(2, numpy.float64))
    message = str(info.value)
    assert 'Maximum' in message
    assert 'float32' in message and 'float64' in message


def test_unbroadcastable_shapes_are_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.maximum(numpy.ones((2, 3)), numpy.ones((2,)))
    message = str(info.value)
    assert 'Maximum' in message and '(2, 3)' in message


def test_integer_inputs_are_rejected():
    with pytest.raises(type_check.InvalidType, match='int32'):
        F.maximum(numpy.ones(2, numpy.int32), numpy.ones(2, numpy.int32))


def test_works_with_type_check_off():
    x1 = Variable(numpy.array([[0.0], [2.0]], numpy.float32))
    x2 = Variable(numpy.array([1.0, -1.0], numpy.float32))
    with dynet.using_config('type_check', False):
        y = F.maximum(x1, x2)
    F.sum(y).backward()
    numpy.testing.assert_array_equal(y.array, [[1, 0], [2, 2]])
    numpy.testing.assert_array_equal(x1.grad, [[1], [2]])
    numpy.testing.assert_array_equal(x2.grad, [1, 0])
