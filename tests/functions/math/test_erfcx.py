"""Tests of F.erfcx."""
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
        # erfcx(-1.5) = 17.1: one float16 ulp there is 1.6e-2.
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


def _reference(x):
    """exp(x**2) * erfc(x) in float64 (fine for |x| < 20)."""
    x = numpy.asarray(x, numpy.float64)
    y = numpy.empty(x.shape)
    for index in numpy.ndindex(*x.shape):
        v = x[index]
        y[index] = math.exp(v * v) * math.erfc(v)
    return y


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 3), (2, 1, 2)],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestErfcx(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        return numpy.random.uniform(-1.5, 3, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.erfcx(inputs[0]),

    def forward_expected(self, inputs):
        return _reference(inputs[0]).astype(self.dtype),


def test_large_arguments_do_not_underflow():
    # erfcx(x) = 1 / (x sqrt(pi)) * (1 - 1/(2x^2) + 3/(4x^4) - ...)
    x = numpy.array([1e3, 1e5], numpy.float32)
    y = F.erfcx(x).array
    expected = 1 / (x.astype(numpy.float64) * math.sqrt(math.pi)) * (
        1 - 0.5 / x.astype(numpy.float64) ** 2)
    numpy.testing.assert_allclose(y, expected, rtol=1e-6)


def test_derivative():
    x = Variable(numpy.array([-1.0, 0.0, 2.0]))
    gx, = dynet.grad([F.sum(F.erfcx(x))], [x])
    numpy.testing.assert_allclose(
        gx.array, 2 * x.array * _reference(x.array) - 2 / math.sqrt(math.pi),
        rtol=1e-13)


def test_without_scipy_raises_import_error(monkeypatch):
    monkeypatch.setitem(sys.modules, 'scipy', None)
    monkeypatch.setitem(sys.modules, 'scipy.special', None)
    with pytest.raises(ImportError, match='erfcx.*SciPy'):
        F.erfcx(numpy.zeros(2))


def test_non_float_input_is_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.erfcx(numpy.ones(3, numpy.int32))
    message = str(info.value)
    assert 'erfcx' in message and 'int32' in message
