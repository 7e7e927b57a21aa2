"""Tests of F.exp and F.log."""
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
    """Forward and gradient tolerances; the numerical derivative itself is
    computed in float64."""
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 1e-3, 'rtol': 1e-3}
        test.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                       'rtol': 5e-3}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-5,
                                       'rtol': 1e-5}
    else:
        test.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-8}
    test.check_double_backward_options = test.check_backward_options


# References built from math.exp / math.log element by element.
_REFERENCE = {
    'exp': numpy.vectorize(math.exp, otypes=[numpy.float64]),
    'log': numpy.vectorize(math.log, otypes=[numpy.float64]),
}


@testing.parameterize(*testing.product({
    'func': ['exp', 'log'],
    'shape': [(3, 2), (), (0, 3), (2, 1, 3)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestExponential(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        if self.func == 'log':
            x = numpy.random.uniform(0.5, 3, self.shape)
        else:
            x = numpy.random.uniform(-2, 2, self.shape)
        return x.astype(self.dtype),

    def forward(self, inputs, device):
        return getattr(F, self.func)(inputs[0]),

    def forward_expected(self, inputs):
        x = inputs[0].astype(numpy.float64)
        if x.size == 0:
            return numpy.zeros(x.shape, self.dtype),
        return numpy.asarray(_REFERENCE[self.func](x)).astype(self.dtype),


def test_log_of_exp_is_identity_and_gradient_one():
    x = Variable(numpy.array([-1.0, 0.0, 2.5]))
    y = F.sum(F.log(F.exp(x)))
    y.backward()
    numpy.testing.assert_allclose(x.grad, numpy.ones(3))


def test_log_of_zero_is_minus_inf():
    with numpy.errstate(divide='ignore'):
        y = F.log(Variable(numpy.array([0.0], numpy.float32)))
    assert y.array[0] == -numpy.inf and y.dtype == numpy.float32


@pytest.mark.parametrize('func,name', [(F.exp, 'Exp'), (F.log, 'Log')])
@pytest.mark.parametrize('dtype', [numpy.int32, numpy.bool_])
def test_non_float_input_raises_invalid_type(func, name, dtype):
    x = Variable(numpy.ones(3, dtype))
    with pytest.raises(type_check.InvalidType) as info:
        func(x)
    message = str(info.value)
    assert name in message and numpy.dtype(dtype).name in message
    assert 'Expect' in message and 'Actual' in message


@pytest.mark.parametrize('func', [F.exp, F.log])
def test_too_many_inputs_is_rejected(func):
    from dynet.functions.math import exponential
    node = {F.exp: exponential.Exp, F.log: exponential.Log}[func]()
    x = numpy.ones(2, numpy.float32)
    with pytest.raises(type_check.InvalidType, match='1 input'):
        node.apply((x, x))
