"""Tests of F.expm1, F.log1p, F.log2 and F.log10 (F.exp and F.log are
tested in test_exponential.py)."""
import math

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


def _tolerances(test, dtype):
    """The numerical derivative is taken in float64 whatever the dtype."""
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 1e-3, 'rtol': 1e-3}
        test.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                       'rtol': 5e-3}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-5,
                                       'rtol': 1e-5}
    else:
        test.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-8}
    test.check_double_backward_options = test.check_backward_options


# name: (scalar reference from the math module, low, high)
_FUNCS = {
    'expm1': (math.expm1, -2, 2),
    'log1p': (math.log1p, -0.5, 2),
    'log2': (math.log2, 0.5, 3),
    'log10': (math.log10, 0.5, 3),
}


@testing.parameterize(*testing.product({
    'func': sorted(_FUNCS),
    'shape': [(3, 2), (), (0, 3), (2, 1, 2)],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestExponentialMore(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        _, low, high = _FUNCS[self.func]
        return numpy.random.uniform(low, high, self.shape).astype(
            self.dtype),

    def forward(self, inputs, device):
        return getattr(F, self.func)(inputs[0]),

    def forward_expected(self, inputs):
        f = _FUNCS[self.func][0]
        x = numpy.asarray(inputs[0], numpy.float64)
        y = numpy.empty(x.shape)
        for index in numpy.ndindex(*x.shape):
            y[index] = f(x[index])
        return y.astype(self.dtype),


def test_expm1_and_log1p_are_accurate_near_zero():
    x = numpy.array([1e-10, -1e-12, 3e-7], numpy.float64)
    # Taylor series to the cubic term (the next term is below 1e-26).
    numpy.testing.assert_allclose(F.expm1(x).array,
                                  x + x ** 2 / 2 + x ** 3 / 6, rtol=1e-15)
    numpy.testing.assert_allclose(F.log1p(x).array,
                                  x - x ** 2 / 2 + x ** 3 / 3, rtol=1e-15)
    x32 = numpy.array([1e-6], numpy.float32)
    assert F.expm1(x32).dtype == numpy.float32
    assert abs(float(F.expm1(x32).array[0]) - 1e-6) < 1e-12


def test_exact_values():
    x = numpy.array([1.0, 8.0, 0.5], numpy.float32)
    numpy.testing.assert_array_equal(F.log2(x).array, [0, 3, -1])
    numpy.testing.assert_array_equal(
        F.log10(numpy.array([1.0, 1000.0])).array, [0, 3])
    with numpy.errstate(divide='ignore'):
        assert F.log1p(numpy.array([-1.0])).array[0] == -numpy.inf


def test_derivatives_in_closed_form():
    x = Variable(numpy.array([0.5, 2.0, 3.0]))
    v = x.array
    expected = {
        F.expm1: numpy.exp(v), F.log1p: 1 / (1 + v),
        F.log2: 1 / (v * math.log(2)), F.log10: 1 / (v * math.log(10)),
    }
    for f, derivative in expected.items():
        gx, = dynet.grad([F.sum(f(x))], [x])
        numpy.testing.assert_allclose(gx.array, derivative, rtol=1e-15)


def test_second_derivative_of_log2():
    x = Variable(numpy.array([0.5, 2.0]))
    gx, = dynet.grad([F.sum(F.log2(x))], [x], enable_double_backprop=True)
    ggx, = dynet.grad([F.sum(gx)], [x])
    numpy.testing.assert_allclose(
        ggx.array, -1 / (x.array ** 2 * math.log(2)))


def test_labels_as_chainer():
    x = numpy.ones(2, numpy.float32)
    for name in _FUNCS:
        assert getattr(F, name)(Variable(x)).creator.label == name


@pytest.mark.parametrize('name', sorted(_FUNCS))
def test_non_float_input_is_rejected(name):
    with pytest.raises(type_check.InvalidType) as info:
        getattr(F, name)(numpy.ones(3, numpy.int32))
    message = str(info.value)
    assert name in message and 'int32' in message
    assert 'Expect' in message and 'Actual' in message
