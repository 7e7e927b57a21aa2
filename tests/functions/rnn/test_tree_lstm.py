"""Tests of F.tree_lstm."""
import math

import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]


def _sigmoid(v):
    return 1.0 / (1.0 + math.exp(-v))


def _reference(*inputs):
    """Plain loops; x holds 3 + N contiguous blocks a, i, o, f_1..f_N."""
    cs, x = inputs[:-1], inputs[-1]
    units = cs[0].shape[1]
    c = numpy.zeros(cs[0].shape)
    h = numpy.zeros(cs[0].shape)
    for index in numpy.ndindex(*c.shape):
        n, k, rest = index[0], index[1], index[2:]

        def block(j):
            return float(x[(n, j * units + k) + rest])
        value = math.tanh(block(0)) * _sigmoid(block(1))
        for m, cm in enumerate(cs):
            value += _sigmoid(block(3 + m)) * float(cm[index])
        c[index] = value
        h[index] = _sigmoid(block(2)) * math.tanh(value)
    return c, h


@testing.parameterize(*testing.product({
    'n_ary': [1, 2, 3],
    'c_shape': [(3, 2), (2, 2, 2), (0, 2)],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestTreeLSTM(testing.FunctionTestCase):

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
        x_shape = (self.c_shape[0], (3 + self.n_ary) * self.c_shape[1]) + \
            self.c_shape[2:]
        shapes = [self.c_shape] * self.n_ary + [x_shape]
        return tuple(numpy.random.uniform(-1, 1, s).astype(self.dtype)
                     for s in shapes)

    def forward(self, inputs, device):
        return F.tree_lstm(*inputs)

    def forward_expected(self, inputs):
        return tuple(v.astype(self.dtype) for v in _reference(*inputs))


def test_too_few_inputs():
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)TreeLSTM.*at least 2 inputs.*1 input'):
        F.tree_lstm(numpy.zeros((2, 8), 'f'))


def test_width_mismatch():
    # Two children need x of width (3 + 2) * 3 = 15.
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)TreeLSTM.*x.shape\[1\] == 5 \* '
                             r'cs\[0\].shape\[1\].*12 != 5 \* 3'):
        F.tree_lstm(numpy.zeros((2, 3), 'f'), numpy.zeros((2, 3), 'f'),
                    numpy.zeros((2, 12), 'f'))


def test_batch_mismatch():
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)TreeLSTM.*cs\[0\].shape\[:1\] == '
                             r'x.shape\[:1\]'):
        F.tree_lstm(numpy.zeros((3, 2), 'f'), numpy.zeros((2, 8), 'f'))
