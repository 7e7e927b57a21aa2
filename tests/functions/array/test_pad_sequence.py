"""Tests of F.pad_sequence."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.testing import backend
from dynet.testing import function_link
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


@testing.parameterize(*testing.product({
    'lengths_unit': [((3, 1, 2), ()), ((2, 0, 4), (3,)), ((1,), (2, 2)),
                     ((0, 0), (2,)), ((2, 2), ())],
    'length_padding': [(None, 0), (5, -1.5)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestPadSequence(function_link.FunctionTestCase):

    def setUp(self):
        self.lengths, self.unit = self.lengths_unit
        self.length, self.padding = self.length_padding
        self.check_forward_options = {'atol': 0, 'rtol': 0}
        if self.dtype == numpy.float16:
            self.check_backward_options = {'atol': 1e-3, 'rtol': 1e-3}
        else:
            self.check_backward_options = {'atol': 1e-6, 'rtol': 1e-6}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return tuple(numpy.random.uniform(-1, 1, (n,) + self.unit).astype(
            self.dtype) for n in self.lengths)

    def forward(self, inputs, device):
        return F.pad_sequence(inputs, self.length, self.padding),

    def forward_expected(self, inputs):
        length = max(self.lengths) if self.length is None else self.length
        y = numpy.empty((len(inputs), length) + self.unit, self.dtype)
        for index in numpy.ndindex(*y.shape):
            i, t = index[:2]
            if t < len(inputs[i]):
                y[index] = inputs[i][(t,) + index[2:]]
            else:
                y[index] = self.padding
        return y,


def test_pad_sequence_gradient_of_each_sequence():
    a = Variable(numpy.zeros(2))
    b = Variable(numpy.zeros(1))
    y = F.pad_sequence([a, b], padding=9)
    numpy.testing.assert_array_equal(y.array, [[0, 0], [0, 9]])
    y.grad = numpy.array([[1.0, 2.0], [3.0, 4.0]])
    y.backward()
    numpy.testing.assert_array_equal(a.grad, [1, 2])
    numpy.testing.assert_array_equal(b.grad, [3])


def test_pad_sequence_too_long():
    with pytest.raises(type_check.InvalidType) as info:
        F.pad_sequence([numpy.zeros(3, 'f'), numpy.zeros(5, 'f')], 4)
    message = str(info.value)
    assert 'PadSequence' in message and 'length == 4' in message
    assert 'xs[1].shape[0] == 5' in message


@pytest.mark.parametrize('xs,expect', [
    ([numpy.zeros((2, 3), 'f'), numpy.zeros((2, 4), 'f')], 'shape[1:]'),
    ([numpy.zeros(2, 'f'), numpy.zeros(2, 'd')], 'dtype'),
    ([numpy.zeros((), 'f')], 'ndim >= 1'),
    ([], 'at least one'),
])
def test_pad_sequence_bad_inputs(xs, expect):
    with pytest.raises(type_check.InvalidType) as info:
        F.pad_sequence(xs)
    assert 'PadSequence' in str(info.value) and expect in str(info.value)


def test_pad_sequence_bad_length():
    with pytest.raises(ValueError, match='PadSequence.*non-negative'):
        F.pad_sequence([numpy.zeros(2, 'f')], -1)
    with pytest.raises(TypeError, match='PadSequence.*length'):
        F.pad_sequence([numpy.zeros(2, 'f')], 2.0)
