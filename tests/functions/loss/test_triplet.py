"""Tests of F.triplet."""
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
        test.check_backward_options = {'atol': 1e-5, 'rtol': 1e-5}
    else:
        test.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-8}
    test.check_double_backward_options = test.check_backward_options


@testing.parameterize(*testing.product({
    'shape': [(5, 3), (1, 4)],
    'margin': [0.2, 1.0],
    'reduce': ['mean', 'no'],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestTriplet(testing.FunctionTestCase):

    dodge_nondifferentiable = True

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        return tuple(numpy.random.uniform(-1, 1, self.shape).astype(
            self.dtype) for _ in range(3))

    def forward(self, inputs, device):
        return F.triplet(*inputs, margin=self.margin, reduce=self.reduce),

    def forward_expected(self, inputs):
        a, p, n = [x.astype(numpy.float64) for x in inputs]
        loss = numpy.zeros(a.shape[0])
        for i in range(a.shape[0]):
            dp = sum((a[i, j] - p[i, j]) ** 2 for j in range(a.shape[1]))
            dn = sum((a[i, j] - n[i, j]) ** 2 for j in range(a.shape[1]))
            loss[i] = max(dp - dn + self.margin, 0)
        if self.reduce == 'mean':
            loss = numpy.asarray(loss.mean())
        return loss.astype(self.dtype),


def test_triplet_matches_chainer_example():
    a = numpy.array([[-2.0, 3.0, 0.5], [5.0, 2.0, -0.5]], numpy.float32)
    p = numpy.array([[-2.1, 2.8, 0.5], [4.9, 2.0, -0.4]], numpy.float32)
    n = numpy.array([[-2.1, 2.7, 0.7], [4.9, 2.0, -0.7]], numpy.float32)
    assert float(F.triplet(a, p, n).array) == pytest.approx(0.14, rel=1e-5)
    numpy.testing.assert_allclose(F.triplet(a, p, n, reduce='no').array,
                                  [0.11, 0.17], rtol=1e-5)
    assert float(F.triplet(a, p, n, margin=0.5).array) == \
        pytest.approx(0.44, rel=1e-5)


def test_triplet_invalid_arguments():
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(ValueError, match='triplet.*margin'):
        F.triplet(x, x, x, margin=-0.1)
    with pytest.raises(ValueError) as info:
        F.triplet(x, x, x, reduce='sum')
    assert 'triplet' in str(info.value) and "'mean'" in str(info.value)


@pytest.mark.parametrize('shapes,dtypes,expect', [
    (((2, 3), (2, 3), (2, 3)), ('f', 'f', 'd'), 'dtype'),
    (((2, 3), (2, 3), (3, 3)), ('f', 'f', 'f'), 'shape'),
    (((0, 3), (0, 3), (0, 3)), ('f', 'f', 'f'), 'shape[0] > 0'),
    (((2, 3), (2, 3), (2, 3)), ('i', 'i', 'i'), 'int32'),
])
def test_triplet_bad_inputs(shapes, dtypes, expect):
    arrays = [numpy.zeros(s, d) for s, d in zip(shapes, dtypes)]
    with pytest.raises(type_check.InvalidType) as info:
        F.triplet(*arrays)
    message = str(info.value)
    assert 'Triplet' in message and expect in message
    assert 'Expect' in message and 'Actual' in message
