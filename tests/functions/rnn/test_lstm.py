"""Tests of F.lstm."""
import math

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]


def _sigmoid(v):
    return 1.0 / (1.0 + math.exp(-v))


def _reference(c_prev, x):
    """Plain loops: gate j of unit k is column 4 k + j (a, i, f, o)."""
    batch, units = x.shape[0], c_prev.shape[1]
    c = c_prev.astype(numpy.float64)
    h = numpy.zeros((batch, units) + c_prev.shape[2:])
    for n in range(batch):
        for k in range(units):
            for rest in numpy.ndindex(*c_prev.shape[2:]):
                def gate(j):
                    return float(x[(n, 4 * k + j) + rest])
                a = math.tanh(gate(0))
                i = _sigmoid(gate(1))
                f = _sigmoid(gate(2))
                o = _sigmoid(gate(3))
                value = a * i + f * float(c_prev[(n, k) + rest])
                c[(n, k) + rest] = value
                h[(n, k) + rest] = o * math.tanh(value)
    return c, h


@testing.parameterize(*testing.product({
    'shapes': [
        ((3, 4), (3, 16)),        # plain
        ((4, 2), (2, 8)),         # c_prev has more rows than x
        ((2, 2, 3), (2, 8, 3)),   # trailing axes
        ((2, 3), (0, 12)),        # x has no rows: c passes through
        ((0, 3), (0, 12)),        # empty batch
    ],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestLSTM(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 2e-3, 'rtol': 2e-3}
            self.check_backward_options = {'eps': 2 ** -4, 'atol': 5e-3,
                                           'rtol': 5e-2}
            self.check_double_backward_options = {
                'eps': 2 ** -4, 'atol': 5e-3, 'rtol': 5e-2}
        elif self.dtype == numpy.float32:
            self.check_forward_options = {'atol': 1e-6, 'rtol': 1e-5}
            self.check_backward_options = {'eps': 1e-3, 'atol': 1e-4,
                                           'rtol': 1e-4}
            self.check_double_backward_options = {
                'eps': 1e-3, 'atol': 1e-4, 'rtol': 1e-3}
        else:
            self.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
            self.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                           'rtol': 1e-7}
            self.check_double_backward_options = {
                'eps': 1e-5, 'atol': 1e-7, 'rtol': 1e-6}

    def generate_inputs(self):
        c_shape, x_shape = self.shapes
        c = numpy.random.uniform(-1, 1, c_shape).astype(self.dtype)
        x = numpy.random.uniform(-1, 1, x_shape).astype(self.dtype)
        return c, x

    def forward(self, inputs, device):
        c, h = F.lstm(*inputs)
        return c, h

    def forward_expected(self, inputs):
        c, h = _reference(*inputs)
        return c.astype(self.dtype), h.astype(self.dtype)


@testing.fix_random()
def test_only_one_output_used():
    # Backward with one of the two output gradients missing (None).
    c = numpy.random.uniform(-1, 1, (3, 2))
    x = numpy.random.uniform(-1, 1, (2, 8))
    for index in (0, 1):
        def f(c, x, index=index):
            return F.lstm(c, x)[index]
        y = f(c, x)
        gy = numpy.random.uniform(-1, 1, y.shape)
        dynet.gradient_check.check_backward(f, (c, x), gy, atol=1e-7,
                                            rtol=1e-6)
        dynet.gradient_check.check_double_backward(
            f, (c, x), gy, (numpy.random.uniform(-1, 1, c.shape),
                            numpy.random.uniform(-1, 1, x.shape)),
            atol=1e-7, rtol=1e-6)


def test_rows_past_the_batch_pass_through():
    c = numpy.arange(8, dtype=numpy.float32).reshape(4, 2)
    x = numpy.zeros((1, 8), numpy.float32)
    c_next, h = F.lstm(dynet.Variable(c), x)
    numpy.testing.assert_array_equal(c_next.array[1:], c[1:])
    assert h.shape == (1, 2)
    # The gradient of c_next's rest rows reaches c_prev unchanged.
    cv = dynet.Variable(c)
    c_next, h = F.lstm(cv, x)
    F.sum(c_next * c_next).backward()
    numpy.testing.assert_allclose(cv.grad[1:], 2 * c[1:])


def test_saturated_gates_give_finite_values():
    x = numpy.array([[1e4, -1e4, 1e4, -1e4]], numpy.float32)
    c = numpy.array([[2.0]], numpy.float32)
    with numpy.errstate(all='raise'):
        c_next, h = F.lstm(c, x)
    numpy.testing.assert_allclose(c_next.array, [[2.0]])
    numpy.testing.assert_allclose(h.array, [[0.0]], atol=1e-7)


def test_mismatched_units():
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)LSTM.*x.shape\[1\] == 4 \* '
                             r'c_prev.shape\[1\].*12 != 4 \* 2'):
        F.lstm(numpy.zeros((2, 2), 'f'), numpy.zeros((2, 12), 'f'))


def test_x_has_more_rows_than_c():
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)LSTM.*x.shape\[0\] <= c_prev.shape\[0\]'
                             r'.*3 > 2'):
        F.lstm(numpy.zeros((2, 2), 'f'), numpy.zeros((3, 8), 'f'))


def test_dtype_and_ndim_errors():
    with pytest.raises(type_check.InvalidType, match='float32 != float64'):
        F.lstm(numpy.zeros((2, 2), 'f'), numpy.zeros((2, 8), 'd'))
    with pytest.raises(type_check.InvalidType,
                       match=r'c_prev.dtype.kind == f'):
        F.lstm(numpy.zeros((2, 2), 'i'), numpy.zeros((2, 8), 'i'))
    with pytest.raises(type_check.InvalidType, match=r'c_prev.ndim >= 2'):
        F.lstm(numpy.zeros((2,), 'f'), numpy.zeros((2, 8), 'f'))
    with pytest.raises(type_check.InvalidType,
                       match=r'x.shape\[2:\] == c_prev.shape\[2:\]'):
        F.lstm(numpy.zeros((2, 2, 3), 'f'), numpy.zeros((2, 8, 4), 'f'))
