"""Tests of F.split_axis and F.separate."""
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
    test.check_forward_options = {'atol': 0, 'rtol': 0}
    if dtype == numpy.float16:
        test.check_backward_options = {'atol': 1e-3, 'rtol': 1e-3}
    elif dtype == numpy.float32:
        test.check_backward_options = {'atol': 1e-5, 'rtol': 1e-5}
    else:
        test.check_backward_options = {'atol': 1e-9, 'rtol': 1e-9}
    test.check_double_backward_options = test.check_backward_options


def _reference_split(x, bounds, axis):
    """One piece per pair of consecutive bounds, copied element by
    element."""
    pieces = []
    for start, stop in zip(bounds[:-1], bounds[1:]):
        shape = list(x.shape)
        shape[axis] = stop - start
        piece = numpy.empty(shape, x.dtype)
        for index in numpy.ndindex(*shape):
            source = list(index)
            source[axis] += start
            piece[index] = x[tuple(source)]
        pieces.append(piece)
    return tuple(pieces)


@testing.parameterize(*testing.product({
    'case': [
        # shape, indices_or_sections, axis, bounds of the pieces
        ((6, 2), 3, 0, [0, 2, 4, 6]),
        ((6, 2), [2, 5], 0, [0, 2, 5, 6]),
        ((2, 6), [0, 2, 2, 6], 1, [0, 0, 2, 2, 6, 6]),
        ((2, 3, 4), [1], -1, [0, 1, 4]),
        ((2, 3, 4), (1, 2), -2, [0, 1, 2, 3]),
        ((2, 3), [3], 1, [0, 3, 3]),
        ((0, 4), 2, 1, [0, 2, 4]),
        ((4,), 1, 0, [0, 4]),
        ((5, 2), numpy.array([1, 3]), 0, [0, 1, 3, 5]),
        ((3, 2), [], 0, [0, 3]),
    ],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestSplitAxis(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.shape, self.ios, self.axis, self.bounds = self.case

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.split_axis(inputs[0], self.ios, self.axis)

    def forward_expected(self, inputs):
        x = inputs[0]
        return _reference_split(x, self.bounds, self.axis % x.ndim)


@testing.parameterize(*testing.product({
    'shape_axis': [((2, 3), 0), ((2, 3), 1), ((2, 3, 4), -1), ((3,), 0),
                   ((2, 0), 0), ((1, 2), -2)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestSeparate(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.shape, self.axis = self.shape_axis

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.separate(inputs[0], self.axis)

    def forward_expected(self, inputs):
        x = inputs[0]
        axis = self.axis % x.ndim
        out_shape = x.shape[:axis] + x.shape[axis + 1:]
        ys = []
        for i in range(x.shape[axis]):
            y = numpy.empty(out_shape, x.dtype)
            for index in numpy.ndindex(*out_shape):
                y[index] = x[index[:axis] + (i,) + index[axis:]]
            ys.append(y)
        return tuple(ys)


def test_split_axis_force_tuple():
    x = numpy.arange(4, dtype=numpy.float32)
    ys = F.split_axis(x, 1, 0)
    assert isinstance(ys, tuple) and len(ys) == 1
    y = F.split_axis(x, 1, 0, force_tuple=False)
    assert isinstance(y, Variable)
    numpy.testing.assert_array_equal(y.array, x)
    ys = F.split_axis(x, 2, 0, force_tuple=False)
    assert isinstance(ys, tuple) and len(ys) == 2


def test_split_axis_unused_outputs_get_zero_gradient():
    x = Variable(numpy.arange(6.0).reshape(3, 2))
    a, b, c = F.split_axis(x, 3, 0)
    b.grad = numpy.array([[1.0, 2.0]])
    b.backward()
    numpy.testing.assert_array_equal(x.grad, [[0, 0], [1, 2], [0, 0]])


def test_separate_unused_outputs_get_zero_gradient():
    x = Variable(numpy.arange(6.0).reshape(2, 3))
    ys = F.separate(x, axis=1)
    assert len(ys) == 3 and ys[2].shape == (2,)
    ys[2].grad = numpy.array([5.0, 7.0])
    ys[2].backward()
    numpy.testing.assert_array_equal(x.grad, [[0, 0, 5], [0, 0, 7]])


def test_split_axis_sections_must_divide():
    x = numpy.zeros((5, 2), numpy.float32)
    with pytest.raises(type_check.InvalidType) as info:
        F.split_axis(x, 2, 0)
    message = str(info.value)
    assert 'SplitAxis' in message and 'x.shape[0] == 5' in message
    assert 'sections == 2' in message


def test_split_axis_last_index_beyond_the_axis():
    x = numpy.zeros((5, 2), numpy.float32)
    with pytest.raises(type_check.InvalidType) as info:
        F.split_axis(x, [2, 6], 0)
    message = str(info.value)
    assert 'SplitAxis' in message and 'x.shape[0] == 5' in message


@pytest.mark.parametrize('ios', [[3, 1], [-1, 2]])
def test_split_axis_indices_must_be_sorted_and_non_negative(ios):
    with pytest.raises(ValueError, match='SplitAxis.*sorted'):
        F.split_axis(numpy.zeros((5,), 'f'), ios, 0)


@pytest.mark.parametrize('ios', [1.5, 'ab', [1.0, 2.0], None])
def test_split_axis_bad_indices_type(ios):
    with pytest.raises(TypeError, match='SplitAxis.*indices_or_sections'):
        F.split_axis(numpy.zeros((5,), 'f'), ios, 0)


def test_split_axis_zero_sections():
    with pytest.raises(ValueError, match='SplitAxis.*positive'):
        F.split_axis(numpy.zeros((5,), 'f'), 0, 0)


@pytest.mark.parametrize('func', [
    lambda x: F.split_axis(x, 1, 2), lambda x: F.separate(x, -3)])
def test_split_axis_and_separate_axis_out_of_range(func):
    with pytest.raises(type_check.InvalidType) as info:
        func(numpy.zeros((2, 3), 'f'))
    message = str(info.value)
    assert 'Expect' in message and '-2 <= axis < 2' in message


def test_separate_of_a_scalar():
    with pytest.raises(type_check.InvalidType, match='Separate'):
        F.separate(numpy.zeros((), 'f'))
