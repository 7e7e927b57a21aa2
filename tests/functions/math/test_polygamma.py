"""Tests of F.polygamma."""
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


def _digamma_scalar(x):
    """psi(x) by recurrence up to x >= 10 and the asymptotic series."""
    result = 0.0
    while x < 10:
        result -= 1 / x
        x += 1
    t = 1 / (x * x)
    return result + math.log(x) - 0.5 / x - t * (
        1 / 12 - t * (1 / 120 - t * (1 / 252 - t * (1 / 240 - t / 132))))


_BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730]


def _hurwitz_zeta(s, q, terms=12):
    """sum_k (q + k) ** -s by Euler-Maclaurin summation."""
    total = math.fsum((q + k) ** -s for k in range(terms))
    a = q + terms
    total += a ** (1 - s) / (s - 1) + 0.5 * a ** -s
    factor = s * a ** (-s - 1)  # s (s+1)...(s+2j-2) a^(1-s-2j)
    factorial = 2.0  # (2j)!
    for j, b in enumerate(_BERNOULLI, start=1):
        total += b / factorial * factor
        factor *= (s + 2 * j - 1) * (s + 2 * j) / (a * a)
        factorial *= (2 * j + 1) * (2 * j + 2)
    return total


def _polygamma_scalar(n, x):
    """psi^(n)(x) = (-1)^(n+1) n! zeta(n + 1, x) for n >= 1."""
    if n == 0:
        return _digamma_scalar(x)
    return (-1) ** (n + 1) * math.factorial(n) * _hurwitz_zeta(n + 1, x)


@testing.parameterize(*testing.product({
    'shapes': [((), (3, 2)), ((3, 2), (3, 2)), ((2,), (3, 2)),
               ((3, 1), (2,)), ((), ()), ((), (0, 2))],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestPolyGamma(function_link.FunctionTestCase):
    """Orders n in {0, 1, 2, 3} (an integer input), x in [0.8, 3]."""

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 1e-3, 'rtol': 1e-3}
            self.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                           'rtol': 5e-3}
        elif self.dtype == numpy.float32:
            self.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
            self.check_backward_options = {'eps': 1e-4, 'atol': 1e-5,
                                           'rtol': 1e-5}
        else:
            self.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
            self.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                           'rtol': 1e-8}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        n_shape, x_shape = self.shapes
        n = numpy.random.randint(0, 4, n_shape).astype(numpy.int32)
        x = numpy.random.uniform(0.8, 3, x_shape).astype(self.dtype)
        return numpy.asarray(n), x

    def forward(self, inputs, device):
        return F.polygamma(*inputs),

    def forward_expected(self, inputs):
        n, x = numpy.broadcast_arrays(inputs[0], inputs[1])
        y = numpy.empty(x.shape)
        for index in numpy.ndindex(*x.shape):
            y[index] = _polygamma_scalar(int(n[index]), float(x[index]))
        return y.astype(self.dtype),


def test_known_values_and_python_int_order():
    x = numpy.array([1.0, 0.5])
    numpy.testing.assert_allclose(F.polygamma(1, x).array,
                                  [math.pi ** 2 / 6, math.pi ** 2 / 2],
                                  rtol=1e-14)
    # psi''(1) = -2 zeta(3)
    numpy.testing.assert_allclose(F.polygamma(2, x[:1]).array,
                                  [-2 * 1.2020569031595942], rtol=1e-14)
    numpy.testing.assert_allclose(F.polygamma(0, x).array,
                                  F.digamma(x).array, rtol=1e-15)


def test_order_gets_no_gradient_and_x_gets_next_order():
    n = Variable(numpy.array([1, 2], numpy.int64))
    x = Variable(numpy.array([1.5, 2.5]))
    y = F.polygamma(n, x)
    F.sum(y).backward()
    assert n.grad is None
    numpy.testing.assert_allclose(
        x.grad, [_polygamma_scalar(2, 1.5), _polygamma_scalar(3, 2.5)],
        rtol=1e-12)


def test_label():
    y = F.polygamma(1, Variable(numpy.ones(2)))
    assert y.creator.label == 'polygamma'


def test_without_scipy_raises_import_error(monkeypatch):
    monkeypatch.setitem(sys.modules, 'scipy', None)
    monkeypatch.setitem(sys.modules, 'scipy.special', None)
    with pytest.raises(ImportError) as info:
        F.polygamma(1, numpy.ones(2, numpy.float32))
    message = str(info.value)
    assert 'polygamma' in message and 'SciPy' in message


def test_float_order_is_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.polygamma(numpy.ones(2, numpy.float32),
                    numpy.ones(2, numpy.float32))
    message = str(info.value)
    assert 'polygamma' in message and 'n.dtype' in message
    assert 'float32' in message


def test_integer_x_is_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.polygamma(1, numpy.ones(2, numpy.int32))
    message = str(info.value)
    assert 'polygamma' in message and 'x.dtype' in message


def test_unbroadcastable_shapes_are_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.polygamma(numpy.ones(3, numpy.int32), numpy.ones(2))
    message = str(info.value)
    assert 'polygamma' in message and '(3,)' in message and '(2,)' in message


def test_works_with_type_check_off():
    x = Variable(numpy.array([[1.0, 2.0]]))
    with dynet.using_config('type_check', False):
        y = F.polygamma(numpy.array([[1], [2]]), x)
    assert y.shape == (2, 2)
    F.sum(y).backward()
    expected = [_polygamma_scalar(2, v) + _polygamma_scalar(3, v)
                for v in (1.0, 2.0)]
    numpy.testing.assert_allclose(x.grad, [expected], rtol=1e-12)
