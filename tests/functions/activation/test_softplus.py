"""Tests of F.softplus."""
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
        test.check_forward_options = {'atol': 2e-3, 'rtol': 2e-3}
        test.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                       'rtol': 5e-3}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-5,
                                       'rtol': 1e-5}
    else:
        test.check_forward_options = {'atol': 1e-14, 'rtol': 1e-14}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-8}
    test.check_double_backward_options = test.check_backward_options


def _reference(x, beta):
    y = numpy.empty(x.shape)
    for i in numpy.ndindex(*x.shape):
        y[i] = math.log1p(math.exp(beta * float(x[i]))) / beta
    return y


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 3), (2, 1, 3)],
    'beta': [1.0, 2.5, 0.5],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestSoftplus(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        return numpy.random.uniform(-2, 2, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.softplus(inputs[0], beta=self.beta),

    def forward_expected(self, inputs):
        return _reference(inputs[0], self.beta).astype(self.dtype),


@pytest.mark.parametrize('dtype', _FLOATS)
def test_softplus_large_inputs_do_not_overflow(dtype):
    x = Variable(numpy.array([-1e4, 0.0, 1e4]).astype(dtype))
    with numpy.errstate(over='raise', invalid='raise'):
        y = F.softplus(x)
        F.sum(y).backward()
    numpy.testing.assert_allclose(y.array.astype(numpy.float64),
                                  [0, math.log(2), 1e4], rtol=1e-3)
    numpy.testing.assert_allclose(x.grad.astype(numpy.float64), [0, 0.5, 1])


def test_softplus_second_derivative():
    x = Variable(numpy.array([-1.0, 0.3]))
    gx, = dynet.grad([F.sum(F.softplus(x, beta=2.0))], [x],
                     enable_double_backprop=True)
    ggx, = dynet.grad([F.sum(gx)], [x])
    s = 1 / (1 + numpy.exp(-2 * x.array))
    numpy.testing.assert_allclose(gx.array, s, rtol=1e-12)
    numpy.testing.assert_allclose(ggx.array, 2 * s * (1 - s), rtol=1e-12)


def test_softplus_non_float_input():
    with pytest.raises(type_check.InvalidType) as info:
        F.softplus(Variable(numpy.ones((2,), numpy.int32)))
    assert 'Softplus' in str(info.value)
