"""Tests of F.huber_loss."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
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


@testing.parameterize(*testing.product({
    'shape': [(4, 3), (2, 3, 2), (0, 3), (3, 1)],
    'delta': [0.5, 2.0],
    'reduce': ['sum_along_second_axis', 'no'],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestHuberLoss(testing.FunctionTestCase):

    dodge_nondifferentiable = True

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        x = numpy.random.uniform(-3, 3, self.shape).astype(self.dtype)
        t = numpy.random.uniform(-3, 3, self.shape).astype(self.dtype)
        return x, t

    def forward(self, inputs, device):
        return F.huber_loss(*inputs, delta=self.delta, reduce=self.reduce),

    def forward_expected(self, inputs):
        x, t = inputs
        loss = numpy.zeros(x.shape)
        for i in numpy.ndindex(*x.shape):
            a = float(x[i]) - float(t[i])
            if abs(a) <= self.delta:
                loss[i] = 0.5 * a * a
            else:
                loss[i] = self.delta * (abs(a) - 0.5 * self.delta)
        if self.reduce == 'sum_along_second_axis':
            loss = loss.sum(axis=1)
        return loss.astype(self.dtype),


def test_huber_loss_matches_chainer_example():
    x = numpy.array([[-2.0, 3.0, 0.5], [5.0, 2.0, -0.5]], numpy.float32)
    t = numpy.array([[-2.0, 3.0, 0.0], [10.0, 2.0, -0.5]], numpy.float32)
    numpy.testing.assert_array_equal(
        F.huber_loss(x, t, delta=1.0, reduce='no').array,
        [[0, 0, 0.125], [4.5, 0, 0]])
    numpy.testing.assert_array_equal(
        F.huber_loss(x, t, delta=1.0).array, [0.125, 4.5])


def test_huber_loss_gradient_is_clipped_difference():
    import dynet
    x = dynet.Variable(numpy.array([[0.3, -4.0, 2.5]]))
    t = dynet.Variable(numpy.zeros((1, 3)))
    F.huber_loss(x, t, delta=1.0).backward()
    numpy.testing.assert_allclose(x.grad, [[0.3, -1, 1]])
    numpy.testing.assert_allclose(t.grad, [[-0.3, 1, -1]])


def test_huber_loss_invalid_reduce():
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(ValueError) as info:
        F.huber_loss(x, x, 1.0, reduce='mean')
    message = str(info.value)
    assert 'huber_loss' in message and "'sum_along_second_axis'" in message


@pytest.mark.parametrize('x,t,reduce,expect', [
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros((2, 3), numpy.float64),
     'no', 'dtype'),
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros((2, 1), numpy.float32),
     'no', 'shape'),
    (numpy.zeros((2,), numpy.float32), numpy.zeros((2,), numpy.float32),
     'sum_along_second_axis', 'ndim'),
    (numpy.zeros((2,), numpy.int32), numpy.zeros((2,), numpy.int32),
     'no', 'int32'),
])
def test_huber_loss_bad_inputs(x, t, reduce, expect):
    with pytest.raises(type_check.InvalidType) as info:
        F.huber_loss(x, t, 1.0, reduce=reduce)
    message = str(info.value)
    assert 'HuberLoss' in message and expect in message
    assert 'Expect' in message and 'Actual' in message
