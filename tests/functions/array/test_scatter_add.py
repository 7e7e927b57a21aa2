"""Tests of F.scatter_add."""
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


def _positions(shape, slices):
    """For every element of ``a[slices]`` (in order), its position in
    ``a``: indexing an array of positions with ``slices``."""
    grid = numpy.empty(shape, object)
    for index in numpy.ndindex(*shape):
        grid[index] = index
    return grid[slices]


@testing.parameterize(*testing.product({
    'case': [
        ((4, 3), 1),
        ((4, 3), (slice(1, 3), 2)),
        ((4, 3), Ellipsis),
        ((4, 3), [0, 2, 0, 0]),
        ((4, 3), (numpy.array([[1, 3], [1, 1]]), slice(None))),
        ((2, 3, 4), (slice(None), [2, 0, 2], [1, 1, 3])),
        ((2, 3), (None, 1)),
        ((3, 2), numpy.array([True, False, True])),
        ((0, 3), slice(None)),
        ((4, 3), []),
    ],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestScatterAdd(function_link.FunctionTestCase):

    def setUp(self):
        self.shape, self.slices = self.case
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 1e-3, 'rtol': 1e-3}
            self.check_backward_options = {'atol': 2e-3, 'rtol': 2e-3}
        else:
            self.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
            self.check_backward_options = {'atol': 1e-6, 'rtol': 1e-6}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        a = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        b_shape = numpy.empty(self.shape)[self.slices].shape
        b = numpy.random.uniform(-1, 1, b_shape).astype(self.dtype)
        return a, b

    def forward(self, inputs, device):
        a, b = inputs
        return F.scatter_add(a, self.slices, b),

    def forward_expected(self, inputs):
        a, b = inputs
        y = a.astype(numpy.float64)
        positions = _positions(a.shape, self.slices)
        for index in numpy.ndindex(*positions.shape):
            y[positions[index]] += b[index]
        return y.astype(self.dtype),


def test_scatter_add_accumulates_repeated_indices_and_keeps_a():
    a = Variable(numpy.zeros(3))
    b = Variable(numpy.array([1.0, 2.0, 3.0]))
    y = F.scatter_add(a, [0, 2, 0], b)
    numpy.testing.assert_array_equal(y.array, [4, 0, 2])
    numpy.testing.assert_array_equal(a.array, [0, 0, 0])
    y.grad = numpy.array([10.0, 20.0, 30.0])
    y.backward()
    numpy.testing.assert_array_equal(a.grad, [10, 20, 30])
    numpy.testing.assert_array_equal(b.grad, [10, 30, 10])


def test_scatter_add_needs_the_exact_shape():
    a = numpy.zeros((3, 2), numpy.float32)
    with pytest.raises(ValueError) as info:
        F.scatter_add(a, 0, numpy.zeros((1, 2), numpy.float32))
    message = str(info.value)
    assert 'ScatterAdd' in message and '(2,)' in message
    assert '(1, 2)' in message


def test_scatter_add_dtype_mismatch():
    with pytest.raises(type_check.InvalidType) as info:
        F.scatter_add(numpy.zeros(3, 'f'), 0, numpy.zeros((), 'd'))
    message = str(info.value)
    assert 'ScatterAdd' in message and 'float64' in message


def test_scatter_add_bad_slices():
    a = numpy.zeros(3, numpy.float32)
    with pytest.raises(IndexError, match='ScatterAdd'):
        F.scatter_add(a, 5, numpy.zeros((), numpy.float32))
    with pytest.raises(ValueError, match='ScatterAdd.*Ellipsis'):
        F.scatter_add(a, (Ellipsis, Ellipsis), numpy.zeros(3, 'f'))
