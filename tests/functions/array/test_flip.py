"""Tests of F.flip, F.fliplr and F.flipud."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet.testing import backend
from dynet.testing import function_link
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _reference_flip(x, axis):
    y = numpy.empty_like(x)
    for index in numpy.ndindex(*x.shape):
        source = list(index)
        source[axis] = x.shape[axis] - 1 - index[axis]
        y[index] = x[tuple(source)]
    return y


@testing.parameterize(*testing.product({
    'case': [('flip', (3, 2), 0), ('flip', (3, 2), 1), ('flip', (3, 2), -1),
             ('flip', (2, 3, 4), -2), ('flip', (4,), 0),
             ('flip', (0, 3), 0), ('fliplr', (3, 2), 1),
             ('fliplr', (2, 3, 4), 1), ('fliplr', (0, 3), 1),
             ('flipud', (3, 2), 0), ('flipud', (4,), 0),
             ('flipud', (3, 0, 2), 0)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestFlip(function_link.FunctionTestCase):

    def setUp(self):
        self.name, self.shape, self.axis = self.case
        self.check_forward_options = {'atol': 0, 'rtol': 0}
        if self.dtype == numpy.float16:
            self.check_backward_options = {'atol': 1e-3, 'rtol': 1e-3}
        else:
            self.check_backward_options = {'atol': 1e-6, 'rtol': 1e-6}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        if self.name == 'flip':
            return F.flip(inputs[0], self.axis),
        return getattr(F, self.name)(inputs[0]),

    def forward_expected(self, inputs):
        x = inputs[0]
        return _reference_flip(x, self.axis % x.ndim),


@pytest.mark.parametrize('func,shape,expect', [
    (lambda x: F.flip(x, 2), (2, 3), '-2 <= axis < 2'),
    (lambda x: F.flip(x, 0), (), 'x.ndim >= 1'),
    (F.fliplr, (3,), 'a.ndim >= 2'),
    (F.flipud, (), 'a.ndim >= 1'),
])
def test_flip_bad_inputs(func, shape, expect):
    with pytest.raises(type_check.InvalidType) as info:
        func(numpy.zeros(shape, numpy.float32))
    message = str(info.value)
    assert 'Flip' in message and expect in message and 'Actual' in message


def test_flip_axis_must_be_int():
    with pytest.raises(TypeError, match='Flip.*axis'):
        F.flip(numpy.zeros(3, numpy.float32), (0,))
