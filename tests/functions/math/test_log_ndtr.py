"""Tests of F.log_ndtr."""
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


def _mills_series(v):
    """Asymptotic series of -v * Phi(v) / pdf(v) for v -> -inf; for
    v <= -26 the first omitted term is below 3e-15."""
    terms = [1.0]
    for k in range(1, 8):
        terms.append(-terms[-1] * (2 * k - 1) / (v * v))
    return math.fsum(terms)


def _log_ndtr_scalar(v):
    """log(Phi(v)) in float64: directly for v > -26, from the asymptotic
    series below."""
    if v > -26:
        return math.log(0.5 * math.erfc(-v / math.sqrt(2)))
    return (-v * v / 2 - math.log(-v) - 0.5 * math.log(2 * math.pi) +
            math.log(_mills_series(v)))


def _grad_scalar(v):
    """d/dv log(Phi(v)) = pdf(v) / Phi(v), with the same split."""
    if v > -26:
        pdf = math.exp(-v * v / 2) / math.sqrt(2 * math.pi)
        return pdf / (0.5 * math.erfc(-v / math.sqrt(2)))
    return -v / _mills_series(v)


def _reference(x, f=_log_ndtr_scalar):
    x = numpy.asarray(x, numpy.float64)
    y = numpy.empty(x.shape)
    for index in numpy.ndindex(*x.shape):
        y[index] = f(x[index])
    return y


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 3), (2, 1, 2)],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestLogNdtr(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        return numpy.random.uniform(-5, 3, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.log_ndtr(inputs[0]),

    def forward_expected(self, inputs):
        return _reference(inputs[0]).astype(self.dtype),


@testing.parameterize(*testing.product({
    'dtype': [numpy.float32, numpy.float64],
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestLogNdtrTails(function_link.FunctionTestCase):
    """Far tails: Phi underflows to 0 (x << 0) or rounds to 1 (x >> 0),
    yet values and derivatives of all orders stay finite and right."""

    def setUp(self):
        if self.dtype == numpy.float32:
            self.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
            self.check_backward_options = {'eps': 1e-3, 'atol': 1e-4,
                                           'rtol': 1e-4}
        else:
            self.check_forward_options = {'atol': 1e-13, 'rtol': 1e-13}
            self.check_backward_options = {'eps': 1e-4, 'atol': 1e-7,
                                           'rtol': 1e-7}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.array([-60.0, -40.0, -25.0, -9.0, 9.0, 15.0, 45.0],
                           self.dtype),

    def forward(self, inputs, device):
        return F.log_ndtr(inputs[0]),

    def forward_expected(self, inputs):
        return _reference(inputs[0]).astype(self.dtype),


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_tail_gradients_are_finite_and_accurate(dtype):
    x = Variable(numpy.array([-1e4, -100.0, -38.0, 0.0, 40.0, 1e4], dtype))
    gx, = dynet.grad([F.sum(F.log_ndtr(x))], [x],
                     enable_double_backprop=True)
    assert numpy.isfinite(gx.array).all()
    numpy.testing.assert_allclose(
        gx.array, _reference(x.array, _grad_scalar).astype(dtype),
        rtol=1e-6 if dtype == numpy.float32 else 1e-13, atol=0)
    ggx, = dynet.grad([F.sum(gx)], [x])
    assert numpy.isfinite(ggx.array).all()
    # d2/dx2 log Phi(x) -> -1 for x -> -inf, -> 0 for x -> +inf.
    assert abs(ggx.array[0] + 1) < 1e-6 and ggx.array[-1] == 0


def test_label():
    assert F.log_ndtr(Variable(numpy.zeros(2))).creator.label == 'log_ndtr'


def test_without_scipy_raises_import_error(monkeypatch):
    monkeypatch.setitem(sys.modules, 'scipy', None)
    monkeypatch.setitem(sys.modules, 'scipy.special', None)
    with pytest.raises(ImportError) as info:
        F.log_ndtr(numpy.zeros(2, numpy.float32))
    message = str(info.value)
    assert 'log_ndtr' in message and 'SciPy' in message


def test_non_float_input_is_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.log_ndtr(numpy.ones(3, numpy.int32))
    message = str(info.value)
    assert 'log_ndtr' in message and 'int32' in message
    assert 'Expect' in message and 'Actual' in message
