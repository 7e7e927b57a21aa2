"""Tests of the inverse error functions F.erfinv, F.erfcinv and F.ndtri
(computed with SciPy), against float64 inverses found by bisection."""
import collections
import math
import sys

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

pytest.importorskip('scipy')

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _bisect(f, v, low, high):
    """The x in [low, high] where the increasing ``f`` reaches ``v``."""
    for _ in range(200):
        middle = (low + high) / 2
        if f(middle) < v:
            low = middle
        else:
            high = middle
        if high - low <= 1e-16 * max(1.0, abs(middle)):
            break
    return (low + high) / 2


def _normal_cdf(x):
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def _erfinv_scalar(v):
    return _bisect(math.erf, v, -7.0, 7.0)


def _erfcinv_scalar(v):
    # erfc is decreasing: bisect -erfc (negation is exact).
    return _bisect(lambda x: -math.erfc(x), -v, -7.0, 7.0)


def _ndtri_scalar(p):
    return _bisect(_normal_cdf, p, -40.0, 40.0)


def _reference(scalar_function, x):
    x = numpy.asarray(x, numpy.float64)
    y = numpy.empty(x.shape)
    for index in numpy.ndindex(*x.shape):
        y[index] = scalar_function(x[index])
    return y


# function; float64 reference of one value; the interval inputs are drawn
# from; float16 forward tolerance; a valid input; an integer dtype to reject.
_Case = collections.namedtuple('_Case', [
    'function', 'scalar_reference', 'domain', 'float16_tolerance',
    'valid_input', 'int_dtype'])

_CASES = {
    'erfinv': _Case(F.erfinv, _erfinv_scalar, (-0.9, 0.9), 1e-3,
                    numpy.zeros(2), numpy.int32),
    'erfcinv': _Case(F.erfcinv, _erfcinv_scalar, (0.1, 1.9), 2e-3,
                     numpy.ones(2), numpy.int32),
    'ndtri': _Case(F.ndtri, _ndtri_scalar, (0.05, 0.95), 2e-3,
                   numpy.full(2, 0.5), numpy.int64),
}


@testing.parameterize(*testing.product({
    'function': sorted(_CASES),
    'shape': [(3, 2), (), (0, 3), (2, 1, 2)],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@testing.inject_backend_tests(None, _BACKENDS)
class TestErfInverses(testing.FunctionTestCase):

    def setUp(self):
        self.case = _CASES[self.function]
        # The numerical derivative is taken in float64 whatever the dtype.
        if self.dtype == numpy.float16:
            tolerance = self.case.float16_tolerance
            self.check_forward_options = {'atol': tolerance,
                                          'rtol': tolerance}
            self.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                           'rtol': 5e-3}
        elif self.dtype == numpy.float32:
            self.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
            self.check_backward_options = {'eps': 1e-4, 'atol': 1e-5,
                                           'rtol': 1e-5}
        else:
            self.check_forward_options = {'atol': 1e-13, 'rtol': 1e-13}
            self.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                           'rtol': 1e-8}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(*self.case.domain,
                                    size=self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return self.case.function(inputs[0]),

    def forward_expected(self, inputs):
        return _reference(self.case.scalar_reference, inputs[0]).astype(
            self.dtype),


# ------------------------------------------------- values and derivatives

def test_erfinv_inverts_erf_and_edges():
    x = numpy.array([-0.999, -0.3, 0.0, 0.7, 0.99999])
    numpy.testing.assert_allclose(F.erf(F.erfinv(x)).array, x, rtol=1e-14)
    with numpy.errstate(invalid='ignore'):
        y = F.erfinv(numpy.array([-1.0, 1.0, 1.5], numpy.float32)).array
    assert y[0] == -numpy.inf and y[1] == numpy.inf and numpy.isnan(y[2])


def test_erfcinv_inverts_erfc_and_edges():
    x = numpy.array([1e-10, 0.3, 1.0, 1.7, 1.99999])
    numpy.testing.assert_allclose(F.erfc(F.erfcinv(x)).array, x,
                                  rtol=1e-12)
    with numpy.errstate(invalid='ignore'):
        y = F.erfcinv(numpy.array([0.0, 2.0, -0.5, 2.5],
                                  numpy.float32)).array
    assert y[0] == numpy.inf and y[1] == -numpy.inf
    assert numpy.isnan(y[2]) and numpy.isnan(y[3])


def test_ndtri_inverts_ndtr_and_edges():
    p = numpy.array([1e-12, 0.025, 0.5, 0.8, 1 - 1e-9])
    numpy.testing.assert_allclose(F.ndtr(F.ndtri(p)).array, p, rtol=1e-9)
    numpy.testing.assert_allclose(
        F.ndtri(numpy.array([0.975])).array, [1.959963984540054],
        rtol=1e-14)
    with numpy.errstate(invalid='ignore'):
        y = F.ndtri(numpy.array([0.0, 1.0, -0.1, 1.1],
                                numpy.float32)).array
    assert y[0] == -numpy.inf and y[1] == numpy.inf
    assert numpy.isnan(y[2]) and numpy.isnan(y[3])


def _gradient_and_reference(name, values):
    """The derivative of the function ``name`` at ``values`` (float64),
    and the reference values of the function there."""
    case = _CASES[name]
    x = Variable(numpy.array(values))
    gx, = dynet.grad([F.sum(case.function(x))], [x])
    return gx.array, _reference(case.scalar_reference, x.array)


def test_erfinv_derivative():
    gx, y = _gradient_and_reference('erfinv', [-0.5, 0.0, 0.8])
    numpy.testing.assert_allclose(
        gx, math.sqrt(math.pi) / 2 * numpy.exp(y ** 2), rtol=1e-13)


def test_erfcinv_derivative_matches_formula():
    gx, y = _gradient_and_reference('erfcinv', [0.2, 1.0, 1.5])
    numpy.testing.assert_allclose(
        gx, -math.sqrt(math.pi) / 2 * numpy.exp(y ** 2), rtol=1e-12)


def test_ndtri_derivative_matches_formula():
    gx, y = _gradient_and_reference('ndtri', [0.1, 0.5, 0.9])
    numpy.testing.assert_allclose(
        gx, math.sqrt(2 * math.pi) * numpy.exp(y ** 2 / 2), rtol=1e-12)


# ------------------------------------------------ label and bad input

@pytest.mark.parametrize('name', sorted(_CASES))
def test_label(name):
    x = Variable(_CASES[name].valid_input)
    assert _CASES[name].function(x).creator.label == name


@pytest.mark.parametrize('name', sorted(_CASES))
def test_without_scipy_raises_import_error(monkeypatch, name):
    monkeypatch.setitem(sys.modules, 'scipy', None)
    monkeypatch.setitem(sys.modules, 'scipy.special', None)
    case = _CASES[name]
    with pytest.raises(ImportError) as info:
        case.function(case.valid_input.astype(numpy.float32))
    message = str(info.value)
    assert name in message and 'SciPy' in message and 'scipy' in message


@pytest.mark.parametrize('name', sorted(_CASES))
def test_non_float_input_is_rejected(name):
    case = _CASES[name]
    with pytest.raises(type_check.InvalidType) as info:
        case.function(numpy.ones(3, case.int_dtype))
    message = str(info.value)
    assert name in message and numpy.dtype(case.int_dtype).name in message
    assert 'Expect' in message and 'Actual' in message
