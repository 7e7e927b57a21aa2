"""Tests of F.bilinear."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet.utils import type_check

_TOL = {
    numpy.float16: ({'atol': 1e-2, 'rtol': 1e-2},
                    {'atol': 5e-2, 'rtol': 5e-2}),
    numpy.float32: ({'atol': 1e-5, 'rtol': 1e-5},
                    {'atol': 1e-4, 'rtol': 1e-4}),
    numpy.float64: ({'atol': 1e-12, 'rtol': 1e-12},
                    {'atol': 1e-7, 'rtol': 1e-7}),
}


def _reference(e1, e2, W, V1=None, V2=None, b=None):
    """y_il = sum_jk e1_ij e2_ik W_jkl (+ e1 V1 + e2 V2 + b), by loops."""
    e1 = e1.reshape(e1.shape[0], -1 if e1.size else W.shape[0])
    e2 = e2.reshape(e2.shape[0], -1 if e2.size else W.shape[1])
    e1 = e1.astype(numpy.float64)
    e2 = e2.astype(numpy.float64)
    n = len(e1)
    J, K, L = W.shape
    y = numpy.zeros((n, L))
    for i in range(n):
        for out in range(L):
            total = 0.0
            for j in range(J):
                for k in range(K):
                    total += e1[i, j] * e2[i, k] * float(W[j, k, out])
            if V1 is not None:
                total += sum(e1[i, j] * float(V1[j, out]) for j in range(J))
                total += sum(e2[i, k] * float(V2[k, out]) for k in range(K))
                total += float(b[out])
            y[i, out] = total
    return y


@testing.parameterize(*testing.product({
    'shapes': [((3, 2), (3, 4)), ((2, 2, 2), (2, 3)), ((0, 2), (0, 3))],
    'linear': [True, False],
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestBilinear(testing.FunctionTestCase):

    def setUp(self):
        forward, backward = _TOL[self.dtype]
        self.check_forward_options = forward
        self.check_backward_options = backward
        self.check_double_backward_options = backward

    def generate_inputs(self):
        e1_shape, e2_shape = self.shapes
        J = int(numpy.prod(e1_shape[1:]))
        K = int(numpy.prod(e2_shape[1:]))
        L = 2
        shapes = [e1_shape, e2_shape, (J, K, L)]
        if self.linear:
            shapes += [(J, L), (K, L), (L,)]
        return tuple(numpy.random.uniform(-1, 1, s).astype(self.dtype)
                     for s in shapes)

    def forward(self, inputs, device):
        return F.bilinear(*inputs),

    def forward_expected(self, inputs):
        return _reference(*inputs).astype(self.dtype),


def _z(*shape, dtype=numpy.float32):
    return numpy.zeros(shape, dtype)


def test_linear_parameters_all_or_none():
    with pytest.raises(ValueError, match='bilinear: V1, V2 and b must be '
                                         'all given or all None'):
        F.bilinear(_z(1, 2), _z(1, 3), _z(2, 3, 4), V1=_z(2, 4))


def test_bad_shapes():
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)BilinearFunction.*prod\(e1.shape\[1:\]\) '
                             r'== W.shape\[0\].*3 != 2'):
        F.bilinear(_z(1, 3), _z(1, 3), _z(2, 3, 4))
    with pytest.raises(type_check.InvalidType,
                       match=r'prod\(e2.shape\[1:\]\) == W.shape\[1\]'):
        F.bilinear(_z(1, 2), _z(1, 2), _z(2, 3, 4))
    with pytest.raises(type_check.InvalidType,
                       match=r'e1.shape\[0\] == e2.shape\[0\]'):
        F.bilinear(_z(1, 2), _z(2, 3), _z(2, 3, 4))
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)V2.shape == \(3, 4\).*\(2, 4\)'):
        F.bilinear(_z(1, 2), _z(1, 3), _z(2, 3, 4), _z(2, 4), _z(2, 4),
                   _z(4))
    with pytest.raises(type_check.InvalidType, match='e1.ndim >= 2'):
        F.bilinear(_z(2), _z(1, 3), _z(2, 3, 4))
    with pytest.raises(type_check.InvalidType, match='float32 != float64'):
        F.bilinear(_z(1, 2), _z(1, 3, dtype=numpy.float64), _z(2, 3, 4))
