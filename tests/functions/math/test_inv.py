"""Tests of F.inv and F.batch_inv."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _well_conditioned(shape, dtype):
    """Random matrices plus (n + 1) * I: strictly diagonally dominant, so
    even 1 x 1 matrices stay away from 0 (cond < ~10)."""
    n = shape[-1]
    a = numpy.random.uniform(-1, 1, shape) + (n + 1) * numpy.eye(n)
    return a.astype(dtype)


def _inverse_gauss_jordan(a):
    """Inverse of one matrix by Gauss-Jordan elimination with partial
    pivoting (float64), written out as the reference."""
    n = a.shape[0]
    m = numpy.hstack([a.astype(numpy.float64), numpy.eye(n)])
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r, col]))
        m[[col, pivot]] = m[[pivot, col]]
        m[col] /= m[col, col]
        for row in range(n):
            if row != col:
                m[row] -= m[row, col] * m[col]
    return m[:, n:]


def _set_tolerances(test):
    if test.dtype == numpy.float16:
        test.check_forward_options = {'atol': 3e-3, 'rtol': 1e-2}
        test.check_backward_options = {'eps': 1e-3, 'atol': 1e-2,
                                       'rtol': 5e-2}
    elif test.dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-6, 'rtol': 1e-5}
        test.check_backward_options = {'eps': 1e-3, 'atol': 1e-5,
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
class TestInv(testing.FunctionTestCase):

    def setUp(self):
        _set_tolerances(self)

    def generate_inputs(self):
        return _well_conditioned((self.n, self.n), self.dtype),

    def forward(self, inputs, device):
        return F.inv(inputs[0]),

    def forward_expected(self, inputs):
        return _inverse_gauss_jordan(inputs[0]).astype(self.dtype),


@testing.parameterize(*testing.product({
    'shape': [(4, 3, 3), (1, 2, 2), (2, 1, 1), (0, 3, 3)],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestBatchInv(testing.FunctionTestCase):

    def setUp(self):
        _set_tolerances(self)

    def generate_inputs(self):
        return _well_conditioned(self.shape, self.dtype),

    def forward(self, inputs, device):
        return F.batch_inv(inputs[0]),

    def forward_expected(self, inputs):
        a = inputs[0]
        y = numpy.zeros(a.shape)
        for i in range(a.shape[0]):
            y[i] = _inverse_gauss_jordan(a[i])
        return y.astype(self.dtype),


def test_inverse_times_matrix_is_identity():
    a = _well_conditioned((4, 4), numpy.float64)
    numpy.testing.assert_allclose(a @ F.inv(a).array, numpy.eye(4),
                                  atol=1e-12)


def test_singular_matrix_raises():
    a = numpy.array([[1., 2.], [2., 4.]], numpy.float32)
    with pytest.raises(numpy.linalg.LinAlgError, match='Inv.*singular'):
        F.inv(a)
    with pytest.raises(ValueError, match='BatchInv.*singular'):
        F.batch_inv(a[None])


@pytest.mark.parametrize('function,shape,expect', [
    ('inv', (2, 3), 'square'), ('inv', (2, 2, 2), 'ndim == 2'),
    ('inv', (3,), 'ndim == 2'), ('batch_inv', (2, 2), 'ndim == 3'),
    ('batch_inv', (2, 2, 3), 'square')])
def test_bad_shapes(function, shape, expect):
    with pytest.raises(type_check.InvalidType) as info:
        getattr(F, function)(numpy.zeros(shape, numpy.float32))
    message = str(info.value)
    assert expect in message and 'Inv' in message
    assert str(shape) in message or 'ndim == {}'.format(len(shape)) in \
        message


def test_inv_rejects_integers():
    with pytest.raises(type_check.InvalidType, match='int64'):
        F.inv(numpy.eye(2, dtype=numpy.int64))


def test_inv_gradient_value():
    # d/dA sum(G * A^-1) = -A^-T G A^-T
    a = _well_conditioned((3, 3), numpy.float64)
    g = numpy.random.uniform(-1, 1, (3, 3))
    v = Variable(a)
    y = F.inv(v)
    y.grad = g
    y.backward()
    ainv = numpy.linalg.inv(a)
    numpy.testing.assert_allclose(v.grad, -ainv.T @ g @ ainv.T, rtol=1e-10)
