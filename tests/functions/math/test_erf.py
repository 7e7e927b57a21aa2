"""Tests of F.erf."""
import math
import sys

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.functions.math import _elementwise
from dynet.testing import backend
from dynet.testing import function_link
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _tolerances(test, dtype):
    """The numerical derivative is taken in float64 whatever the dtype."""
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 1e-3, 'rtol': 1e-3}
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


def _reference(x):
    x = numpy.asarray(x, numpy.float64)
    y = numpy.empty(x.shape)
    for index in numpy.ndindex(*x.shape):
        y[index] = math.erf(x[index])
    return y


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 3), (2, 1, 2)],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestErf(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        return numpy.random.uniform(-2, 2, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.erf(inputs[0]),

    def forward_expected(self, inputs):
        return _reference(inputs[0]).astype(self.dtype),


def test_derivative_is_gaussian():
    x = Variable(numpy.array([-1.0, 0.0, 0.5]))
    gx, = dynet.grad([F.sum(F.erf(x))], [x], enable_double_backprop=True)
    density = 2 / math.sqrt(math.pi) * numpy.exp(-x.array ** 2)
    numpy.testing.assert_allclose(gx.array, density, rtol=1e-15)
    ggx, = dynet.grad([F.sum(gx)], [x])
    numpy.testing.assert_allclose(ggx.array, -2 * x.array * density,
                                  rtol=1e-15)


def test_label_and_dtype():
    y = F.erf(Variable(numpy.zeros(2, numpy.float16)))
    assert y.dtype == numpy.float16 and y.creator.label == 'erf'


def test_without_scipy_falls_back_to_math_erf(monkeypatch):
    monkeypatch.setitem(sys.modules, 'scipy', None)
    monkeypatch.setitem(sys.modules, 'scipy.special', None)
    x = numpy.array([[-1.5, 0.0], [0.3, 2.0]], numpy.float32)
    with pytest.warns(_elementwise.PerformanceWarning, match='erf'):
        y = F.erf(x)
    assert y.dtype == numpy.float32
    numpy.testing.assert_allclose(y.array, _reference(x), rtol=1e-6)


def test_non_float_input_is_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.erf(numpy.ones(3, numpy.int32))
    message = str(info.value)
    assert 'erf' in message and 'int32' in message
    assert 'Expect' in message and 'Actual' in message
