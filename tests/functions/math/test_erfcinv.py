"""Tests of F.erfcinv."""
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


def _tolerances(test, dtype):
    """The numerical derivative is taken in float64 whatever the dtype."""
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 2e-3, 'rtol': 2e-3}
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


def _erfcinv_scalar(v):
    """Inverse of math.erfc by bisection (erfc is decreasing)."""
    low, high = -7.0, 7.0
    for _ in range(200):
        middle = (low + high) / 2
        if math.erfc(middle) > v:
            low = middle
        else:
            high = middle
        if high - low <= 1e-16 * max(1.0, abs(middle)):
            break
    return (low + high) / 2


def _reference(x):
    x = numpy.asarray(x, numpy.float64)
    y = numpy.empty(x.shape)
    for index in numpy.ndindex(*x.shape):
        y[index] = _erfcinv_scalar(x[index])
    return y


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 3), (2, 1, 2)],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@testing.inject_backend_tests(None, _BACKENDS)
class TestErfcInv(testing.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        return numpy.random.uniform(0.1, 1.9, self.shape).astype(
            self.dtype),

    def forward(self, inputs, device):
        return F.erfcinv(inputs[0]),

    def forward_expected(self, inputs):
        return _reference(inputs[0]).astype(self.dtype),


def test_inverts_erfc_and_edges():
    x = numpy.array([1e-10, 0.3, 1.0, 1.7, 1.99999])
    numpy.testing.assert_allclose(F.erfc(F.erfcinv(x)).array, x,
                                  rtol=1e-12)
    with numpy.errstate(invalid='ignore'):
        y = F.erfcinv(numpy.array([0.0, 2.0, -0.5, 2.5],
                                  numpy.float32)).array
    assert y[0] == numpy.inf and y[1] == -numpy.inf
    assert numpy.isnan(y[2]) and numpy.isnan(y[3])


def test_derivative_matches_formula():
    x = Variable(numpy.array([0.2, 1.0, 1.5]))
    gx, = dynet.grad([F.sum(F.erfcinv(x))], [x])
    y = _reference(x.array)
    numpy.testing.assert_allclose(
        gx.array, -math.sqrt(math.pi) / 2 * numpy.exp(y ** 2), rtol=1e-12)


def test_label():
    assert F.erfcinv(Variable(numpy.ones(2))).creator.label == 'erfcinv'


def test_without_scipy_raises_import_error(monkeypatch):
    monkeypatch.setitem(sys.modules, 'scipy', None)
    monkeypatch.setitem(sys.modules, 'scipy.special', None)
    with pytest.raises(ImportError) as info:
        F.erfcinv(numpy.ones(2, numpy.float32))
    message = str(info.value)
    assert 'erfcinv' in message and 'SciPy' in message and 'scipy' in message


def test_non_float_input_is_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.erfcinv(numpy.ones(3, numpy.int32))
    message = str(info.value)
    assert 'erfcinv' in message and 'int32' in message
    assert 'Expect' in message and 'Actual' in message
