"""Tests of F.slstm."""
import math

import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]


def _sigmoid(v):
    return 1.0 / (1.0 + math.exp(-v))


def _reference(c1, c2, x1, x2):
    """Plain loops; gate j of unit k is column 4 k + j (a, i, f, o) of
    each x, and the cell input of each child is tanh(a) * sigmoid(i)."""
    c = numpy.zeros(c1.shape)
    h = numpy.zeros(c1.shape)
    for index in numpy.ndindex(*c1.shape):
        n, k, rest = index[0], index[1], index[2:]

        def gate(x, j):
            return float(x[(n, 4 * k + j) + rest])
        value = (math.tanh(gate(x1, 0)) * _sigmoid(gate(x1, 1)) +
                 math.tanh(gate(x2, 0)) * _sigmoid(gate(x2, 1)) +
                 _sigmoid(gate(x1, 2)) * float(c1[index]) +
                 _sigmoid(gate(x2, 2)) * float(c2[index]))
        c[index] = value
        h[index] = _sigmoid(gate(x1, 3) + gate(x2, 3)) * math.tanh(value)
    return c, h


@testing.parameterize(*testing.product({
    'c_shape': [(3, 2), (2, 2, 3), (0, 3)],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestSLSTM(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 3e-3, 'rtol': 3e-3}
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
        x_shape = (self.c_shape[0], 4 * self.c_shape[1]) + self.c_shape[2:]
        return tuple(
            numpy.random.uniform(-1, 1, shape).astype(self.dtype)
            for shape in (self.c_shape, self.c_shape, x_shape, x_shape))

    def forward(self, inputs, device):
        return F.slstm(*inputs)

    def forward_expected(self, inputs):
        return tuple(v.astype(self.dtype) for v in _reference(*inputs))


@testing.fix_random()
def test_only_h_used():
    import dynet
    inputs = [numpy.random.uniform(-1, 1, s) for s in
              ((2, 3), (2, 3), (2, 12), (2, 12))]
    gy = numpy.random.uniform(-1, 1, (2, 3))
    ggx = [numpy.random.uniform(-1, 1, v.shape) for v in inputs]

    def f(*xs):
        return F.slstm(*xs)[1]
    dynet.gradient_check.check_backward(f, inputs, gy, atol=1e-7, rtol=1e-6)
    dynet.gradient_check.check_double_backward(f, inputs, gy, ggx,
                                               atol=1e-7, rtol=1e-6)


def _zeros(*shapes, dtype='f'):
    return [numpy.zeros(s, dtype) for s in shapes]


def test_unit_mismatch():
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)SLSTM.*x2.shape\[1\] == 4 \* '
                             r'c_prev2.shape\[1\].*12 != 4 \* 2'):
        F.slstm(*_zeros((2, 2), (2, 2), (2, 8), (2, 12)))


def test_batch_mismatch():
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)SLSTM.*c_prev1.shape == c_prev2.shape'):
        F.slstm(*_zeros((2, 2), (3, 2), (2, 8), (3, 8)))


def test_dtype_mismatch():
    c1, c2, x1 = _zeros((2, 2), (2, 2), (2, 8))
    with pytest.raises(type_check.InvalidType, match='float32 != float64'):
        F.slstm(c1, c2, x1, numpy.zeros((2, 8)))
