"""Tests of F.permutate."""
import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.testing import backend
from dynet.testing import function_link
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


@testing.parameterize(*testing.product({
    'shape_axis': [((3,), 0), ((3, 2), 0), ((3, 4), 1), ((2, 3, 4), -1),
                   ((2, 3, 4), -2), ((0, 3), 1), ((3, 0), 0)],
    'inv': [False, True],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestPermutate(function_link.FunctionTestCase):

    def setUp(self):
        self.shape, self.axis = self.shape_axis
        self.check_forward_options = {'atol': 0, 'rtol': 0}
        if self.dtype == numpy.float16:
            self.check_backward_options = {'atol': 1e-3, 'rtol': 1e-3}
        else:
            self.check_backward_options = {'atol': 1e-6, 'rtol': 1e-6}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        n = self.shape[self.axis]
        indices = numpy.random.permutation(n).astype(numpy.int32)
        return x, indices

    def forward(self, inputs, device):
        x, indices = inputs
        return F.permutate(x, indices, self.axis, self.inv),

    def forward_expected(self, inputs):
        x, indices = inputs
        axis = self.axis % x.ndim
        y = numpy.empty_like(x)
        for index in numpy.ndindex(*x.shape):
            source = list(index)
            if self.inv:
                target = list(index)
                target[axis] = indices[index[axis]]
                y[tuple(target)] = x[index]
            else:
                source[axis] = indices[index[axis]]
                y[index] = x[tuple(source)]
        return y,


def test_permutate_documented_example():
    # The example of Chainer's documentation.
    x = numpy.arange(6).reshape((3, 2)).astype(numpy.float32)
    indices = numpy.array([2, 0, 1], numpy.int32)
    numpy.testing.assert_array_equal(
        F.permutate(x, indices).array, [[4, 5], [0, 1], [2, 3]])
    numpy.testing.assert_array_equal(
        F.permutate(x, indices, inv=True).array, [[2, 3], [4, 5], [0, 1]])
    numpy.testing.assert_array_equal(
        F.permutate(x, numpy.array([1, 0], numpy.int32), axis=1).array,
        [[1, 0], [3, 2], [5, 4]])


def test_permutate_indices_as_variable_get_no_gradient():
    x = Variable(numpy.arange(3.0))
    indices = Variable(numpy.array([1, 2, 0], numpy.int32))
    y = F.permutate(x, indices)
    y.grad = numpy.array([10.0, 20.0, 30.0])
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [30, 10, 20])
    assert indices.grad is None


@pytest.mark.parametrize('indices,expect', [
    (numpy.array([0, 1], numpy.int32), 'x.shape[0] == indices.shape[0]'),
    (numpy.array([0, 1, 2], numpy.float32), 'indices.dtype.kind == i'),
    (numpy.array([[0, 1, 2]], numpy.int32), 'indices.ndim == 1'),
])
def test_permutate_bad_indices(indices, expect):
    with pytest.raises(type_check.InvalidType) as info:
        F.permutate(numpy.zeros((3, 2), numpy.float32), indices)
    message = str(info.value)
    assert 'Permutate' in message and expect in message


def test_permutate_axis_out_of_range():
    with pytest.raises(type_check.InvalidType, match='-2 <= axis < 2'):
        F.permutate(numpy.zeros((3, 2), 'f'), numpy.arange(3), axis=2)


@pytest.mark.parametrize('indices', [[0, 0, 1], [0, 1, 3], [-1, 0, 1]])
def test_permutate_checks_the_permutation_in_debug_mode(indices):
    x = numpy.zeros(3, numpy.float32)
    indices = numpy.array(indices, numpy.int32)
    with dynet.using_config('debug', True):
        with pytest.raises(ValueError, match='Permutate'):
            F.permutate(x, indices)
