"""Tests of F.reshape and Variable.reshape."""
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


def _reference_reshape(x, shape):
    """Row-major refill of ``shape`` from ``x``'s elements."""
    flat = [x[index] for index in numpy.ndindex(*x.shape)]
    if -1 in shape:
        known = int(numpy.prod([n for n in shape if n != -1]))
        shape = tuple(len(flat) // known if n == -1 else n for n in shape)
    y = numpy.empty(shape, x.dtype)
    for k, index in enumerate(numpy.ndindex(*shape)):
        y[index] = flat[k]
    return y


@testing.parameterize(*testing.product({
    'shapes': [((2, 3), (3, 2)), ((2, 3), (6,)), ((2, 3), (-1,)),
               ((2, 3, 4), (4, -1)), ((2, 3, 4), (2, -1, 3)),
               ((6,), (2, 3)), ((2, 3), (2, 3)), ((), (1, 1)), ((1, 1), ()),
               ((), (-1,)), ((0, 3), (3, 0)), ((0, 3), (-1,)),
               ((0, 3), (3, 0, 1))],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestReshape(function_link.FunctionTestCase):

    # Reshape only moves values: the gradients are exact up to rounding of
    # the output gradients themselves.
    check_backward_options = {'eps': 1e-4, 'atol': 1e-7, 'rtol': 1e-7}
    check_double_backward_options = check_backward_options

    def setUp(self):
        self.in_shape, self.out_shape = self.shapes
        if self.dtype == numpy.float16:
            self.check_backward_options = {'eps': 1e-4, 'atol': 1e-3,
                                           'rtol': 1e-3}
            self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.in_shape).astype(
            self.dtype),

    def forward(self, inputs, device):
        return F.reshape(inputs[0], self.out_shape),

    def forward_expected(self, inputs):
        return _reference_reshape(inputs[0], self.out_shape),


@backend.inject_backend_tests(None, _BACKENDS)
class TestReshapeMethod(function_link.FunctionTestCase):
    """``x.reshape(*shape)`` (varargs form)."""

    check_backward_options = {'atol': 1e-7, 'rtol': 1e-7}
    check_double_backward_options = check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (2, 6)),

    def forward(self, inputs, device):
        return inputs[0].reshape(3, -1, 2),

    def forward_expected(self, inputs):
        return _reference_reshape(inputs[0], (3, 2, 2)),


@pytest.mark.parametrize('call', [
    lambda x: x.reshape(2, 3), lambda x: x.reshape((2, 3)),
    lambda x: x.reshape([2, 3]), lambda x: x.reshape(2, -1),
    lambda x: x.reshape((-1, 3)), lambda x: F.reshape(x, (2, 3)),
    lambda x: F.reshape(x, [2, 3])])
def test_reshape_call_forms(call):
    x = Variable(numpy.arange(6, dtype=numpy.float32))
    y = call(x)
    assert y.shape == (2, 3) and y.dtype == numpy.float32
    numpy.testing.assert_array_equal(y.array, [[0, 1, 2], [3, 4, 5]])
    F.sum(y * y).backward()
    numpy.testing.assert_array_equal(x.grad, 2 * x.array)


def test_reshape_int_shape_and_0_dim():
    x = Variable(numpy.arange(4, dtype=numpy.float32).reshape(2, 2))
    assert F.reshape(x, 4).shape == (4,)
    assert x.reshape(-1).shape == (4,)
    scalar = Variable(numpy.array(3.0, numpy.float32))
    assert scalar.reshape(()).shape == ()
    assert scalar.reshape(1, 1).shape == (1, 1)


def test_reshape_returns_a_view():
    data = numpy.arange(6, dtype=numpy.float32)
    y = F.reshape(Variable(data), (2, 3))
    assert numpy.shares_memory(y.array, data)


@pytest.mark.parametrize('in_shape,shape', [
    ((2, 3), (4,)), ((2, 3), (4, -1)), ((2, 3), (2, 2)), ((0, 3), (1,)),
    ((0, 3), (2, 0, -1)),
    ((), (2,))])
def test_reshape_bad_size(in_shape, shape):
    x = Variable(numpy.zeros(in_shape, numpy.float32))
    size = int(numpy.prod(in_shape))
    with pytest.raises(type_check.InvalidType) as info:
        F.reshape(x, shape)
    message = str(info.value)
    assert 'Reshape' in message
    assert 'Expect' in message and 'Actual' in message
    assert 'x.size == {}'.format(size) in message
    assert str(shape) in message
    with pytest.raises(type_check.InvalidType):
        x.reshape(*shape)


@pytest.mark.parametrize('shape', [(-1, -1), (2, -2)])
def test_reshape_invalid_shape_entries(shape):
    x = Variable(numpy.zeros((2, 2), numpy.float32))
    with pytest.raises(ValueError, match='Reshape'):
        F.reshape(x, shape)
