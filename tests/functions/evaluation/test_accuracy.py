"""Tests of F.accuracy."""
import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _reference(y, t, ignore_label):
    """Loop over the positions of ``t``; ``y`` has the classes on axis 1."""
    correct = total = 0
    for index in numpy.ndindex(*t.shape):
        if ignore_label is not None and t[index] == ignore_label:
            continue
        scores = y[(index[0], slice(None)) + index[1:]].ravel()
        best = max(range(len(scores)), key=lambda c: (scores[c], -c))
        total += 1
        correct += int(best == t[index])
    if total == 0:
        return 0.0 if ignore_label is not None else float('nan')
    return correct / total


@testing.parameterize(*testing.product({
    'shapes': [((5, 3), (5,)), ((4, 3, 2), (4, 2)), ((3, 4, 1), (3,)),
               ((2, 3, 2, 1), (2, 2))],
    'ignore_label': [None, 0, -1],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
@testing.fix_random()
class TestAccuracy(testing.FunctionTestCase):

    skip_backward_test = True
    skip_double_backward_test = True

    def generate_inputs(self):
        y_shape, t_shape = self.shapes
        # Distinct scores: no ties in the argmax.
        y = numpy.random.permutation(numpy.prod(y_shape)).reshape(y_shape)
        t = numpy.random.randint(-1, y_shape[1], t_shape)
        return y.astype(self.dtype), t.astype(numpy.int32)

    def forward(self, inputs, device):
        return F.accuracy(*inputs, ignore_label=self.ignore_label),

    def forward_expected(self, inputs):
        return numpy.asarray(_reference(*inputs, self.ignore_label),
                             self.dtype),


def test_accuracy_chainer_example():
    y = numpy.array([[0.1, 0.7, 0.2], [8.0, 1.0, 2.0], [-8.0, 1.0, 2.0],
                     [-8.0, -1.0, -2.0]])
    t = numpy.array([1, 0, 2, 1], numpy.int32)
    assert float(F.accuracy(y, t).array) == 1.0
    t = numpy.array([1, 0, 0, 0], numpy.int32)
    assert float(F.accuracy(y, t).array) == 0.5
    assert float(F.accuracy(y, t, ignore_label=0).array) == 1.0


def test_accuracy_all_ignored_is_zero_and_dtype_follows_y():
    y = numpy.random.randn(3, 2).astype(numpy.float16)
    t = numpy.full(3, 7, numpy.int32)
    acc = F.accuracy(y, t, ignore_label=7)
    assert acc.shape == () and acc.dtype == numpy.float16
    assert float(acc.array) == 0.0


def test_accuracy_passes_no_gradient():
    y = Variable(numpy.random.randn(3, 2))
    t = numpy.array([0, 1, 1], numpy.int32)
    loss = F.sum(y) + F.accuracy(y, t)
    loss.backward()
    numpy.testing.assert_array_equal(y.grad, numpy.ones((3, 2)))


@pytest.mark.parametrize('y,t,expect', [
    (numpy.zeros((3, 2), numpy.float32), numpy.zeros(4, numpy.int32),
     'y.shape[0] == t.shape[0]'),
    (numpy.zeros((3, 2), numpy.int32), numpy.zeros(3, numpy.int32),
     'y.dtype'),
    (numpy.zeros((3, 2), numpy.float32), numpy.zeros(3, numpy.float32),
     't.dtype'),
    (numpy.zeros((3, 2, 2), numpy.float32), numpy.zeros((3, 3), numpy.int32),
     'y.shape[2:t.ndim + 1] == t.shape[1:]'),
    (numpy.zeros((3, 2, 2), numpy.float32), numpy.zeros(3, numpy.int32),
     'all 1'),
    (numpy.zeros((3, 2), numpy.float32), numpy.zeros((3, 2), numpy.int32),
     't.ndim < y.ndim'),
])
def test_accuracy_bad_inputs(y, t, expect):
    with pytest.raises(type_check.InvalidType) as info:
        F.accuracy(y, t)
    message = str(info.value)
    assert 'Accuracy' in message and expect in message
    assert 'Expect' in message and 'Actual' in message


def test_accuracy_without_type_check():
    with dynet.using_config('type_check', False):
        acc = F.accuracy(numpy.eye(3, dtype=numpy.float32),
                         numpy.array([0, 1, 0], numpy.int32))
    assert float(acc.array) == pytest.approx(2 / 3)
