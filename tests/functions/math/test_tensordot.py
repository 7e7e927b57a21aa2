"""Tests of F.tensordot."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _tensordot_loops(a, b, a_axes, b_axes):
    """Sum over the paired axes by explicit loops (float64); the result
    has a's free axes then b's, in order."""
    a_free = [i for i in range(a.ndim) if i not in a_axes]
    b_free = [j for j in range(b.ndim) if j not in b_axes]
    out_shape = tuple(a.shape[i] for i in a_free) + tuple(
        b.shape[j] for j in b_free)
    summed = tuple(a.shape[i] for i in a_axes)
    y = numpy.zeros(out_shape)
    for out_index in numpy.ndindex(*out_shape):
        for s in numpy.ndindex(*summed):
            ai = [0] * a.ndim
            bi = [0] * b.ndim
            for k, i in enumerate(a_free):
                ai[i] = out_index[k]
            for k, j in enumerate(b_free):
                bi[j] = out_index[len(a_free) + k]
            for k, (i, j) in enumerate(zip(a_axes, b_axes)):
                ai[i] = bi[j] = s[k]
            y[out_index] += float(a[tuple(ai)]) * float(b[tuple(bi)])
    return y


# a.shape, b.shape, axes, (a_axes, b_axes) for the reference
_CASES = [
    ((5, 3, 2), (3, 2, 4), 2, ([1, 2], [0, 1])),
    ((2, 3), (3, 4), 1, ([1], [0])),
    ((2, 3), (4, 5), 0, ([], [])),
    ((3, 4), (3, 4), 2, ([0, 1], [0, 1])),
    ((2, 3, 4), (4, 3, 2), ([1, 2], [1, 0]), ([1, 2], [1, 0])),
    ((2, 3, 4), (3, 5), (1, 0), ([1], [0])),
    ((2, 3, 4), (4, 3), ((-1, -2), [0, -1]), ([2, 1], [0, 1])),
    ((3,), (3,), 1, ([0], [0])),
    ((), (2, 3), 0, ([], [])),
    ((0, 3), (3, 2), 1, ([1], [0])),
    ((2, 0), (0, 3), 1, ([1], [0])),
]


@testing.parameterize(*testing.product({
    'case': _CASES,
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestTensorDot(testing.FunctionTestCase):

    def setUp(self):
        self.a_shape, self.b_shape, self.axes, self.pairs = self.case
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
        return tuple(numpy.asarray(numpy.random.uniform(-1, 1, s),
                                   self.dtype)
                     for s in (self.a_shape, self.b_shape))

    def forward(self, inputs, device):
        a, b = inputs
        return F.tensordot(a, b, axes=self.axes),

    def forward_expected(self, inputs):
        a, b = inputs
        return _tensordot_loops(a, b, *self.pairs).astype(self.dtype),


def test_default_axes_is_two():
    a = numpy.random.rand(5, 3, 2)
    b = numpy.random.rand(3, 2, 4)
    y = F.tensordot(a, b)
    assert y.shape == (5, 4)
    numpy.testing.assert_allclose(y.array, numpy.tensordot(a, b),
                                  rtol=1e-12)


def test_gradients_reach_both_inputs():
    a = Variable(numpy.random.rand(2, 3))
    b = Variable(numpy.random.rand(3, 4))
    F.sum(F.tensordot(a, b, axes=1)).backward()
    numpy.testing.assert_allclose(a.grad, numpy.ones((2, 4)) @ b.array.T)
    numpy.testing.assert_allclose(b.grad, a.array.T @ numpy.ones((2, 4)))


@pytest.mark.parametrize('axes,error,match', [
    (3, ValueError, r'axes == 3 must be in \[0, min'),
    (-1, ValueError, 'axes == -1'),
    ((0, 1, 2), ValueError, 'pair'),
    (([0, 1], [0]), ValueError, 'same length'),
    (([2], [0]), ValueError, 'out of range'),
    (([0, 0], [0, 1]), ValueError, 'repeated axis'),
    (1.5, TypeError, 'axes must be'),
    ((['a'], [0]), TypeError, 'axes\\[0\\] must be'),
])
def test_bad_axes(axes, error, match):
    a = numpy.zeros((2, 3), numpy.float32)
    b = numpy.zeros((3, 2), numpy.float32)
    with pytest.raises(error, match='tensordot: .*' + match):
        F.tensordot(a, b, axes=axes)


def test_length_mismatch():
    with pytest.raises(type_check.InvalidType) as info:
        F.tensordot(numpy.zeros((2, 3), numpy.float32),
                    numpy.zeros((4, 2), numpy.float32), axes=1)
    message = str(info.value)
    assert 'TensorDot' in message and '(2, 3)' in message and \
        '(4, 2)' in message


def test_dtype_mismatch():
    with pytest.raises(type_check.InvalidType, match='TensorDot'):
        F.tensordot(numpy.zeros((2, 3), numpy.float32),
                    numpy.zeros((3, 2), numpy.float64), axes=1)
