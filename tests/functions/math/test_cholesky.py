"""Tests of F.cholesky."""
import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _spd(shape, dtype):
    """Random symmetric positive-definite matrices (cond < ~10)."""
    n = shape[-1]
    b = numpy.random.uniform(-1, 1, shape)
    a = numpy.matmul(b, b.swapaxes(-1, -2)) + n * numpy.eye(n)
    return a.astype(dtype)


def _cholesky_reference(a):
    """Cholesky-Banachiewicz on the lower triangle of one matrix (float64).
    """
    a = a.astype(numpy.float64)
    n = a.shape[0]
    low = numpy.zeros((n, n))
    for i in range(n):
        for j in range(i + 1):
            s = a[i, j] - sum(low[i, k] * low[j, k] for k in range(j))
            low[i, j] = numpy.sqrt(s) if i == j else s / low[j, j]
    return low


def _reference(a):
    flat = a.reshape((-1,) + a.shape[-2:])
    return numpy.stack([_cholesky_reference(m) for m in flat]).reshape(
        a.shape)


@testing.parameterize(*testing.product({
    'shape': [(1, 1), (2, 2), (3, 3), (2, 3, 3)],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@testing.inject_backend_tests(None, _BACKENDS)
class TestCholesky(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 5e-3, 'rtol': 5e-3}
            self.check_backward_options = {'eps': 1e-3, 'atol': 2e-2,
                                           'rtol': 5e-2}
        elif self.dtype == numpy.float32:
            self.check_forward_options = {'atol': 1e-6, 'rtol': 1e-5}
            self.check_backward_options = {'eps': 1e-3, 'atol': 1e-4,
                                           'rtol': 1e-3}
        else:
            self.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
            self.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                           'rtol': 1e-7}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return _spd(self.shape, self.dtype),

    def forward(self, inputs, device):
        return F.cholesky(inputs[0]),

    def forward_expected(self, inputs):
        return _reference(inputs[0]).astype(self.dtype),


def test_reconstructs_the_matrix():
    a = _spd((4, 4), numpy.float64)
    low = F.cholesky(a).array
    numpy.testing.assert_allclose(low @ low.T, a, rtol=1e-12)
    assert numpy.all(numpy.triu(low, 1) == 0) and numpy.all(
        numpy.diag(low) > 0)


def test_only_the_lower_triangle_is_read():
    a = _spd((3, 3), numpy.float64)
    garbage = a + numpy.triu(numpy.full((3, 3), 5.0), 1)
    numpy.testing.assert_array_equal(F.cholesky(garbage).array,
                                     F.cholesky(a).array)


def test_gradient_is_lower_triangular_and_matches_finite_differences():
    a = _spd((3, 3), numpy.float64)
    gy = numpy.tril(numpy.random.RandomState(0).uniform(-1, 1, (3, 3)))
    x = Variable(a)
    ga, = dynet.grad([F.sum(F.cholesky(x) * gy)], [x])
    assert numpy.all(numpy.triu(ga.array, 1) == 0)
    # Lower-triangle entries: a change of a_ij (i > j) changes both A_ij
    # and A_ji, as numpy.linalg.cholesky reads it.
    eps = 1e-6
    for i in range(3):
        for j in range(i + 1):
            d = numpy.zeros((3, 3))
            d[i, j] = eps
            numerical = ((_reference(a + d) - _reference(a - d)) * gy).sum()
            assert abs(numerical / (2 * eps) - ga.array[i, j]) < 1e-7


def test_not_positive_definite_raises():
    with pytest.raises(numpy.linalg.LinAlgError) as info:
        F.cholesky(numpy.array([[1.0, 2.0], [2.0, 1.0]]))
    assert 'cholesky' in str(info.value)
    assert 'positive definite' in str(info.value)


@pytest.mark.parametrize('shape', [(2, 3), (3,), (2, 2, 3)])
def test_non_square_input_is_rejected(shape):
    with pytest.raises(type_check.InvalidType) as info:
        F.cholesky(numpy.ones(shape))
    message = str(info.value)
    assert 'cholesky' in message and 'Expect' in message
    assert str(shape) in message or 'ndim' in message


def test_non_float_input_is_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.cholesky(numpy.eye(2, dtype=numpy.int32))
    assert 'cholesky' in str(info.value) and 'int32' in str(info.value)


def test_label():
    assert F.cholesky(Variable(numpy.eye(2))).creator.label == 'cholesky'
