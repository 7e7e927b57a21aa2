"""Tests of F.square."""
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
    'shape': [(3, 2), (), (0, 3), (2, 1, 2)],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestSquare(function_link.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 1e-3, 'rtol': 1e-3}
            self.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                           'rtol': 5e-3}
        elif self.dtype == numpy.float32:
            self.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
            self.check_backward_options = {'eps': 1e-4, 'atol': 1e-5,
                                           'rtol': 1e-5}
        else:
            self.check_forward_options = {'atol': 0, 'rtol': 1e-15}
            self.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                           'rtol': 1e-8}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(-2, 2, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.square(inputs[0]),

    def forward_expected(self, inputs):
        x = numpy.asarray(inputs[0], numpy.float64)
        y = numpy.empty(x.shape)
        for index in numpy.ndindex(*x.shape):
            y[index] = x[index] * x[index]
        return y.astype(self.dtype),


def test_derivatives():
    x = Variable(numpy.array([-1.5, 0.0, 2.0]))
    gx, = dynet.grad([F.sum(F.square(x))], [x], enable_double_backprop=True)
    numpy.testing.assert_array_equal(gx.array, [-3, 0, 4])
    ggx, = dynet.grad([F.sum(gx)], [x])
    numpy.testing.assert_array_equal(ggx.array, [2, 2, 2])


def test_label_and_dtype():
    y = F.square(Variable(numpy.ones(2, numpy.float16)))
    assert y.dtype == numpy.float16 and y.creator.label == 'square'


def test_non_float_input_is_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.square(numpy.ones(3, numpy.int32))
    message = str(info.value)
    assert 'square' in message and 'int32' in message
    assert 'Expect' in message and 'Actual' in message
