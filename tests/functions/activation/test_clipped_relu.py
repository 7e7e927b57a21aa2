"""Tests of F.clipped_relu and F.relu6."""
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
        test.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                       'rtol': 5e-3}
    else:
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-6,
                                       'rtol': 1e-6}
    test.check_double_backward_options = test.check_backward_options


def _reference(x, z):
    y = numpy.empty(x.shape, x.dtype)
    for i in numpy.ndindex(*x.shape):
        y[i] = min(max(float(x[i]), 0.0), z)
    return y


def _away_from(points, low, high, shape, dtype, margin=0.1):
    x = numpy.random.uniform(low, high, shape)
    for p in points:
        near = abs(x - p) < margin
        x = numpy.where(near, p + margin * numpy.sign(x - p + 1e-12) * 2, x)
    return numpy.asarray(x).astype(dtype)


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 3), (2, 1, 3)],
    'z': [0.75, 20.0],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestClippedReLU(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        return _away_from((0.0, self.z), -1, 1.5, self.shape, self.dtype),

    def forward(self, inputs, device):
        return F.clipped_relu(inputs[0], self.z),

    def forward_expected(self, inputs):
        return _reference(inputs[0], self.z),


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 3)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestReLU6(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        return _away_from((0.0, 6.0), -2, 8, self.shape, self.dtype),

    def forward(self, inputs, device):
        return F.relu6(inputs[0]),

    def forward_expected(self, inputs):
        return _reference(inputs[0], 6.0),


def test_clipped_relu_gradient_at_the_kinks_is_zero():
    x = Variable(numpy.array([-1.0, 0.0, 0.5, 1.0, 2.0], numpy.float32))
    y = F.clipped_relu(x, 1.0)
    numpy.testing.assert_array_equal(y.array, [0, 0, 0.5, 1, 1])
    F.sum(y).backward()
    numpy.testing.assert_array_equal(x.grad, [0, 0, 1, 0, 0])


def test_relu6_gradient_at_the_kinks_is_zero():
    x = Variable(numpy.array([0.0, 3.0, 6.0, 7.0]))
    y = F.relu6(x)
    numpy.testing.assert_array_equal(y.array, [0, 3, 6, 6])
    F.sum(y).backward()
    numpy.testing.assert_array_equal(x.grad, [0, 1, 0, 0])


def test_clipped_relu_default_cap_is_20():
    y = F.clipped_relu(Variable(numpy.array([25.0, 5.0])))
    numpy.testing.assert_array_equal(y.array, [20, 5])


@pytest.mark.parametrize('z', [6, '6', None])
def test_clipped_relu_cap_must_be_float(z):
    # Chainer v7 raises TypeError for a non-float z (even an int).
    with pytest.raises(TypeError, match='clipped_relu.*float'):
        F.clipped_relu(Variable(numpy.zeros(2)), z)


@pytest.mark.parametrize('z', [0.0, -1.0])
def test_clipped_relu_cap_must_be_positive(z):
    with pytest.raises(ValueError, match='clipped_relu.*positive'):
        F.clipped_relu(Variable(numpy.zeros(2)), z)


def test_clipped_relu_non_float_input():
    with pytest.raises(type_check.InvalidType) as info:
        F.relu6(Variable(numpy.ones((2,), numpy.int32)))
    message = str(info.value)
    assert 'ClippedReLU' in message and 'int32' in message
