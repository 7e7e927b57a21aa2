"""Tests of F.squeeze."""
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
    'shape_axis': [((1, 3, 1, 2), None), ((1, 3, 1, 2), 0),
                   ((1, 3, 1, 2), -2), ((1, 3, 1, 2), (0, 2)),
                   ((1,), None), ((), None), ((0, 1), 1), ((1, 1), ()),
                   ((2, 1), [1])],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestSqueeze(function_link.FunctionTestCase):

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
        return F.squeeze(inputs[0], self.axis),

    def forward_expected(self, inputs):
        x = inputs[0]
        if self.axis is None:
            removed = [a for a, n in enumerate(x.shape) if n == 1]
        elif isinstance(self.axis, int):
            removed = [self.axis % x.ndim]
        else:
            removed = [a % x.ndim for a in self.axis]
        kept = [a for a in range(x.ndim) if a not in removed]
        y = numpy.empty(tuple(x.shape[a] for a in kept), x.dtype)
        for index in numpy.ndindex(*x.shape):
            y[tuple(index[a] for a in kept)] = x[index]
        return y,


@pytest.mark.parametrize('axis', [1, (0, 1)])
def test_squeeze_axis_of_length_not_1(axis):
    with pytest.raises(type_check.InvalidType) as info:
        F.squeeze(numpy.zeros((1, 3), numpy.float32), axis)
    message = str(info.value)
    assert 'Squeeze' in message and 'x.shape[1] == 1' in message
    assert '(1, 3)' in message


def test_squeeze_axis_out_of_range_or_bad():
    x = numpy.zeros((1, 3), numpy.float32)
    with pytest.raises(type_check.InvalidType, match='Squeeze'):
        F.squeeze(x, 2)
    with pytest.raises(TypeError, match='Squeeze.*axis'):
        F.squeeze(x, 0.0)
    with pytest.raises(ValueError, match='Squeeze.*duplicate'):
        F.squeeze(numpy.zeros((1, 1)), (0, -2))
