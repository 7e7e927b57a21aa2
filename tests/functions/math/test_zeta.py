"""Tests of F.zeta (Hurwitz zeta, differentiable in q)."""
import math
import sys

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import gradient_check
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

pytest.importorskip('scipy')

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]

# B_2, B_4, ..., B_12
_BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730]


def _hurwitz_scalar(s, q, terms=20):
    """zeta(s, q) by Euler-Maclaurin summation (s > 1, q > 0)."""
    total = sum((q + n) ** -s for n in range(terms))
    a = q + terms
    total += a ** (1 - s) / (s - 1) + a ** -s / 2
    rising = s  # s (s + 1) ... (s + 2k - 2)
    for k, b in enumerate(_BERNOULLI, start=1):
        total += b / math.factorial(2 * k) * rising * a ** (-s - 2 * k + 1)
        rising *= (s + 2 * k - 1) * (s + 2 * k)
    return total


def _reference(x, q):
    x, q = numpy.broadcast_arrays(numpy.asarray(x, numpy.float64),
                                  numpy.asarray(q, numpy.float64))
    y = numpy.empty(x.shape)
    for index in numpy.ndindex(*x.shape):
        y[index] = _hurwitz_scalar(x[index], q[index])
    return y


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 3), (2, 1, 2)],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@testing.inject_backend_tests(None, _BACKENDS)
class TestZeta(testing.FunctionTestCase):

    def setUp(self):
        self.x = numpy.random.uniform(1.5, 4.0, self.shape)
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 5e-3, 'rtol': 5e-3}
            self.check_backward_options = {'eps': 1e-3, 'atol': 2e-2,
                                           'rtol': 2e-2}
        elif self.dtype == numpy.float32:
            self.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
            self.check_backward_options = {'eps': 1e-4, 'atol': 1e-5,
                                           'rtol': 1e-5}
        else:
            self.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
            self.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                           'rtol': 1e-7}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(0.5, 3.0, self.shape).astype(
            self.dtype),

    def forward(self, inputs, device):
        return F.zeta(device.send(self.x), inputs[0]),

    def forward_expected(self, inputs):
        return _reference(self.x, inputs[0]).astype(self.dtype),


def test_known_values():
    y = F.zeta(numpy.array([2.0, 4.0, 2.0]), numpy.array([1.0, 1.0, 2.0]))
    numpy.testing.assert_allclose(
        y.array, [math.pi ** 2 / 6, math.pi ** 4 / 90,
                  math.pi ** 2 / 6 - 1], rtol=1e-13)


def test_python_scalar_exponent_and_dtype_of_q():
    q = numpy.array([1.0, 2.5], numpy.float32)
    y = F.zeta(3, q)
    assert y.dtype == numpy.float32 and y.shape == (2,)
    numpy.testing.assert_allclose(y.array, _reference(3.0, q), rtol=1e-6)


def test_derivative_matches_formula():
    q = Variable(numpy.array([0.7, 1.0, 2.5]))
    gq, = dynet.grad([F.sum(F.zeta(2.5, q))], [q])
    numpy.testing.assert_allclose(
        gq.array, -2.5 * _reference(3.5, q.array), rtol=1e-12)


def test_broadcast_gradient_is_summed():
    x = numpy.array([[2.0], [3.0], [4.5]])
    q = numpy.random.RandomState(0).uniform(0.5, 2.0, (4,))
    y = F.zeta(x, q)
    assert y.shape == (3, 4)
    numpy.testing.assert_allclose(y.array, _reference(x, q), rtol=1e-12)
    gy = numpy.random.RandomState(1).uniform(-1, 1, (3, 4))
    gradient_check.check_backward(
        lambda v: F.zeta(x, v), q, gy, eps=1e-5, atol=1e-8, rtol=1e-7)


def test_exponent_as_variable_without_gradient():
    x = Variable(numpy.array([2.0, 3.0]), requires_grad=False)
    q = Variable(numpy.array([1.0, 1.5]))
    y = F.zeta(x, q)
    y.grad = numpy.ones(2)
    y.backward()
    assert x.grad is None and q.grad is not None


def test_exponent_requiring_gradient_is_rejected():
    x = Variable(numpy.array([2.0, 3.0]))
    with pytest.raises(TypeError) as info:
        F.zeta(x, numpy.array([1.0, 1.5]))
    assert 'zeta' in str(info.value) and 'only with respect to q' in str(
        info.value)


def test_bad_exponent_types_are_rejected():
    q = numpy.ones(2)
    with pytest.raises(TypeError, match='zeta: x'):
        F.zeta('2', q)
    with pytest.raises(TypeError, match='zeta: x'):
        F.zeta(numpy.array([2 + 1j, 3]), q)
    with pytest.raises(TypeError, match='zeta: x'):
        F.zeta(True, q)


def test_non_float_q_is_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.zeta(2.0, numpy.ones(3, numpy.int32))
    message = str(info.value)
    assert 'zeta' in message and 'int32' in message
    assert 'Expect' in message and 'Actual' in message


def test_unbroadcastable_shapes_are_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.zeta(numpy.full(3, 2.0), numpy.ones(4))
    message = str(info.value)
    assert 'zeta' in message and '(3,)' in message and '(4,)' in message


def test_without_scipy_raises_import_error(monkeypatch):
    monkeypatch.setitem(sys.modules, 'scipy', None)
    monkeypatch.setitem(sys.modules, 'scipy.special', None)
    with pytest.raises(ImportError) as info:
        F.zeta(2.0, numpy.ones(2, numpy.float32))
    message = str(info.value)
    assert 'zeta' in message and 'SciPy' in message


def test_label():
    assert F.zeta(2.0, Variable(numpy.ones(2))).creator.label == 'zeta'
