"""Tests of F.sparse_matmul."""
import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import gradient_check
from dynet import testing
from dynet import Variable
from dynet.utils import type_check
from dynet.utils.sparse import CooMatrix, to_coo

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _pattern(nb, shape, ldnz, rng):
    """Random COO indices with a repeated position and padding slots."""
    m, k = shape
    rows, cols = [], []
    for _ in range(nb or 1):
        used = ldnz - 2
        r = rng.randint(0, m, used)
        c = rng.randint(0, k, used)
        r[1], c[1] = r[0], c[0]  # repeated indices add up
        rows.append(numpy.concatenate([r, [-1, -1]]))
        cols.append(numpy.concatenate([c, [-1, -1]]))
    row = numpy.array(rows, numpy.int32)
    col = numpy.array(cols, numpy.int32)
    return (row, col) if nb else (row[0], col[0])


def _densify(data, row, col, shape):
    """Dense float64 matrices from COO arrays (padding skipped)."""
    batch = data.ndim == 2
    data, row, col = (numpy.atleast_2d(a) for a in (data, row, col))
    dense = numpy.zeros((data.shape[0],) + shape)
    for i in range(data.shape[0]):
        for v, r, c in zip(data[i], row[i], col[i]):
            if r >= 0:
                dense[i, r, c] += v
    return dense if batch else dense[0]


def _op(x, flag):
    return x.swapaxes(-1, -2) if flag else x


@testing.parameterize(*testing.product({
    'sparse_left': [True, False],
    'nb': [0, 2],
    'transa': [False, True],
    'transb': [False, True],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@testing.inject_backend_tests(None, _BACKENDS)
class TestSparseMatmul(testing.FunctionTestCase):

    def setUp(self):
        rng = numpy.random.RandomState(7)
        # The sparse operand as stored (before its transposition).
        self.sp_shape = (3, 4)
        self.row, self.col = _pattern(self.nb, self.sp_shape, 6, rng)
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 5e-3, 'rtol': 5e-3}
            self.check_backward_options = {'atol': 5e-2, 'rtol': 5e-2}
            self.check_double_backward_options = {'atol': 5e-2,
                                                  'rtol': 5e-2}
        else:
            self.check_forward_options = {'atol': 1e-6, 'rtol': 1e-5}
            self.check_backward_options = {'atol': 1e-4, 'rtol': 1e-4}
            self.check_double_backward_options = {'atol': 1e-4,
                                                  'rtol': 1e-4}

    def _dense_shape(self):
        batch = (self.nb,) if self.nb else ()
        m, k = self.sp_shape
        if self.sparse_left:
            inner = m if (self.transa) else k
            shape = (inner, 2)
            return batch + (shape[::-1] if self.transb else shape)
        inner = k if self.transb else m
        shape = (5, inner)
        return batch + (shape[::-1] if self.transa else shape)

    def generate_inputs(self):
        data = numpy.random.uniform(-1, 1, self.row.shape).astype(self.dtype)
        dense = numpy.random.uniform(-1, 1, self._dense_shape()).astype(
            self.dtype)
        return data, dense

    def forward(self, inputs, device):
        data, dense = inputs
        coo = CooMatrix(device.send(numpy.zeros(self.row.shape, data.dtype)),
                        device.send(self.row), device.send(self.col),
                        self.sp_shape)
        coo.data = data  # the Variable under test
        if self.sparse_left:
            return F.sparse_matmul(coo, dense, self.transa, self.transb),
        return F.sparse_matmul(dense, coo, self.transa, self.transb),

    def forward_expected(self, inputs):
        data, dense = inputs
        sparse = _densify(data, self.row, self.col, self.sp_shape)
        dense = dense.astype(numpy.float64)
        if self.sparse_left:
            y = _op(sparse, self.transa) @ _op(dense, self.transb)
        else:
            y = _op(dense, self.transa) @ _op(sparse, self.transb)
        return y.astype(self.dtype),


def test_matches_dense_product_built_with_to_coo():
    rng = numpy.random.RandomState(0)
    a = rng.uniform(-1, 1, (3, 4)) * (rng.uniform(size=(3, 4)) > 0.5)
    b = rng.uniform(-1, 1, (4, 2))
    numpy.testing.assert_allclose(
        F.sparse_matmul(to_coo(a), b).array, a @ b, rtol=1e-13)
    c = rng.uniform(-1, 1, (5, 3))
    numpy.testing.assert_allclose(
        F.sparse_matmul(c, to_coo(a)).array, c @ a, rtol=1e-13)


def test_mixed_dtypes_give_promoted_output_and_own_gradient_dtypes():
    rng = numpy.random.RandomState(1)
    a = to_coo(rng.uniform(-1, 1, (3, 4)).astype(numpy.float32),
               requires_grad=True)
    b = Variable(rng.uniform(-1, 1, (4, 2)))
    y = F.sparse_matmul(a, b)
    assert y.dtype == numpy.float64
    F.sum(y).backward()
    assert a.data.grad.dtype == numpy.float32
    assert b.grad.dtype == numpy.float64


def test_sparse_gradient_only_when_required_and_zero_at_padding():
    rng = numpy.random.RandomState(2)
    x = rng.uniform(-1, 1, (3, 4)) * (rng.uniform(size=(3, 4)) > 0.5)
    frozen = to_coo(x, ldnz=20)
    b = Variable(rng.uniform(-1, 1, (4, 2)))
    F.sum(F.sparse_matmul(frozen, b)).backward()
    assert frozen.data.grad is None and b.grad is not None
    learned = to_coo(x, ldnz=20, requires_grad=True)
    F.sum(F.sparse_matmul(learned, b)).backward()
    padding = learned.row < 0
    assert padding.any()
    assert numpy.all(learned.data.grad[padding] == 0)
    expected = (numpy.ones((3, 2)) @ b.array.T)[
        learned.row[~padding], learned.col[~padding]]
    numpy.testing.assert_allclose(learned.data.grad[~padding], expected)


def test_double_backward_through_both_operands():
    rng = numpy.random.RandomState(3)
    row = numpy.array([[0, 2, 1, -1], [1, 1, 0, 2]], numpy.int32)
    col = numpy.array([[1, 0, 3, -1], [2, 2, 0, 3]], numpy.int32)

    def f(data, dense):
        coo = CooMatrix(numpy.zeros(row.shape), row, col, (3, 4))
        coo.data = data
        return F.sparse_matmul(dense, coo, transa=True)

    data = rng.uniform(-1, 1, row.shape)
    dense = rng.uniform(-1, 1, (2, 3, 2))
    gy = rng.uniform(-1, 1, (2, 2, 4))
    gradient_check.check_double_backward(
        f, (data, dense), gy,
        (rng.uniform(-1, 1, data.shape), rng.uniform(-1, 1, dense.shape)),
        atol=1e-7, rtol=1e-6)


def test_operand_types_are_checked():
    coo = to_coo(numpy.eye(2))
    with pytest.raises(ValueError, match='sparse_matmul'):
        F.sparse_matmul(coo, coo)
    with pytest.raises(ValueError, match='sparse_matmul'):
        F.sparse_matmul(numpy.eye(2), numpy.eye(2))
    with pytest.raises(ValueError, match='sparse_matmul'):
        F.sparse_matmul([[1.0]], coo)


def test_inner_dimension_mismatch_is_reported():
    coo = to_coo(numpy.ones((3, 4)))
    with pytest.raises(type_check.InvalidType) as info:
        F.sparse_matmul(coo, numpy.ones((3, 2)))
    message = str(info.value)
    assert 'sparse_matmul' in message and '3 x 4' in message
    assert '(3, 2)' in message
    # Transposing the sparse operand makes the same shapes fit.
    assert F.sparse_matmul(coo, numpy.ones((3, 2)), transa=True).shape == (
        4, 2)


def test_batch_layout_is_checked():
    single = to_coo(numpy.ones((3, 4)))
    with pytest.raises(type_check.InvalidType) as info:
        F.sparse_matmul(single, numpy.ones((2, 4, 2)))
    assert 'dense.ndim == 2' in str(info.value)
    batched = to_coo(numpy.ones((2, 3, 4)))
    with pytest.raises(type_check.InvalidType) as info:
        F.sparse_matmul(batched, numpy.ones((3, 4, 2)))
    assert 'number of sparse matrices' in str(info.value)


def test_integer_dense_operand_is_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.sparse_matmul(to_coo(numpy.eye(2)), numpy.ones((2, 2), numpy.int32))
    assert 'sparse_matmul' in str(info.value) and 'int32' in str(info.value)


def test_label():
    y = F.sparse_matmul(to_coo(numpy.eye(2)), Variable(numpy.ones((2, 1))))
    assert y.creator.label == 'sparse_matmul'
    assert dynet.functions.sparse_matmul is F.sparse_matmul
