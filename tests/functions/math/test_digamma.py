"""Tests of F.digamma."""
import math
import sys

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.testing import backend
from dynet.testing import function_link
from dynet.utils import type_check

pytest.importorskip('scipy')

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
        test.check_forward_options = {'atol': 1e-13, 'rtol': 1e-13}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-8}
    test.check_double_backward_options = test.check_backward_options


def _digamma_scalar(x):
    """psi(x): the recurrence psi(x) = psi(x + 1) - 1/x up to x >= 10, then
    the asymptotic series (error below 1e-16 there)."""
    result = 0.0
    while x < 10:
        result -= 1 / x
        x += 1
    t = 1 / (x * x)
    return result + math.log(x) - 0.5 / x - t * (
        1 / 12 - t * (1 / 120 - t * (1 / 252 - t * (1 / 240 - t / 132))))


def _reference(x):
    x = numpy.asarray(x, numpy.float64)
    y = numpy.empty(x.shape)
    for index in numpy.ndindex(*x.shape):
        y[index] = _digamma_scalar(x[index])
    return y


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 3), (2, 1, 2)],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestDiGamma(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        return numpy.random.uniform(0.5, 4, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.digamma(inputs[0]),

    def forward_expected(self, inputs):
        return _reference(inputs[0]).astype(self.dtype),


def test_known_values():
    euler = 0.5772156649015329
    y = F.digamma(numpy.array([1.0, 0.5, 4.0, -0.5])).array
    numpy.testing.assert_allclose(
        y, [-euler, -euler - 2 * math.log(2), -euler + 1 + 1 / 2 + 1 / 3,
            -euler - 2 * math.log(2) + 2], rtol=1e-14)


def test_derivative_is_trigamma():
    x = Variable(numpy.array([1.0, 0.5]))
    gx, = dynet.grad([F.sum(F.digamma(x))], [x])
    numpy.testing.assert_allclose(gx.array, [math.pi ** 2 / 6,
                                             math.pi ** 2 / 2], rtol=1e-14)


def test_label():
    assert F.digamma(Variable(numpy.ones(2))).creator.label == 'digamma'


def test_without_scipy_raises_import_error(monkeypatch):
    monkeypatch.setitem(sys.modules, 'scipy', None)
    monkeypatch.setitem(sys.modules, 'scipy.special', None)
    with pytest.raises(ImportError) as info:
        F.digamma(numpy.ones(2, numpy.float32))
    message = str(info.value)
    assert 'digamma' in message and 'SciPy' in message


def test_non_float_input_is_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.digamma(numpy.ones(3, numpy.int32))
    message = str(info.value)
    assert 'digamma' in message and 'int32' in message
    assert 'Expect' in message and 'Actual' in message
