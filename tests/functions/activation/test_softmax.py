"""Tests of F.softmax."""
import math

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
        test.check_forward_options = {'atol': 2e-3, 'rtol': 2e-3}
        test.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                       'rtol': 5e-3}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-5,
                                       'rtol': 1e-5}
    else:
        test.check_forward_options = {'atol': 1e-14, 'rtol': 1e-13}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-8}
    test.check_double_backward_options = test.check_backward_options


def _reference_softmax(x, axis):
    """Softmax with explicit loops over the lines along ``axis``."""
    x = numpy.asarray(x, numpy.float64)
    axis %= x.ndim
    y = numpy.empty(x.shape)
    others = x.shape[:axis] + x.shape[axis + 1:]
    for index in numpy.ndindex(*others):
        line = [index[:axis] + (k,) + index[axis:]
                for k in range(x.shape[axis])]
        top = max(x[i] for i in line)
        total = sum(math.exp(x[i] - top) for i in line)
        for i in line:
            y[i] = math.exp(x[i] - top) / total
    return y


@testing.parameterize(*testing.product({
    'shape_axis': [((2, 3), 1), ((2, 3), 0), ((2, 3), -1), ((4,), 0),
                   ((2, 3, 2), 1), ((2, 3, 2), 2), ((0, 3), 1),
                   ((2, 1), 1)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestSoftmax(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.shape, self.axis = self.shape_axis

    def generate_inputs(self):
        return numpy.random.uniform(-2, 2, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.softmax(inputs[0], axis=self.axis),

    def forward_expected(self, inputs):
        return _reference_softmax(inputs[0], self.axis).astype(self.dtype),


@pytest.mark.parametrize('dtype', _FLOATS)
def test_softmax_large_logits_are_stable(dtype):
    x = numpy.array([[1e4, -1e4, 0.0], [1e4, 1e4, -1e4]]).astype(dtype)
    with numpy.errstate(over='raise', invalid='raise', divide='raise'):
        y = F.softmax(Variable(x))
        y.grad = numpy.ones(y.shape, dtype)
        y.backward()
    numpy.testing.assert_array_equal(y.array, [[1, 0, 0], [0.5, 0.5, 0]])
    assert y.dtype == dtype


def test_softmax_default_axis_is_1():
    x = numpy.random.RandomState(0).uniform(-1, 1, (2, 3, 4))
    y = F.softmax(Variable(x))
    numpy.testing.assert_allclose(y.array, _reference_softmax(x, 1),
                                  rtol=1e-13)


@pytest.mark.parametrize('shape,axis', [((3,), 1), ((2, 3), 2),
                                        ((2, 3), -3), ((), 0)])
def test_softmax_axis_out_of_range(shape, axis):
    with pytest.raises(type_check.InvalidType) as info:
        F.softmax(Variable(numpy.zeros(shape, numpy.float32)), axis=axis)
    message = str(info.value)
    assert 'Softmax' in message and 'axis' in message
    assert 'ndim == {}'.format(len(shape)) in message


@pytest.mark.parametrize('axis', [1.0, None, (0, 1)])
def test_softmax_axis_of_wrong_type(axis):
    with pytest.raises(TypeError, match='softmax'):
        F.softmax(Variable(numpy.zeros((2, 3), numpy.float32)), axis=axis)


def test_softmax_non_float_input():
    with pytest.raises(type_check.InvalidType) as info:
        F.softmax(Variable(numpy.zeros((2, 3), numpy.int32)))
    assert 'Softmax' in str(info.value) and 'int32' in str(info.value)
