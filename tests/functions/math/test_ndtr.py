"""Tests of F.ndtr."""
import math
import sys

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.functions.math import _elementwise
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
        test.check_forward_options = {'atol': 1e-14, 'rtol': 1e-14}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-8}
    test.check_double_backward_options = test.check_backward_options


def _reference(x):
    """Phi(x) = erfc(-x / sqrt(2)) / 2, element by element."""
    x = numpy.asarray(x, numpy.float64)
    y = numpy.empty(x.shape)
    for index in numpy.ndindex(*x.shape):
        y[index] = 0.5 * math.erfc(-x[index] / math.sqrt(2))
    return y


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 3), (2, 1, 2)],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestNdtr(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        return numpy.random.uniform(-3, 3, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.ndtr(inputs[0]),

    def forward_expected(self, inputs):
        return _reference(inputs[0]).astype(self.dtype),


def test_known_values():
    y = F.ndtr(numpy.array([0.0, 1.959963984540054, -30.0]))
    numpy.testing.assert_allclose(y.array[:2], [0.5, 0.975], rtol=1e-14)
    assert 0 < y.array[2] < 1e-190


def test_derivative_is_normal_density():
    x = Variable(numpy.array([-1.0, 0.0, 2.5]))
    gx, = dynet.grad([F.sum(F.ndtr(x))], [x], enable_double_backprop=True)
    density = numpy.exp(-x.array ** 2 / 2) / math.sqrt(2 * math.pi)
    numpy.testing.assert_allclose(gx.array, density, rtol=1e-15)
    ggx, = dynet.grad([F.sum(gx)], [x])
    numpy.testing.assert_allclose(ggx.array, -x.array * density,
                                  rtol=1e-15)


def test_label():
    assert F.ndtr(Variable(numpy.zeros(2))).creator.label == 'ndtr'


def test_without_scipy_falls_back_to_math_erfc(monkeypatch):
    monkeypatch.setitem(sys.modules, 'scipy', None)
    monkeypatch.setitem(sys.modules, 'scipy.special', None)
    x = numpy.array([-2.5, 0.0, 1.0], numpy.float32)
    with pytest.warns(_elementwise.PerformanceWarning, match='ndtr'):
        y = F.ndtr(x)
    assert y.dtype == numpy.float32
    numpy.testing.assert_allclose(y.array, _reference(x), rtol=1e-6)


def test_non_float_input_is_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.ndtr(numpy.ones(3, numpy.int32))
    message = str(info.value)
    assert 'ndtr' in message and 'int32' in message
    assert 'Expect' in message and 'Actual' in message
