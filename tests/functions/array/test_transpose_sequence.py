"""Tests of F.transpose_sequence."""
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
    'lengths': [(4, 2, 1), (3, 3), (1,), (2, 1, 0, 0), (3, 2, 2, 1)],
    'unit': [(), (2, 1)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestTransposeSequence(function_link.FunctionTestCase):

    def setUp(self):
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
        return F.transpose_sequence(inputs)

    def forward_expected(self, inputs):
        outputs = []
        for t in range(self.lengths[0]):
            rows = [x[t] for x in inputs if len(x) > t]
            y = numpy.empty((len(rows),) + self.unit, self.dtype)
            for i, row in enumerate(rows):
                y[i] = row
            outputs.append(y)
        return tuple(outputs)


def test_transpose_sequence_documented_example():
    xs = [numpy.array([1, 1, 1]), numpy.array([2, 2]), numpy.array([3])]
    ys = F.transpose_sequence(xs)
    assert isinstance(ys, tuple) and len(ys) == 3
    numpy.testing.assert_array_equal(ys[0].array, [1, 2, 3])
    numpy.testing.assert_array_equal(ys[1].array, [1, 2])
    numpy.testing.assert_array_equal(ys[2].array, [1])


def test_transpose_sequence_twice_is_identity():
    xs = [numpy.random.rand(n, 2).astype(numpy.float32) for n in (3, 3, 1)]
    back = F.transpose_sequence(F.transpose_sequence(xs))
    assert len(back) == 3
    for x, y in zip(xs, back):
        numpy.testing.assert_array_equal(x, y.array)


def test_transpose_sequence_of_nothing():
    assert F.transpose_sequence([]) == ()


def test_transpose_sequence_unused_outputs_and_empty_sequences():
    a = Variable(numpy.zeros(2))
    b = Variable(numpy.zeros(1))
    c = Variable(numpy.zeros(0))
    ys = F.transpose_sequence([a, b, c])
    assert len(ys) == 2 and ys[0].shape == (2,)
    ys[0].grad = numpy.array([3.0, 4.0])
    ys[0].backward()
    numpy.testing.assert_array_equal(a.grad, [3, 0])
    numpy.testing.assert_array_equal(b.grad, [4])
    assert c.grad.shape == (0,)


@pytest.mark.parametrize('xs,expect', [
    ([numpy.zeros(1, 'f'), numpy.zeros(2, 'f')], 'decreasing length'),
    ([numpy.zeros((2, 3), 'f'), numpy.zeros((1, 2), 'f')], 'shape[1:]'),
    ([numpy.zeros(2, 'f'), numpy.zeros(2, 'd')], 'dtype'),
    ([numpy.zeros((), 'f')], 'ndim >= 1'),
])
def test_transpose_sequence_bad_inputs(xs, expect):
    with pytest.raises(type_check.InvalidType) as info:
        F.transpose_sequence(xs)
    message = str(info.value)
    assert 'TransposeSequence' in message and expect in message
