"""Tests of F.det and F.batch_det."""
import itertools

import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _leibniz(a):
    """Determinant by the Leibniz formula (sum over permutations)."""
    n = a.shape[0]
    total = 0.0
    for perm in itertools.permutations(range(n)):
        inversions = sum(1 for i in range(n) for j in range(i + 1, n)
                         if perm[i] > perm[j])
        term = (-1.0) ** inversions
        for i in range(n):
            term *= float(a[i, perm[i]])
        total += term
    return total


def _matrices(shape, dtype):
    """Well-conditioned (the gradient needs the inverse), det not tiny."""
    n = shape[-1]
    return (numpy.random.uniform(-1, 1, shape) +
            2 * numpy.eye(n)).astype(dtype)


def _set_tolerances(test):
    if test.dtype == numpy.float16:
        test.check_forward_options = {'atol': 5e-3, 'rtol': 1e-2}
        test.check_backward_options = {'eps': 1e-3, 'atol': 2e-2,
                                       'rtol': 5e-2}
    elif test.dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-5, 'rtol': 1e-5}
        test.check_backward_options = {'eps': 1e-3, 'atol': 1e-4,
                                       'rtol': 1e-4}
    else:
        test.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-7}
    test.check_double_backward_options = test.check_backward_options


@testing.parameterize(*testing.product({
    'n': [1, 2, 3],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestDet(testing.FunctionTestCase):

    def setUp(self):
        _set_tolerances(self)

    def generate_inputs(self):
        return _matrices((self.n, self.n), self.dtype),

    def forward(self, inputs, device):
        return F.det(inputs[0]),

    def forward_expected(self, inputs):
        return numpy.asarray(_leibniz(inputs[0]), self.dtype),


@testing.parameterize(*testing.product({
    'shape': [(4, 3, 3), (1, 2, 2), (3, 1, 1), (0, 2, 2)],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestBatchDet(testing.FunctionTestCase):

    def setUp(self):
        _set_tolerances(self)

    def generate_inputs(self):
        return _matrices(self.shape, self.dtype),

    def forward(self, inputs, device):
        return F.batch_det(inputs[0]),

    def forward_expected(self, inputs):
        a = inputs[0]
        return numpy.array([_leibniz(m) for m in a], self.dtype),


def test_det_gradient_is_cofactor_matrix():
    a = numpy.array([[1., 2.], [3., 5.]])
    v = Variable(a)
    F.det(v).backward()
    numpy.testing.assert_allclose(v.grad, [[5., -3.], [-2., 1.]],
                                  rtol=1e-12)


def test_det_of_singular_matrix_is_zero_and_backward_raises():
    v = Variable(numpy.array([[1., 2.], [2., 4.]]))
    y = F.det(v)
    assert float(y.array) == 0.0
    with pytest.raises(numpy.linalg.LinAlgError, match='singular'):
        y.backward()


@pytest.mark.parametrize('function,shape,expect', [
    ('det', (2, 3), 'square'), ('det', (2, 2, 2), 'ndim == 2'),
    ('batch_det', (2, 2), 'ndim == 3'), ('batch_det', (2, 3, 2), 'square')])
def test_bad_shapes(function, shape, expect):
    with pytest.raises(type_check.InvalidType) as info:
        getattr(F, function)(numpy.zeros(shape, numpy.float32))
    message = str(info.value)
    assert expect in message and 'Det' in message


def test_det_rejects_integers():
    with pytest.raises(type_check.InvalidType, match='int32'):
        F.det(numpy.eye(2, dtype=numpy.int32))
