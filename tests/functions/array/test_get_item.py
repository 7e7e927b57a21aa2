"""Tests of F.get_item and Variable.__getitem__."""
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

_MASK_4 = numpy.array([True, False, True, True])
_MASK_4x3 = numpy.array([[True, False, True], [False, False, True],
                         [True, True, True], [False, False, False]])

# Indexes of an array of shape (4, 3, 2), and what NumPy does with them.
_SLICES = [
    1, -1, numpy.int64(2), slice(1, 3), slice(None, None, -2),
    (slice(None), 0), (Ellipsis, 1), (1, Ellipsis), (None, 1),
    (slice(None), None, 1), (1, None, Ellipsis, None), Ellipsis, (),
    (0, 1, 1), (-1, slice(1, None), -2),
    [0, 2], [3, 3, 0, 3], [], numpy.array([[0, 1], [1, 0]]),
    numpy.array(2), (slice(None), [2, 0, 0]), ([1, 0], slice(None), [1, 1]),
    ([0, 0, 3], [2, 2, 2]), (Ellipsis, [1, 1, 0]), (None, [0, 0], 1),
    _MASK_4, (slice(None), numpy.array([True, False, True])), _MASK_4x3,
    [True, False, True, False], (_MASK_4, 0),
]


def _expected_index(slices):
    """The NumPy index meaning the same as ``slices`` does for get_item."""
    if isinstance(slices, list):
        return numpy.asarray(slices, dtype=None if slices else numpy.intp)
    return slices


@testing.parameterize(*testing.product({
    'slices': _SLICES,
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestGetItem(function_link.FunctionTestCase):

    # Gradients are sums of output-gradient entries: exact but for rounding
    # when indexes repeat.
    check_backward_options = {'atol': 1e-7, 'rtol': 1e-7}
    check_double_backward_options = check_backward_options

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_backward_options = {'eps': 1e-4, 'atol': 2e-3,
                                           'rtol': 2e-3}
            self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (4, 3, 2)).astype(self.dtype),

    def forward(self, inputs, device):
        return F.get_item(inputs[0], self.slices),

    def forward_expected(self, inputs):
        return numpy.array(inputs[0][_expected_index(self.slices)]),


@testing.parameterize(*testing.product({
    'shape_slices': [((), ()), ((), None), ((), Ellipsis),
                     ((0, 3), slice(None)), ((0, 3), (Ellipsis, 1)),
                     ((3,), slice(5, None)), ((3,), [])],
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestGetItemEdgeShapes(function_link.FunctionTestCase):
    """0-dim inputs and empty results, through ``x[...]``."""

    check_backward_options = {'atol': 1e-7, 'rtol': 1e-7}
    check_double_backward_options = check_backward_options

    def generate_inputs(self):
        return numpy.asarray(numpy.random.uniform(
            -1, 1, self.shape_slices[0])),

    def forward(self, inputs, device):
        return inputs[0][self.shape_slices[1]],

    def forward_expected(self, inputs):
        return numpy.array(
            inputs[0][_expected_index(self.shape_slices[1])]),


@pytest.mark.parametrize('slices', [
    [0, 0, 2, 0], ([1, 1, 1], [0, 2, 0]), numpy.array([[3, 3], [0, 3]]),
    (slice(None), [1, 1]), (Ellipsis, numpy.array([0, 0, 1]))])
def test_repeated_indexes_accumulate_gradient(slices):
    data = numpy.random.uniform(-1, 1, (4, 3))
    x = Variable(data)
    y = x[slices]
    gy = numpy.random.uniform(-1, 1, y.shape)
    y.grad = gy
    y.backward()
    expected = numpy.zeros_like(data)
    numpy.add.at(expected, _expected_index(slices), gy)
    numpy.testing.assert_allclose(x.grad, expected, rtol=1e-15)


def test_gradients_of_several_get_items_add_up():
    x = Variable(numpy.arange(4, dtype=numpy.float32))
    # x[1] is broadcast over the two elements of the sum.
    F.sum(x[1] + x[[1, 1]] * 2 + x[1:3]).backward()
    numpy.testing.assert_array_equal(x.grad, [0, 2 + 4 + 1, 1, 0])


def test_boolean_mask_gradient_is_zero_where_false():
    x = Variable(numpy.arange(12, dtype=numpy.float64).reshape(4, 3))
    y = x[_MASK_4x3]
    numpy.testing.assert_array_equal(y.array, numpy.arange(12)[
        _MASK_4x3.ravel()])
    F.sum(y).backward()
    numpy.testing.assert_array_equal(x.grad, _MASK_4x3.astype(float))


def test_chainer_list_rule():
    # A list that is not all integers is a tuple of indexes (Chainer).
    data = numpy.arange(12, dtype=numpy.float32).reshape(4, 3)
    x = Variable(data)
    numpy.testing.assert_array_equal(x[[0, slice(None)]].array, data[0, :])
    numpy.testing.assert_array_equal(x[[[0, 1], [1, 2]]].array,
                                     data[[0, 1], [1, 2]])


def test_index_given_as_variable():
    x = Variable(numpy.arange(5, dtype=numpy.float32))
    index = Variable(numpy.array([4, 0]))
    numpy.testing.assert_array_equal(x[index].array, [4, 0])


def test_basic_index_output_is_a_view_of_the_input():
    data = numpy.arange(6, dtype=numpy.float32)
    y = Variable(data)[1:4]
    assert numpy.shares_memory(y.array, data)


@pytest.mark.parametrize('slices', [5, -6, (0, 3), [0, 7], (1, 2, 0),
                                    numpy.array([True, False])])
def test_out_of_range_index(slices):
    x = Variable(numpy.zeros((5, 3), numpy.float32))
    with pytest.raises(IndexError) as info:
        x[slices]
    message = str(info.value)
    assert 'get_item' in message and '(5, 3)' in message


def test_float_index_is_rejected():
    x = Variable(numpy.zeros((5, 3), numpy.float32))
    with pytest.raises(IndexError, match='get_item'):
        x[numpy.array([0.5])]


@pytest.mark.parametrize('slices', [0, slice(None), [0], (Ellipsis, 0)])
def test_indexing_0_dim_array(slices):
    x = Variable(numpy.array(1.0, numpy.float32))
    with pytest.raises(type_check.InvalidType) as info:
        x[slices]
    message = str(info.value)
    assert 'GetItem' in message and 'x.ndim == 0' in message
    assert 'Expect' in message and 'Actual' in message
