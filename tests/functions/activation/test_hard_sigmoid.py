"""Tests of F.hard_sigmoid."""
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
        test.check_forward_options = {'atol': 1e-3, 'rtol': 1e-3}
        test.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                       'rtol': 5e-3}
    else:
        test.check_forward_options = {'atol': 1e-7, 'rtol': 1e-7}
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-6,
                                       'rtol': 1e-6}
    test.check_double_backward_options = test.check_backward_options


def _reference(x):
    y = numpy.empty(x.shape)
    for i in numpy.ndindex(*x.shape):
        v = float(x[i])
        y[i] = 0.0 if v <= -2.5 else 1.0 if v >= 2.5 else 0.2 * v + 0.5
    return y


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 3), (2, 1, 3)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestHardSigmoid(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        x = numpy.random.uniform(-4, 4, self.shape)
        # Keep away from the kinks at +-2.5.
        x = numpy.where(abs(abs(x) - 2.5) < 0.1, x * 0.5, x)
        return numpy.asarray(x).astype(self.dtype),

    def forward(self, inputs, device):
        return F.hard_sigmoid(inputs[0]),

    def forward_expected(self, inputs):
        return _reference(inputs[0]).astype(self.dtype),


def test_hard_sigmoid_gradient_at_the_kinks_is_zero():
    x = Variable(numpy.array([-3.0, -2.5, 0.0, 2.5, 3.0], numpy.float32))
    y = F.hard_sigmoid(x)
    numpy.testing.assert_allclose(y.array, [0, 0, 0.5, 1, 1])
    F.sum(y).backward()
    numpy.testing.assert_allclose(x.grad, [0, 0, 0.2, 0, 0])


def test_hard_sigmoid_non_float_input():
    with pytest.raises(type_check.InvalidType) as info:
        F.hard_sigmoid(Variable(numpy.ones((2,), numpy.int32)))
    assert 'HardSigmoid' in str(info.value)
