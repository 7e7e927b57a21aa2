"""Tests of F.sigmoid_cross_entropy."""
import math

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _tolerances(test, dtype):
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 5e-3, 'rtol': 5e-3}
        test.check_backward_options = {'atol': 5e-3, 'rtol': 5e-3}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
        test.check_backward_options = {'atol': 1e-5, 'rtol': 1e-5}
    else:
        test.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-8}
    test.check_double_backward_options = test.check_backward_options


def _reference(x, t, normalize, reduce):
    """-(t log p + (1 - t) log(1 - p)) with p = sigmoid(x), by loops."""
    loss = numpy.zeros(x.shape)
    count = 0
    for i in numpy.ndindex(*x.shape):
        if t[i] == -1:
            continue
        count += 1
        p = 1 / (1 + math.exp(-float(x[i])))
        loss[i] = -(math.log(p) if t[i] == 1 else math.log(1 - p))
    if reduce == 'no':
        return loss
    if normalize:
        return numpy.asarray(loss.sum() / max(count, 1))
    return numpy.asarray(loss.sum() / max(x.shape[0], 1))


@testing.parameterize(*testing.product({
    'shape': [(4, 3), (3,), (2, 3, 2), (0, 3)],
    # (reduce, normalize, ignore_all); normalize is unused for 'no'.
    'options': [('mean', True, False), ('mean', False, False),
                ('no', True, False), ('mean', True, True),
                ('no', True, True)],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestSigmoidCrossEntropy(testing.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.reduce, self.normalize, self.ignore_all = self.options

    def generate_inputs(self):
        x = numpy.random.uniform(-4, 4, self.shape).astype(self.dtype)
        if self.ignore_all:
            t = numpy.full(self.shape, -1, numpy.int32)
        else:
            t = numpy.random.randint(-1, 2, self.shape).astype(numpy.int32)
        return x, t

    def forward(self, inputs, device):
        return F.sigmoid_cross_entropy(*inputs, normalize=self.normalize,
                                       reduce=self.reduce),

    def forward_expected(self, inputs):
        x, t = inputs
        return _reference(x, t, self.normalize, self.reduce).astype(
            self.dtype),


@pytest.mark.parametrize('dtype', _FLOATS)
def test_sigmoid_cross_entropy_large_logits(dtype):
    x = Variable(numpy.array([1e4, -1e4, 1e4, -1e4, 1e4], dtype))
    t = numpy.array([1, 0, 0, 1, -1], numpy.int32)
    loss = F.sigmoid_cross_entropy(x, t, reduce='no')
    assert numpy.isfinite(loss.array).all()
    numpy.testing.assert_allclose(loss.array.astype(numpy.float64),
                                  [0, 0, 1e4, 1e4, 0], rtol=1e-3)
    mean = F.sigmoid_cross_entropy(x, t)
    mean.backward()
    assert numpy.isfinite(x.grad).all()
    numpy.testing.assert_allclose(x.grad.astype(numpy.float64),
                                  [0, 0, 0.25, -0.25, 0], atol=1e-3)


def test_sigmoid_cross_entropy_all_ignored_is_zero():
    x = Variable(numpy.array([[0.5, -1.0]], numpy.float32))
    t = numpy.array([[-1, -1]], numpy.int32)
    loss = F.sigmoid_cross_entropy(x, t)
    assert float(loss.array) == 0
    loss.backward()
    numpy.testing.assert_array_equal(x.grad, [[0, 0]])


def test_sigmoid_cross_entropy_second_derivative():
    x = Variable(numpy.array([0.3, -1.2, 2.0]))
    t = numpy.array([1, 0, -1], numpy.int32)
    gx, = dynet.grad([F.sigmoid_cross_entropy(x, t)], [x],
                     enable_double_backprop=True)
    ggx, = dynet.grad([F.sum(gx)], [x])
    p = 1 / (1 + numpy.exp(-x.array))
    numpy.testing.assert_allclose(ggx.array, p * (1 - p) / 2 * [1, 1, 0])


def test_sigmoid_cross_entropy_invalid_reduce():
    x = numpy.zeros((2, 3), numpy.float32)
    t = numpy.zeros((2, 3), numpy.int32)
    with pytest.raises(ValueError) as info:
        F.sigmoid_cross_entropy(x, t, reduce='sum')
    message = str(info.value)
    assert 'sigmoid_cross_entropy' in message and "'mean'" in message


@pytest.mark.parametrize('x,t,expect', [
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros((3, 2), numpy.int32),
     'shape'),
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros((2, 3), numpy.float32),
     't.dtype'),
    (numpy.zeros((2, 3), numpy.int32), numpy.zeros((2, 3), numpy.int32),
     'x.dtype'),
])
def test_sigmoid_cross_entropy_bad_inputs(x, t, expect):
    with pytest.raises(type_check.InvalidType) as info:
        F.sigmoid_cross_entropy(x, t)
    message = str(info.value)
    assert 'SigmoidCrossEntropy' in message and expect in message
    assert 'Expect' in message and 'Actual' in message


@pytest.mark.parametrize('label', [2, -2])
def test_sigmoid_cross_entropy_label_out_of_range(label):
    x = numpy.zeros((2, 2), numpy.float32)
    t = numpy.array([[0, 1], [label, -1]], numpy.int32)
    with pytest.raises(ValueError) as info:
        F.sigmoid_cross_entropy(x, t)
    message = str(info.value)
    assert 'SigmoidCrossEntropy' in message
    assert 't[1, 0] == {}'.format(label) in message
    # Without type checks the label is not inspected.
    with dynet.using_config('type_check', False):
        F.sigmoid_cross_entropy(x, t)
