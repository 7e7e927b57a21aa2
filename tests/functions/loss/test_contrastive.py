"""Tests of F.contrastive."""
import math

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
        test.check_backward_options = {'atol': 1e-2, 'rtol': 1e-2}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-6, 'rtol': 1e-5}
        test.check_backward_options = {'atol': 1e-5, 'rtol': 1e-4}
    else:
        test.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-7}
    test.check_double_backward_options = test.check_backward_options


@testing.parameterize(*testing.product({
    'shape': [(5, 3), (1, 4)],
    'margin': [1.0, 2.5],
    'reduce': ['mean', 'no'],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestContrastive(testing.FunctionTestCase):

    dodge_nondifferentiable = True

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        x0 = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        x1 = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        y = numpy.random.randint(0, 2, self.shape[0]).astype(numpy.int32)
        return x0, x1, y

    def forward(self, inputs, device):
        return F.contrastive(*inputs, margin=self.margin,
                             reduce=self.reduce),

    def forward_expected(self, inputs):
        x0, x1, y = inputs
        n, k = x0.shape
        loss = numpy.zeros(n)
        for i in range(n):
            d = math.sqrt(sum((float(x0[i, j]) - float(x1[i, j])) ** 2
                              for j in range(k)))
            if y[i] == 1:
                loss[i] = 0.5 * d * d
            else:
                loss[i] = 0.5 * max(self.margin - d, 0) ** 2
        if self.reduce == 'mean':
            loss = numpy.asarray(loss.mean())
        return loss.astype(self.dtype),


def test_contrastive_matches_chainer_example():
    x0 = numpy.array([[-2.0, 3.0, 0.5], [5.0, 2.0, -0.5]], numpy.float32)
    x1 = numpy.array([[-1.0, 3.0, 1.0], [3.5, 0.5, -2.0]], numpy.float32)
    y = numpy.array([1, 0], numpy.int32)
    assert float(F.contrastive(x0, x1, y).array) == pytest.approx(0.3125)
    assert float(F.contrastive(x0, x1, y, margin=3.0).array) == \
        pytest.approx(0.3528857, rel=1e-6)
    numpy.testing.assert_allclose(
        F.contrastive(x0, x1, y, reduce='no').array, [0.625, 0])


def test_contrastive_identical_dissimilar_pair_has_finite_gradient():
    import dynet
    x0 = dynet.Variable(numpy.ones((1, 3), numpy.float32))
    x1 = dynet.Variable(numpy.ones((1, 3), numpy.float32))
    y = numpy.array([0], numpy.int32)
    loss = F.contrastive(x0, x1, y)
    assert float(loss.array) == 0.5
    loss.backward()
    numpy.testing.assert_array_equal(x0.grad, numpy.zeros((1, 3)))


def test_contrastive_invalid_arguments():
    x = numpy.zeros((2, 3), numpy.float32)
    y = numpy.zeros(2, numpy.int32)
    with pytest.raises(ValueError, match='contrastive.*margin'):
        F.contrastive(x, x, y, margin=0)
    with pytest.raises(ValueError) as info:
        F.contrastive(x, x, y, reduce='sum')
    assert 'contrastive' in str(info.value) and "'no'" in str(info.value)


@pytest.mark.parametrize('x0,x1,y,expect', [
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros((2, 3), numpy.float64),
     numpy.zeros(2, numpy.int32), 'dtype'),
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros((2, 3), numpy.float32),
     numpy.zeros(3, numpy.int32), 'shape'),
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros((2, 3), numpy.float32),
     numpy.zeros(2, numpy.float32), 'y.dtype'),
    (numpy.zeros((0, 3), numpy.float32), numpy.zeros((0, 3), numpy.float32),
     numpy.zeros(0, numpy.int32), 'shape[0] > 0'),
    (numpy.zeros((2,), numpy.float32), numpy.zeros((2,), numpy.float32),
     numpy.zeros(2, numpy.int32), 'ndim'),
])
def test_contrastive_bad_inputs(x0, x1, y, expect):
    with pytest.raises(type_check.InvalidType) as info:
        F.contrastive(x0, x1, y)
    message = str(info.value)
    assert 'Contrastive' in message and expect in message
    assert 'Expect' in message and 'Actual' in message
