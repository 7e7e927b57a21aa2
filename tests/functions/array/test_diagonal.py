"""Tests of F.diagonal."""
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


def _reference_diagonal(x, offset, axis1, axis2):
    axis1 %= x.ndim
    axis2 %= x.ndim
    rest = [a for a in range(x.ndim) if a not in (axis1, axis2)]
    rest_shape = tuple(x.shape[a] for a in rest)
    values = []
    for k in range(max(x.shape[axis1] + x.shape[axis2], 1)):
        i, j = (k, k + offset) if offset >= 0 else (k - offset, k)
        if i < x.shape[axis1] and j < x.shape[axis2]:
            values.append((i, j))
    y = numpy.empty(rest_shape + (len(values),), x.dtype)
    for index in numpy.ndindex(*rest_shape):
        for n, (i, j) in enumerate(values):
            source = [0] * x.ndim
            for a, v in zip(rest, index):
                source[a] = v
            source[axis1] = i
            source[axis2] = j
            y[index + (n,)] = x[tuple(source)]
    return y


@testing.parameterize(*testing.product({
    'case': [((3, 3), 0, 0, 1), ((3, 4), 1, 0, 1), ((3, 4), -2, 0, 1),
             ((2, 3, 4), 0, 2, 0), ((2, 3, 4), -1, -1, 1),
             ((2, 3), 5, 0, 1), ((0, 3, 2), 1, 1, 2),
             ((4, 2, 3), 1, 1, 0)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestDiagonal(function_link.FunctionTestCase):

    def setUp(self):
        self.shape, self.offset, self.axis1, self.axis2 = self.case
        self.check_forward_options = {'atol': 0, 'rtol': 0}
        if self.dtype == numpy.float16:
            self.check_backward_options = {'atol': 1e-3, 'rtol': 1e-3}
        else:
            self.check_backward_options = {'atol': 1e-6, 'rtol': 1e-6}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.diagonal(inputs[0], self.offset, self.axis1, self.axis2),

    def forward_expected(self, inputs):
        return _reference_diagonal(inputs[0], self.offset, self.axis1,
                                   self.axis2),


def test_diagonal_gradient_lands_on_the_diagonal():
    x = Variable(numpy.zeros((2, 3)))
    y = F.diagonal(x, offset=1)
    y.grad = numpy.array([2.0, 3.0])
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [[0, 2, 0], [0, 0, 3]])


def test_diagonal_output_is_writable():
    y = F.diagonal(numpy.ones((2, 2), numpy.float32))
    y.array[0] = 5  # NumPy's diagonal view would be read-only


@pytest.mark.parametrize('shape,axis1,axis2,expect', [
    ((3,), 0, 1, 'x.ndim >= 2'),
    ((2, 3), 0, 2, '-2 <= axis2 < 2'),
    ((2, 3), 1, -1, 'different axes'),
])
def test_diagonal_bad_axes(shape, axis1, axis2, expect):
    with pytest.raises(type_check.InvalidType) as info:
        F.diagonal(numpy.zeros(shape, numpy.float32), 0, axis1, axis2)
    message = str(info.value)
    assert 'Diagonal' in message and expect in message


def test_diagonal_offset_must_be_int():
    with pytest.raises(TypeError, match='Diagonal.*offset'):
        F.diagonal(numpy.zeros((2, 2), numpy.float32), 0.5)
