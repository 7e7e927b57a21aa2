"""Tests of F.gelu (exact, erf-based GELU)."""
import importlib
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

# The module (the package attribute ``gelu`` is the function).
gelu_module = importlib.import_module('dynet.functions.activation.gelu')

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _tolerances(test, dtype):
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 2e-3, 'rtol': 2e-3}
        test.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                       'rtol': 5e-3}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-5,
                                       'rtol': 1e-5}
    else:
        test.check_forward_options = {'atol': 1e-14, 'rtol': 1e-13}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-8}
    test.check_double_backward_options = test.check_backward_options


def _phi(v):
    return 0.5 * math.erfc(-v / math.sqrt(2))


def _reference(x):
    y = numpy.empty(x.shape)
    for i in numpy.ndindex(*x.shape):
        v = float(x[i])
        y[i] = v * _phi(v)
    return y


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 3), (2, 1, 3)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestGELU(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        return numpy.random.uniform(-3, 3, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.gelu(inputs[0]),

    def forward_expected(self, inputs):
        return _reference(inputs[0]).astype(self.dtype),


def test_gelu_known_values_and_lower_tail():
    x = Variable(numpy.array([-10.0, -1.0, 0.0, 1.0, 2.0]))
    y = F.gelu(x)
    # The lower tail keeps full relative precision (erfc, not 1 + erf).
    expected = [-10 * 7.61985302416047e-24, -0.15865525393145707, 0,
                0.8413447460685429, 1.9544997361036416]
    numpy.testing.assert_allclose(y.array, expected, rtol=1e-12)


def test_gelu_derivatives():
    x = Variable(numpy.array([-1.2, 0.0, 0.8]))
    gx, = dynet.grad([F.sum(F.gelu(x))], [x], enable_double_backprop=True)
    ggx, = dynet.grad([F.sum(gx)], [x])
    v = x.array
    pdf = numpy.exp(-v * v / 2) / math.sqrt(2 * math.pi)
    cdf = numpy.array([_phi(t) for t in v])
    numpy.testing.assert_allclose(gx.array, cdf + v * pdf, rtol=1e-12)
    numpy.testing.assert_allclose(ggx.array, pdf * (2 - v * v), rtol=1e-12)


def test_gelu_without_scipy(monkeypatch):
    # The NumPy path falls back to math.erfc when SciPy is missing.
    monkeypatch.setattr(gelu_module, '_erfc_module', lambda xp: None)
    x = numpy.array([[-2.0, 0.5], [1.5, 3.0]], numpy.float32)
    y = F.gelu(Variable(x))
    assert y.dtype == numpy.float32
    numpy.testing.assert_allclose(y.array, _reference(x), rtol=1e-6)


def test_gelu_non_float_input():
    with pytest.raises(type_check.InvalidType) as info:
        F.gelu(Variable(numpy.ones((2,), numpy.int32)))
    assert 'GELU' in str(info.value)
