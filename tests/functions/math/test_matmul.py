"""Tests of F.matmul and the ``@`` operator."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.testing import backend
from dynet.testing import function_link
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _tolerances(test, dtype):
    """Forward and gradient tolerances; the numerical derivative itself is
    computed in float64."""
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 3e-3, 'rtol': 3e-3}
        test.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                       'rtol': 5e-3}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-5,
                                       'rtol': 1e-5}
    else:
        test.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-8}
    test.check_double_backward_options = test.check_backward_options


def _reference_matmul(a, b, transa, transb):
    """numpy.matmul semantics by explicit loops over the batch (float64)."""
    a = a.astype(numpy.float64)
    b = b.astype(numpy.float64)
    a_vector, b_vector = a.ndim == 1, b.ndim == 1
    a = a[None, :] if a_vector else (a.swapaxes(-1, -2) if transa else a)
    b = b[:, None] if b_vector else (b.swapaxes(-1, -2) if transb else b)
    batch = numpy.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    m, k = a.shape[-2:]
    n = b.shape[-1]
    a = numpy.broadcast_to(a, batch + (m, k))
    b = numpy.broadcast_to(b, batch + (k, n))
    y = numpy.zeros(batch + (m, n))
    for index in numpy.ndindex(*batch):
        for i in range(m):
            for j in range(n):
                y[index + (i, j)] = sum(a[index + (i, p)] * b[index + (p, j)]
                                        for p in range(k))
    if a_vector:
        y = y[..., 0, :]
    if b_vector:
        y = y[..., 0]
    return y


_CASES = [
    # a.shape, b.shape, transa, transb
    ((2, 3), (3, 4), False, False),
    ((3, 2), (3, 4), True, False),
    ((2, 3), (4, 3), False, True),
    ((3, 2), (4, 3), True, True),
    ((3,), (3,), False, False),
    ((3,), (3,), True, True),  # transposition is ignored for 1-D inputs
    ((3,), (3, 4), False, False),
    ((2, 3), (3,), False, False),
    ((3,), (2, 3, 4), False, False),
    ((2, 2, 3), (3,), False, False),
    ((2, 2, 3), (3, 4), False, False),
    ((1, 2, 3), (4, 3, 2), False, False),
    ((2, 1, 2, 3), (3, 3, 2), False, False),
    ((2, 3, 2), (2, 4, 3), True, True),
    ((0, 2, 3), (3, 4), False, False),
    ((2, 0), (0, 3), False, False),
]


@testing.parameterize(*testing.product({
    'case': _CASES,
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestMatMul(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.a_shape, self.b_shape, self.transa, self.transb = self.case

    def generate_inputs(self):
        a = numpy.random.uniform(-1, 1, self.a_shape).astype(self.dtype)
        b = numpy.random.uniform(-1, 1, self.b_shape).astype(self.dtype)
        return a, b

    def forward(self, inputs, device):
        a, b = inputs
        return F.matmul(a, b, transa=self.transa, transb=self.transb),

    def forward_expected(self, inputs):
        a, b = inputs
        return numpy.asarray(_reference_matmul(
            a, b, self.transa, self.transb)).astype(self.dtype),


@testing.parameterize(*testing.product({
    'shapes': [((2, 3), (3, 4)), ((3,), (3,)), ((2, 2, 3), (3,))],
    'dtype': [numpy.float32],
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestMatMulOperator(function_link.FunctionTestCase):
    """``a @ b`` for two Variables."""

    check_backward_options = {'eps': 1e-4, 'atol': 1e-5, 'rtol': 1e-5}
    check_double_backward_options = check_backward_options

    def generate_inputs(self):
        return tuple(numpy.random.uniform(-1, 1, s).astype(self.dtype)
                     for s in self.shapes)

    def forward(self, inputs, device):
        a, b = inputs
        return a @ b,

    def forward_expected(self, inputs):
        return numpy.asarray(_reference_matmul(
            inputs[0], inputs[1], False, False)).astype(self.dtype),


def test_matmul_with_constant_array_on_either_side():
    x = Variable(numpy.arange(6, dtype=numpy.float32).reshape(2, 3))
    w = numpy.ones((3, 2), numpy.float64)
    y = x @ w
    assert y.dtype == numpy.float32 and y.shape == (2, 2)
    numpy.testing.assert_allclose(y.array, [[3, 3], [12, 12]])
    z = w @ x
    assert z.dtype == numpy.float32 and z.shape == (3, 3)
    F.sum(y).backward()
    numpy.testing.assert_allclose(x.grad, numpy.full((2, 3), 2.0))


def test_matmul_of_vectors_is_0_dim():
    a = Variable(numpy.array([1.0, 2.0, 3.0]))
    y = F.matmul(a, a)
    assert y.shape == ()
    assert float(y.array) == 14
    y.backward()
    numpy.testing.assert_allclose(a.grad, 2 * a.array)


def test_matmul_batch_broadcast_gradient_is_summed():
    a = Variable(numpy.random.uniform(-1, 1, (4, 2, 3)))
    b = Variable(numpy.random.uniform(-1, 1, (3, 5)))
    F.sum(F.matmul(a, b)).backward()
    assert b.grad.shape == (3, 5)
    expected = a.array.sum(axis=(0, 1))[:, None] * numpy.ones((3, 5))
    numpy.testing.assert_allclose(b.grad, expected)


@pytest.mark.parametrize('a_shape,b_shape,transa,transb', [
    ((2, 3), (4, 5), False, False),
    ((2, 3), (2, 3), False, False),
    ((2, 3), (3, 4), True, False),
    ((3,), (4,), False, False),
    ((2, 2, 3), (3, 3, 4), False, False),
])
def test_matmul_shape_mismatch(a_shape, b_shape, transa, transb):
    a = Variable(numpy.zeros(a_shape, numpy.float32))
    b = Variable(numpy.zeros(b_shape, numpy.float32))
    with pytest.raises(type_check.InvalidType) as info:
        F.matmul(a, b, transa=transa, transb=transb)
    message = str(info.value)
    assert 'MatMul' in message
    assert 'Expect' in message and 'Actual' in message


def test_matmul_dtype_mismatch():
    a = Variable(numpy.zeros((2, 3), numpy.float32))
    b = Variable(numpy.zeros((3, 2), numpy.float64))
    with pytest.raises(type_check.InvalidType) as info:
        F.matmul(a, b)
    message = str(info.value)
    assert 'MatMul' in message and 'float32' in message and \
        'float64' in message


def test_matmul_0_dim_operand():
    a = Variable(numpy.zeros((), numpy.float32))
    b = Variable(numpy.zeros((3, 2), numpy.float32))
    with pytest.raises(type_check.InvalidType) as info:
        F.matmul(a, b)
    assert 'MatMul' in str(info.value) and 'ndim' in str(info.value)
