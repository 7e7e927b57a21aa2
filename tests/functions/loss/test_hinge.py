"""Tests of F.hinge."""
import numpy
import pytest

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


@testing.parameterize(*testing.product({
    'shape': [(4, 3), (1, 5), (0, 3)],
    'norm': ['L1', 'L2'],
    'reduce': ['mean', 'no'],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestHinge(testing.FunctionTestCase):

    dodge_nondifferentiable = True

    def setUp(self):
        _tolerances(self, self.dtype)
        if self.shape[0] == 0 and self.reduce == 'mean':
            self.skip_backward_test = self.skip_double_backward_test = True

    def generate_inputs(self):
        # Values away from the kinks at +-1 (margins of 0.1 at least).
        magnitude = numpy.random.uniform(0.1, 0.9, self.shape)
        magnitude += numpy.random.randint(0, 2, self.shape)
        sign = numpy.where(numpy.random.rand(*self.shape) < 0.5, -1, 1)
        x = (magnitude * sign).astype(self.dtype)
        t = numpy.random.randint(0, self.shape[1], self.shape[0])
        return x, t.astype(numpy.int32)

    def forward(self, inputs, device):
        return F.hinge(*inputs, norm=self.norm, reduce=self.reduce),

    def forward_expected(self, inputs):
        x, t = inputs
        n, k = x.shape
        loss = numpy.zeros((n, k))
        for i in range(n):
            for j in range(k):
                delta = 1 if t[i] == j else -1
                value = max(0.0, 1 - delta * float(x[i, j]))
                loss[i, j] = value if self.norm == 'L1' else value ** 2
        if self.reduce == 'mean':
            loss = numpy.asarray(loss.sum() / max(n, 1))
        return loss.astype(self.dtype),


def test_hinge_matches_chainer_example():
    x = numpy.array([[-2.0, 3.0, 0.5], [5.0, 2.0, -0.5]], numpy.float32)
    t = numpy.array([1, 0], numpy.int32)
    assert float(F.hinge(x, t).array) == 2.5
    assert float(F.hinge(x, t, norm='L2').array) == 5.75
    numpy.testing.assert_array_equal(
        F.hinge(x, t, reduce='no').array, [[0, 0, 1.5], [0, 3, 0.5]])


def test_hinge_gradient_values():
    x = Variable(numpy.array([[0.5, -2.0, 0.2]]))
    t = numpy.array([0], numpy.int32)
    F.hinge(x, t).backward()
    # The true class: loss 1 - x (slope -1); others 1 + x where positive.
    numpy.testing.assert_array_equal(x.grad, [[-1, 0, 1]])


def test_hinge_invalid_options():
    x = numpy.zeros((2, 3), numpy.float32)
    t = numpy.zeros(2, numpy.int32)
    with pytest.raises(NotImplementedError, match="'L1' or 'L2'"):
        F.hinge(x, t, norm='L3')
    with pytest.raises(ValueError) as info:
        F.hinge(x, t, reduce='sum')
    assert 'hinge' in str(info.value) and "'mean'" in str(info.value)
    assert "'no'" in str(info.value)


@pytest.mark.parametrize('x,t,expect', [
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros(3, numpy.int32),
     'shape'),
    (numpy.zeros((2, 3), numpy.int32), numpy.zeros(2, numpy.int32),
     'int32'),
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros(2, numpy.float32),
     'float32'),
    (numpy.zeros((2, 3, 1), numpy.float32), numpy.zeros(2, numpy.int32),
     'ndim'),
])
def test_hinge_bad_inputs(x, t, expect):
    with pytest.raises(type_check.InvalidType) as info:
        F.hinge(x, t)
    message = str(info.value)
    assert 'Hinge' in message and expect in message
    assert 'Expect' in message and 'Actual' in message


@pytest.mark.parametrize('label', [3, -1])
def test_hinge_label_out_of_range(label):
    x = numpy.zeros((2, 3), numpy.float32)
    t = numpy.array([0, label], numpy.int32)
    with pytest.raises(ValueError) as info:
        F.hinge(x, t)
    message = str(info.value)
    assert 'Hinge' in message and '0 <= t < 3' in message
    assert 't[1] == {}'.format(label) in message
