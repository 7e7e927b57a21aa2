"""Tests of F.batch_matmul (deprecated, as in Chainer)."""
import warnings

import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _batch_matmul_loops(a, b, transa, transb):
    """2-D (B, N) operands are B column vectors (N x 1)."""
    a = a.astype(numpy.float64)
    b = b.astype(numpy.float64)
    a = a[:, :, None] if a.ndim == 2 else a
    b = b[:, :, None] if b.ndim == 2 else b
    if transa:
        a = a.transpose(0, 2, 1)
    if transb:
        b = b.transpose(0, 2, 1)
    batch, m, k = a.shape
    n = b.shape[2]
    y = numpy.zeros((batch, m, n))
    for i in range(batch):
        for r in range(m):
            for c in range(n):
                for p in range(k):
                    y[i, r, c] += a[i, r, p] * b[i, p, c]
    return y


_CASES = [
    # a.shape, b.shape, transa, transb
    ((3, 2, 4), (3, 4, 5), False, False),
    ((3, 4, 2), (3, 4, 5), True, False),
    ((3, 2, 4), (3, 5, 4), False, True),
    ((3, 4, 2), (3, 5, 4), True, True),
    ((3, 4), (3, 4), True, False),     # batched dot products
    ((3, 4), (3, 5), False, True),     # batched outer products
    ((3, 2, 4), (3, 4), False, False),
    ((3, 4), (3, 1, 5), False, False),
    ((0, 2, 3), (0, 3, 4), False, False),
]


@testing.parameterize(*testing.product({
    'case': _CASES,
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestBatchMatMul(testing.FunctionTestCase):

    def setUp(self):
        self.a_shape, self.b_shape, self.transa, self.transb = self.case
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 5e-3, 'rtol': 5e-3}
            self.check_backward_options = {'eps': 1e-3, 'atol': 1e-2,
                                           'rtol': 1e-2}
        elif self.dtype == numpy.float32:
            self.check_forward_options = {'atol': 1e-6, 'rtol': 1e-5}
            self.check_backward_options = {'eps': 1e-3, 'atol': 1e-5,
                                           'rtol': 1e-4}
        else:
            self.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
            self.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                           'rtol': 1e-7}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return tuple(numpy.random.uniform(-1, 1, s).astype(self.dtype)
                     for s in (self.a_shape, self.b_shape))

    def forward(self, inputs, device):
        a, b = inputs
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', DeprecationWarning)
            return F.batch_matmul(a, b, transa=self.transa,
                                  transb=self.transb),

    def forward_expected(self, inputs):
        return _batch_matmul_loops(inputs[0], inputs[1], self.transa,
                                   self.transb).astype(self.dtype),


def test_batch_matmul_is_deprecated():
    a = numpy.ones((2, 3, 3), numpy.float32)
    with pytest.warns(DeprecationWarning, match='matmul'):
        F.batch_matmul(a, a)


@pytest.mark.filterwarnings('ignore::DeprecationWarning')
@pytest.mark.parametrize('a_shape,b_shape,transa,expect', [
    ((2, 3, 4), (2, 3, 4), False, 'inner dimensions'),
    ((2, 3), (2, 4), True, 'inner dimensions'),
    ((3,), (3, 1), False, 'a.ndim == 2 or a.ndim == 3'),
    ((2, 3, 4), (2, 4, 1, 1), False, 'b.ndim == 2 or b.ndim == 3'),
])
def test_bad_shapes(a_shape, b_shape, transa, expect):
    a = numpy.zeros(a_shape, numpy.float32)
    b = numpy.zeros(b_shape, numpy.float32)
    with pytest.raises(type_check.InvalidType) as info:
        F.batch_matmul(a, b, transa=transa)
    message = str(info.value)
    assert 'BatchMatMul' in message and expect in message
