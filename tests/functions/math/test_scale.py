"""Tests of F.scale."""
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

# (x shape, y shape, axis)
_CASES = [((2, 3, 4), (3,), 1), ((2, 3, 4), (3, 4), 1),
          ((2, 3, 4), (2,), 0), ((2, 3, 4), (4,), 2),
          ((2, 3, 4), (), 1), ((2, 3), (2, 3), 0), ((0, 3), (3,), 1)]


@testing.parameterize(*testing.product({
    'case': _CASES,
    'dtype': _FLOATS,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestScale(function_link.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 1e-3, 'rtol': 1e-3}
            self.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                           'rtol': 5e-3}
        else:
            self.check_backward_options = {'eps': 1e-4, 'atol': 1e-6,
                                           'rtol': 1e-6}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        x_shape, y_shape, _ = self.case
        return (numpy.random.uniform(-1, 1, x_shape).astype(self.dtype),
                numpy.asarray(numpy.random.uniform(-1, 1, y_shape)).astype(
                    self.dtype))

    def forward(self, inputs, device):
        return F.scale(*inputs, axis=self.case[2]),

    def forward_expected(self, inputs):
        x, y = inputs
        axis = self.case[2]
        z = numpy.empty(x.shape, numpy.float64)
        for index in numpy.ndindex(*x.shape):
            z[index] = float(x[index]) * float(
                y[index[axis:axis + y.ndim]])
        return z.astype(self.dtype),


def test_default_axis_is_one():
    x = numpy.zeros((2, 3, 2), numpy.float32)
    y = numpy.array([1.0, 2.0, 3.0], numpy.float32)
    z = F.scale(x + 2, y)
    numpy.testing.assert_array_equal(z.array[1, :, 0], 2 * y)


def test_scale_gradients():
    x = Variable(numpy.arange(24, dtype=numpy.float32).reshape(2, 3, 4))
    y = Variable(numpy.array([1.0, 2.0, 3.0], numpy.float32))
    F.sum(F.scale(x, y)).backward()
    numpy.testing.assert_array_equal(y.grad, x.array.sum(axis=(0, 2)))
    numpy.testing.assert_array_equal(
        x.grad, numpy.broadcast_to(y.array[:, None], (2, 3, 4)))


def test_shape_mismatch_is_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.scale(numpy.ones((2, 3, 4)), numpy.ones((4,)), axis=1)
    message = str(info.value)
    assert 'scale' in message and '(3,)' in message and '(4,)' in message


@pytest.mark.parametrize('axis', [-1, 3])
def test_axis_out_of_range_is_rejected(axis):
    with pytest.raises(ValueError, match='scale: axis'):
        F.scale(numpy.ones((2, 3, 4)), numpy.ones((3,)), axis=axis)


def test_non_integer_axis_is_rejected():
    with pytest.raises(TypeError, match='scale: axis must be an int'):
        F.scale(numpy.ones((2, 3)), numpy.ones((3,)), axis=1.0)


def test_dtype_mismatch_is_rejected():
    with pytest.raises(type_check.InvalidType, match='float64'):
        F.scale(Variable(numpy.ones((2, 3), numpy.float32)),
               Variable(numpy.ones((3,), numpy.float64)))
