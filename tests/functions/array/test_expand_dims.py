"""Tests of F.expand_dims."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet.testing import backend
from dynet.testing import function_link
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


@testing.parameterize(*testing.product({
    'shape_axis': [((3, 2), 0), ((3, 2), 1), ((3, 2), 2), ((3, 2), -1),
                   ((3, 2), -3), ((), 0), ((), -1), ((0, 2), 1)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestExpandDims(function_link.FunctionTestCase):

    def setUp(self):
        self.shape, self.axis = self.shape_axis
        self.check_forward_options = {'atol': 0, 'rtol': 0}
        if self.dtype == numpy.float16:
            self.check_backward_options = {'atol': 1e-3, 'rtol': 1e-3}
        else:
            self.check_backward_options = {'atol': 1e-6, 'rtol': 1e-6}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.expand_dims(inputs[0], self.axis),

    def forward_expected(self, inputs):
        x = inputs[0]
        axis = self.axis % (x.ndim + 1)
        y = numpy.empty(x.shape[:axis] + (1,) + x.shape[axis:], x.dtype)
        for index in numpy.ndindex(*x.shape):
            y[index[:axis] + (0,) + index[axis:]] = x[index]
        return y,


@pytest.mark.parametrize('axis', [3, -4])
def test_expand_dims_axis_out_of_range(axis):
    with pytest.raises(type_check.InvalidType) as info:
        F.expand_dims(numpy.zeros((2, 3), numpy.float32), axis)
    message = str(info.value)
    assert 'ExpandDims' in message and '-3 <= axis < 3' in message
    assert 'axis == {}'.format(axis) in message


def test_expand_dims_axis_must_be_int():
    with pytest.raises(TypeError, match='ExpandDims.*axis'):
        F.expand_dims(numpy.zeros(2, numpy.float32), None)
