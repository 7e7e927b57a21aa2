"""Tests of F.prelu."""
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


def _reference(x, W):
    y = numpy.empty(x.shape)
    for index in numpy.ndindex(*x.shape):
        v = float(x[index])
        w = float(W[index[1:1 + W.ndim]])
        y[index] = v if v >= 0 else w * v
    return y


@testing.parameterize(*testing.product({
    'x_w_shape': [((2, 3), (3,)), ((2, 3), ()), ((2, 3, 4), (3,)),
                  ((2, 3, 4), (3, 4)), ((0, 3), (3,)), ((3,), ())],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestPReLU(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.x_shape, self.w_shape = self.x_w_shape

    def generate_inputs(self):
        magnitude = numpy.random.uniform(0.1, 1, self.x_shape)
        sign = numpy.where(numpy.random.uniform(-1, 1, self.x_shape) < 0,
                           -1, 1)
        x = numpy.asarray(magnitude * sign).astype(self.dtype)
        W = numpy.random.uniform(-1, 1, self.w_shape).astype(self.dtype)
        return x, W

    def forward(self, inputs, device):
        return F.prelu(*inputs),

    def forward_expected(self, inputs):
        return _reference(*inputs).astype(self.dtype),


def test_prelu_gradients_at_zero():
    # x == 0 belongs to the identity part (as in Chainer).
    x = Variable(numpy.array([[-1.0, 0.0, 2.0]], numpy.float32))
    W = Variable(numpy.array([0.3, 0.3, 0.3], numpy.float32))
    y = F.prelu(x, W)
    numpy.testing.assert_allclose(y.array, [[-0.3, 0, 2]])
    F.sum(y).backward()
    numpy.testing.assert_allclose(x.grad, [[0.3, 1, 1]])
    numpy.testing.assert_allclose(W.grad, [-1, 0, 0])


@pytest.mark.parametrize('x_shape,w_shape', [((2, 3), (4,)),
                                             ((2, 3), (3, 1)),
                                             ((3,), (3,))])
def test_prelu_shape_mismatch(x_shape, w_shape):
    with pytest.raises(type_check.InvalidType) as info:
        F.prelu(Variable(numpy.zeros(x_shape, numpy.float32)),
                Variable(numpy.zeros(w_shape, numpy.float32)))
    message = str(info.value)
    assert 'PReLUFunction' in message
    assert 'Expect' in message and 'Actual' in message


def test_prelu_dtype_mismatch():
    with pytest.raises(type_check.InvalidType) as info:
        F.prelu(Variable(numpy.zeros((2, 3), numpy.float32)),
                Variable(numpy.zeros((3,), numpy.float64)))
    assert 'float32 != float64' in str(info.value)
