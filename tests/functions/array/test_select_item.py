"""Tests of F.select_item."""
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


@testing.parameterize(*testing.product({
    'shape': [(4, 3), (1, 5), (3, 1), (0, 3)],
    't_dtype': [numpy.int32, numpy.int64],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestSelectItem(function_link.FunctionTestCase):

    def setUp(self):
        self.check_forward_options = {'atol': 0, 'rtol': 0}
        if self.dtype == numpy.float16:
            self.check_backward_options = {'atol': 1e-3, 'rtol': 1e-3}
        else:
            self.check_backward_options = {'atol': 1e-6, 'rtol': 1e-6}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        t = numpy.random.randint(0, self.shape[1], self.shape[0]).astype(
            self.t_dtype)
        return x, t

    def forward(self, inputs, device):
        return F.select_item(*inputs),

    def forward_expected(self, inputs):
        x, t = inputs
        return numpy.array([x[i, t[i]] for i in range(len(t))],
                           self.dtype).reshape(len(t)),


def test_select_item_documented_example():
    x = numpy.array([[0, 1, 2], [3, 4, 5]], numpy.float32)
    y = F.select_item(x, numpy.array([0, 2]))
    numpy.testing.assert_array_equal(y.array, [0, 5])


def test_select_item_gradient():
    x = Variable(numpy.zeros((2, 3)))
    t = Variable(numpy.array([2, 0], numpy.int32))
    y = F.select_item(x, t)
    y.grad = numpy.array([5.0, 7.0])
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [[0, 0, 5], [7, 0, 0]])
    assert t.grad is None


@pytest.mark.parametrize('x_shape,t,expect', [
    ((2, 3), numpy.array([0, 1], numpy.float32), 't.dtype.kind == i'),
    ((2, 3), numpy.array([0, 1], numpy.uint8), 't.dtype.kind == i'),
    ((2, 3, 1), numpy.array([0, 1], numpy.int32), 'x.ndim == 2'),
    ((2, 3), numpy.array([[0, 1]], numpy.int32), 't.ndim == 1'),
    ((2, 3), numpy.array([0, 1, 2], numpy.int32),
     'x.shape[0] == t.shape[0]'),
])
def test_select_item_bad_inputs(x_shape, t, expect):
    with pytest.raises(type_check.InvalidType) as info:
        F.select_item(numpy.zeros(x_shape, numpy.float32), t)
    message = str(info.value)
    assert 'SelectItem' in message and expect in message


def test_select_item_checks_the_range_in_debug_mode():
    x = numpy.zeros((2, 3), numpy.float32)
    with dynet.using_config('debug', True):
        with pytest.raises(ValueError, match='SelectItem.*0 <= t'):
            F.select_item(x, numpy.array([0, 3], numpy.int32))
