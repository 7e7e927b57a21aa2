"""Tests of F.binary_accuracy."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


@testing.parameterize(*testing.product({
    'shape': [(5,), (4, 3), (2, 3, 2), (0, 2)],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
@testing.fix_random()
class TestBinaryAccuracy(testing.FunctionTestCase):

    skip_backward_test = True
    skip_double_backward_test = True

    def generate_inputs(self):
        y = numpy.random.uniform(-1, 1, self.shape)
        y[numpy.random.rand(*self.shape) < 0.2] = 0  # 0 predicts 1
        t = numpy.random.randint(-1, 2, self.shape)
        return y.astype(self.dtype), t.astype(numpy.int32)

    def forward(self, inputs, device):
        return F.binary_accuracy(*inputs),

    def forward_expected(self, inputs):
        y, t = inputs
        correct = total = 0
        for i in numpy.ndindex(*y.shape):
            if t[i] == -1:
                continue
            total += 1
            correct += int((1 if y[i] >= 0 else 0) == t[i])
        return numpy.asarray(correct / max(total, 1), self.dtype),


def test_binary_accuracy_chainer_example():
    y = numpy.array([[-2.0, 0.0], [3.0, -5.0]])
    assert float(F.binary_accuracy(
        y, numpy.array([[0, 1], [1, 0]], numpy.int32)).array) == 1.0
    assert float(F.binary_accuracy(
        y, numpy.array([[0, 0], [1, 1]], numpy.int32)).array) == 0.5
    assert float(F.binary_accuracy(
        y, numpy.array([[0, -1], [1, -1]], numpy.int32)).array) == 1.0


def test_binary_accuracy_all_ignored_is_zero():
    acc = F.binary_accuracy(numpy.ones(3, numpy.float32),
                            numpy.full(3, -1, numpy.int32))
    assert acc.dtype == numpy.float32 and float(acc.array) == 0


@pytest.mark.parametrize('y,t,expect', [
    (numpy.zeros((3, 2), numpy.float32), numpy.zeros(3, numpy.int32),
     'shape'),
    (numpy.zeros(3, numpy.int32), numpy.zeros(3, numpy.int32), 'y.dtype'),
    (numpy.zeros(3, numpy.float32), numpy.zeros(3, numpy.float32),
     't.dtype'),
])
def test_binary_accuracy_bad_inputs(y, t, expect):
    with pytest.raises(type_check.InvalidType) as info:
        F.binary_accuracy(y, t)
    message = str(info.value)
    assert 'BinaryAccuracy' in message and expect in message
    assert 'Expect' in message and 'Actual' in message
