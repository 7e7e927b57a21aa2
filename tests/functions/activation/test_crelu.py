"""Tests of F.crelu."""
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
    if dtype == numpy.float16:
        test.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                       'rtol': 5e-3}
    else:
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-6,
                                       'rtol': 1e-6}
    test.check_double_backward_options = test.check_backward_options


def _reference(x, axis):
    """Positive parts, then negated negative parts, along ``axis``."""
    axis %= x.ndim
    n = x.shape[axis]
    shape = list(x.shape)
    shape[axis] = 2 * n
    y = numpy.zeros(shape, x.dtype)
    for index in numpy.ndindex(*x.shape):
        v = x[index]
        k = index[axis]
        pos = index[:axis] + (k,) + index[axis + 1:]
        neg = index[:axis] + (k + n,) + index[axis + 1:]
        if v > 0:
            y[pos] = v
        elif v < 0:
            y[neg] = -v
    return y


@testing.parameterize(*testing.product({
    'shape_axis': [((2, 3), 1), ((2, 3), 0), ((2, 3), -1),
                   ((2, 3, 2), 2), ((2, 3, 2), -2), ((0, 3), 1),
                   ((4,), 0)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestCReLU(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.shape, self.axis = self.shape_axis

    def generate_inputs(self):
        magnitude = numpy.random.uniform(0.1, 1, self.shape)
        sign = numpy.where(numpy.random.uniform(-1, 1, self.shape) < 0,
                           -1, 1)
        return numpy.asarray(magnitude * sign).astype(self.dtype),

    def forward(self, inputs, device):
        return F.crelu(inputs[0], axis=self.axis),

    def forward_expected(self, inputs):
        return _reference(inputs[0], self.axis),


def test_crelu_gradient_at_zero_is_zero():
    x = Variable(numpy.array([[-1.0, 0.0, 2.0]], numpy.float32))
    y = F.crelu(x)
    numpy.testing.assert_array_equal(y.array, [[0, 0, 2, 1, 0, 0]])
    y.grad = numpy.array([[1, 2, 3, 4, 5, 6]], numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [[-4, 0, 3]])


@pytest.mark.parametrize('axis', [2, -3])
def test_crelu_axis_out_of_range(axis):
    with pytest.raises(type_check.InvalidType) as info:
        F.crelu(Variable(numpy.zeros((2, 3), numpy.float32)), axis=axis)
    message = str(info.value)
    assert 'CReLU' in message and 'axis' in message and 'ndim == 2' in message


def test_crelu_axis_of_wrong_type():
    with pytest.raises(TypeError, match='crelu'):
        F.crelu(Variable(numpy.zeros((2, 3), numpy.float32)), axis=1.0)


def test_crelu_non_float_input():
    with pytest.raises(type_check.InvalidType) as info:
        F.crelu(Variable(numpy.ones((2, 3), numpy.int32)))
    assert 'CReLU' in str(info.value)
