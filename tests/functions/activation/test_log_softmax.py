"""Tests of F.log_softmax."""
import math

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


def _tolerances(test, dtype):
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 5e-3, 'rtol': 2e-3}
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


def _reference_log_softmax(x, axis):
    """``x - log(sum(exp(x)))`` with explicit loops along ``axis``."""
    x = numpy.asarray(x, numpy.float64)
    axis %= x.ndim
    y = numpy.empty(x.shape)
    others = x.shape[:axis] + x.shape[axis + 1:]
    for index in numpy.ndindex(*others):
        line = [index[:axis] + (k,) + index[axis:]
                for k in range(x.shape[axis])]
        top = max(x[i] for i in line)
        log_total = top + math.log(sum(math.exp(x[i] - top) for i in line))
        for i in line:
            y[i] = x[i] - log_total
    return y


@testing.parameterize(*testing.product({
    'shape_axis': [((2, 3), 1), ((2, 3), 0), ((2, 3), -1), ((4,), 0),
                   ((2, 3, 2), 1), ((2, 3, 2), 2), ((0, 3), 1),
                   ((2, 1), 1)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestLogSoftmax(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.shape, self.axis = self.shape_axis

    def generate_inputs(self):
        return numpy.random.uniform(-2, 2, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.log_softmax(inputs[0], axis=self.axis),

    def forward_expected(self, inputs):
        return _reference_log_softmax(inputs[0], self.axis).astype(
            self.dtype),


@pytest.mark.parametrize('dtype', _FLOATS)
def test_log_softmax_large_logits_are_stable(dtype):
    x = numpy.array([[1e4, -1e4, 0.0], [1e4, 1e4, -1e4]]).astype(dtype)
    with numpy.errstate(over='raise', invalid='raise', divide='raise'):
        y = F.log_softmax(Variable(x))
    expected = [[0, -2e4, -1e4], [-math.log(2), -math.log(2), -2e4]]
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), expected,
                                  rtol=1e-3)
    assert numpy.isfinite(y.array).all() and y.dtype == dtype


@pytest.mark.parametrize('dtype', _FLOATS)
def test_log_softmax_large_logits_gradients_are_finite(dtype):
    x = Variable(numpy.array([[1e4, -1e4, 0.0]]).astype(dtype))
    gx, = dynet.grad([F.sum(F.log_softmax(x) * numpy.array(
        [[3.0, 1.0, 2.0]], dtype))], [x], enable_double_backprop=True)
    # gx = gy - softmax(x) * sum(gy) = [3 - 6, 1, 2]
    numpy.testing.assert_allclose(gx.array.astype(numpy.float64),
                                  [[-3, 1, 2]], rtol=1e-3)
    ggx, = dynet.grad([F.sum(gx * gx)], [x])
    assert numpy.isfinite(ggx.array).all()


def test_log_softmax_is_log_of_softmax():
    x = Variable(numpy.random.RandomState(1).uniform(-3, 3, (3, 5)))
    numpy.testing.assert_allclose(F.log_softmax(x).array,
                                  numpy.log(F.softmax(x).array),
                                  rtol=1e-12)


@pytest.mark.parametrize('shape,axis', [((3,), 1), ((2, 3), 2), ((), 0)])
def test_log_softmax_axis_out_of_range(shape, axis):
    with pytest.raises(type_check.InvalidType) as info:
        F.log_softmax(Variable(numpy.zeros(shape, numpy.float32)), axis=axis)
    message = str(info.value)
    assert 'LogSoftmax' in message and 'axis' in message
    assert 'ndim == {}'.format(len(shape)) in message


def test_log_softmax_axis_of_wrong_type():
    with pytest.raises(TypeError, match='log_softmax'):
        F.log_softmax(Variable(numpy.zeros((2, 3), numpy.float32)), axis=1.5)
