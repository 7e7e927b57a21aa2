"""Tests of F.where."""
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


@testing.parameterize(*testing.product({
    'shapes': [((3, 2), (3, 2), (3, 2)), ((), (), ()),
               ((3, 1), (2,), (1, 1)), ((2, 3), (), (2, 3)),
               ((4,), (3, 1), (4,)), ((0, 2), (0, 2), (2,))],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestWhere(function_link.FunctionTestCase):

    def setUp(self):
        self.check_forward_options = {'atol': 0, 'rtol': 0}
        if self.dtype == numpy.float16:
            self.check_backward_options = {'atol': 1e-3, 'rtol': 1e-3}
        else:
            self.check_backward_options = {'atol': 1e-6, 'rtol': 1e-6}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        c_shape, x_shape, y_shape = self.shapes
        condition = numpy.asarray(numpy.random.uniform(-1, 1, c_shape) > 0)
        x = numpy.random.uniform(-1, 1, x_shape).astype(self.dtype)
        y = numpy.random.uniform(-1, 1, y_shape).astype(self.dtype)
        return condition, x, y

    def forward(self, inputs, device):
        return F.where(*inputs),

    def forward_expected(self, inputs):
        condition, x, y = inputs
        shape = numpy.broadcast_shapes(condition.shape, x.shape, y.shape)
        out = numpy.empty(shape, self.dtype)

        def at(array, index):  # broadcasting by hand
            index = index[len(index) - array.ndim:]
            return array[tuple(0 if n == 1 else i
                               for i, n in zip(index, array.shape))]
        for index in numpy.ndindex(*shape):
            out[index] = at(x, index) if at(condition, index) else \
                at(y, index)
        return out,


def test_where_documented_example():
    cond = numpy.array([[1, 0], [0, 1]], dtype=bool)
    x = numpy.array([[1, 2], [3, 4]], numpy.float32)
    y = numpy.zeros((2, 2), numpy.float32)
    numpy.testing.assert_array_equal(F.where(cond, x, y).array,
                                     [[1, 0], [0, 4]])


def test_where_gradient_goes_to_the_chosen_input():
    condition = Variable(numpy.array([True, False, True]))
    x = Variable(numpy.zeros(3))
    y = Variable(numpy.zeros(1))
    z = F.where(condition, x, y)
    z.grad = numpy.array([1.0, 2.0, 4.0])
    z.backward()
    numpy.testing.assert_array_equal(x.grad, [1, 0, 4])
    numpy.testing.assert_array_equal(y.grad, [2])
    assert condition.grad is None


def test_where_condition_must_be_boolean():
    with pytest.raises(type_check.InvalidType) as info:
        F.where(numpy.array([1, 0]), numpy.zeros(2, 'f'),
                numpy.zeros(2, 'f'))
    message = str(info.value)
    assert 'Where' in message and 'condition.dtype == bool' in message
    assert 'int' in message
    with pytest.raises(TypeError, match='where: condition'):
        F.where([True, False], numpy.zeros(2, 'f'), numpy.zeros(2, 'f'))


def test_where_dtype_and_shape_mismatch():
    cond = numpy.array([True, False])
    with pytest.raises(type_check.InvalidType, match='float64'):
        F.where(cond, numpy.zeros(2, 'f'), numpy.zeros(2, 'd'))
    with pytest.raises(type_check.InvalidType) as info:
        F.where(cond, numpy.zeros(3, 'f'), numpy.zeros(2, 'f'))
    message = str(info.value)
    assert 'broadcastable' in message and '(3,)' in message
