"""Tests of F.maximum and F.minimum, parameterized over the variant."""
import operator

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

# variant -> (function, element-wise comparison picking x1, NumPy mask of
# where x1 wins, function node name in error messages)
_VARIANTS = {
    'maximum': (F.maximum, operator.ge, numpy.greater_equal, 'Maximum'),
    'minimum': (F.minimum, operator.le, numpy.less_equal, 'Minimum'),
}
_over_variants = pytest.mark.parametrize('variant', sorted(_VARIANTS))


@testing.parameterize(*testing.product({
    'variant': sorted(_VARIANTS),
    'shapes': [((3, 2), (3, 2)), ((3, 2), (2,)), ((3, 1), (1, 2)),
               ((), ()), ((), (2, 3)), ((0, 2), (2,))],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestMaximumMinimum(function_link.FunctionTestCase):
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
        func = _VARIANTS[self.variant][0]
        return func(*inputs),

    def forward_expected(self, inputs):
        picks_first = _VARIANTS[self.variant][1]
        a, b = numpy.broadcast_arrays(*inputs)
        y = numpy.empty(a.shape, self.dtype)
        for index in numpy.ndindex(*a.shape):
            y[index] = a[index] if picks_first(a[index], b[index]) \
                else b[index]
        return y,


@_over_variants
def test_ties_send_the_gradient_to_x1(variant):
    func, _, first_wins, _ = _VARIANTS[variant]
    x1 = Variable(numpy.array([1.0, 2.0, 3.0], numpy.float32))
    x2 = Variable(numpy.array([3.0, 2.0, 1.0], numpy.float32))
    y = func(x1, x2)
    F.sum(y * numpy.array([1.0, 10.0, 100.0], numpy.float32)).backward()
    first = numpy.array([1.0, 10.0, 100.0]) * first_wins(
        x1.array, x2.array)
    numpy.testing.assert_array_equal(x1.grad, first)
    numpy.testing.assert_array_equal(
        x2.grad, numpy.array([1.0, 10.0, 100.0]) - first)
    assert x1.grad[1] == 10 and x2.grad[1] == 0


@_over_variants
def test_broadcast_gradient_is_summed(variant):
    func, _, first_wins, _ = _VARIANTS[variant]
    x1 = Variable(numpy.array([[0.0], [2.0]]))
    x2 = Variable(numpy.array([1.0, -1.0, 3.0]))
    F.sum(func(x1, x2)).backward()
    mask = first_wins(x1.array, x2.array)
    numpy.testing.assert_array_equal(x1.grad, mask.sum(axis=1,
                                                       keepdims=True))
    numpy.testing.assert_array_equal(x2.grad, (~mask).sum(axis=0))


@_over_variants
def test_second_derivative_is_zero(variant):
    func = _VARIANTS[variant][0]
    x1 = Variable(numpy.array([0.5, -1.0]))
    x2 = Variable(numpy.array([0.0, 0.0]))
    g1, g2 = dynet.grad([F.sum(func(x1, x2))], [x1, x2],
                        enable_double_backprop=True)
    gg, = dynet.grad([F.sum(g1 * x1)], [x1])
    numpy.testing.assert_array_equal(gg.array, g1.array)


@_over_variants
def test_mixed_dtypes_are_rejected(variant):
    func, _, _, name = _VARIANTS[variant]
    with pytest.raises(type_check.InvalidType) as info:
        func(numpy.ones(2, numpy.float32), numpy.ones(2, numpy.float64))
    message = str(info.value)
    assert name in message
    assert 'float32' in message and 'float64' in message


@_over_variants
def test_unbroadcastable_shapes_are_rejected(variant):
    func, _, _, name = _VARIANTS[variant]
    with pytest.raises(type_check.InvalidType) as info:
        func(numpy.ones((2, 3)), numpy.ones((2,)))
    message = str(info.value)
    assert name in message and '(2, 3)' in message


@_over_variants
def test_integer_inputs_are_rejected(variant):
    func = _VARIANTS[variant][0]
    with pytest.raises(type_check.InvalidType, match='int32'):
        func(numpy.ones(2, numpy.int32), numpy.ones(2, numpy.int32))


def test_maximum_works_with_type_check_off():
    x1 = Variable(numpy.array([[0.0], [2.0]], numpy.float32))
    x2 = Variable(numpy.array([1.0, -1.0], numpy.float32))
    with dynet.using_config('type_check', False):
        y = F.maximum(x1, x2)
    F.sum(y).backward()
    numpy.testing.assert_array_equal(y.array, [[1, 0], [2, 2]])
    numpy.testing.assert_array_equal(x1.grad, [[1], [2]])
    numpy.testing.assert_array_equal(x2.grad, [1, 0])
