"""Tests of F.repeat."""
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
    'case': [((3, 2), 2, None), ((3, 2), 2, 0), ((3, 2), (1, 0, 3), 0),
             ((3, 2), (2,), -1), ((2, 3, 2), (0, 2, 1), 1),
             ((2, 3), 0, 1), ((), 3, None), ((3,), (1, 2, 3), None),
             ((0, 2), 2, 0), ((0, 2), (1, 2), 1), ((2, 2), [3, 1], 0)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestRepeat(function_link.FunctionTestCase):

    def setUp(self):
        self.shape, self.repeats, self.axis = self.case
        self.check_forward_options = {'atol': 0, 'rtol': 0}
        if self.dtype == numpy.float16:
            self.check_backward_options = {'atol': 2e-3, 'rtol': 2e-3}
        else:
            self.check_backward_options = {'atol': 1e-6, 'rtol': 1e-6}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.repeat(inputs[0], self.repeats, self.axis),

    def forward_expected(self, inputs):
        x = inputs[0]
        if self.axis is None:
            x = x.reshape(-1)
            axis = 0
        else:
            axis = self.axis % x.ndim
        n = x.shape[axis]
        repeats = self.repeats
        if isinstance(repeats, int):
            repeats = [repeats] * n
        elif len(repeats) == 1:
            repeats = list(repeats) * n
        # Output position k along the axis copies input position source[k].
        source = [i for i in range(n) for _ in range(repeats[i])]
        shape = list(x.shape)
        shape[axis] = len(source)
        y = numpy.empty(shape, x.dtype)
        for index in numpy.ndindex(*shape):
            src = list(index)
            src[axis] = source[index[axis]]
            y[index] = x[tuple(src)]
        return y,


def test_repeat_gradient_sums_the_copies():
    x = Variable(numpy.array([1.0, 2.0]))
    y = F.repeat(x, (2, 3))
    y.grad = numpy.arange(5.0)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [0 + 1, 2 + 3 + 4])


@pytest.mark.parametrize('repeats,error', [
    (-1, ValueError), ((1, -2), ValueError), (1.5, TypeError),
    ((1, 2.0), TypeError), ('2', TypeError)])
def test_repeat_bad_repeats(repeats, error):
    with pytest.raises(error, match='Repeat.*repeats'):
        F.repeat(numpy.zeros(2, numpy.float32), repeats)


def test_repeat_bad_axis():
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(TypeError, match='Repeat.*axis'):
        F.repeat(x, 2, axis=True)
    with pytest.raises(type_check.InvalidType, match='-2 <= axis < 2'):
        F.repeat(x, 2, axis=2)


def test_repeat_wrong_number_of_repeats():
    with pytest.raises(type_check.InvalidType) as info:
        F.repeat(numpy.zeros((2, 3), numpy.float32), (1, 2), axis=1)
    message = str(info.value)
    assert 'Repeat' in message and 'len(repeats) in (1, 3)' in message
    assert 'len(repeats) == 2' in message
