"""Tests of F.broadcast_to and F.broadcast."""
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
    # Broadcasting copies values; its gradient sums output gradients.
    if dtype == numpy.float16:
        test.check_backward_options = {'eps': 1e-4, 'atol': 2e-3,
                                       'rtol': 2e-3}
    else:
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-6,
                                       'rtol': 1e-6}
    test.check_double_backward_options = test.check_backward_options


def _reference_broadcast(x, shape):
    """Each output element copies the input element at the same index,
    with axes of length 1 (and missing leading axes) pinned to 0."""
    lead = len(shape) - x.ndim
    y = numpy.empty(shape, x.dtype)
    for index in numpy.ndindex(*shape):
        source = tuple(0 if n == 1 else i
                       for i, n in zip(index[lead:], x.shape))
        y[index] = x[source]
    return y


@testing.parameterize(*testing.product({
    'shapes': [((3, 1), (2, 3, 4)), ((1,), (3,)), ((), (2, 3)), ((), ()),
               ((2, 3), (2, 3)), ((4,), (2, 3, 4)), ((0, 1), (0, 3)),
               ((1, 3), (0, 3)), ((2, 1, 1), (2, 3, 2))],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestBroadcastTo(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.in_shape, self.out_shape = self.shapes

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.in_shape).astype(
            self.dtype),

    def forward(self, inputs, device):
        return F.broadcast_to(inputs[0], self.out_shape),

    def forward_expected(self, inputs):
        return _reference_broadcast(inputs[0], self.out_shape),


@testing.parameterize(*testing.product({
    'shapes': [[(3, 1), (1, 4)], [(2, 3), (3,), ()], [(2, 3)],
               [(2, 3), (2, 3)], [(0, 1), (1, 2), (2,)]],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestBroadcast(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        return tuple(numpy.random.uniform(-1, 1, s).astype(self.dtype)
                     for s in self.shapes)

    def forward(self, inputs, device):
        ys = F.broadcast(*inputs)
        if len(inputs) == 1:
            assert isinstance(ys, Variable)
            return ys,
        assert isinstance(ys, tuple) and len(ys) == len(inputs)
        return ys

    def forward_expected(self, inputs):
        # The common shape, computed by hand from NumPy's rules.
        ndim = max(len(s) for s in self.shapes)
        padded = [(1,) * (ndim - len(s)) + tuple(s) for s in self.shapes]
        shape = tuple(max(sizes) if 0 not in sizes else 0
                      for sizes in zip(*padded))
        return tuple(_reference_broadcast(x, shape) for x in inputs)


def test_broadcast_to_gradient_sums_over_broadcast_axes():
    x = Variable(numpy.array([[1.0], [2.0]]))
    y = F.broadcast_to(x, (3, 2, 4))
    y.grad = numpy.ones((3, 2, 4))
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [[12.0], [12.0]])


def test_broadcast_to_same_shape_returns_the_input():
    x = Variable(numpy.ones((2, 3), numpy.float32))
    assert F.broadcast_to(x, (2, 3)) is x


def test_broadcast_with_one_unused_output():
    a = Variable(numpy.ones((2, 1)))
    b = Variable(numpy.ones((3,)))
    ya, yb = F.broadcast(a, b)
    F.sum(ya).backward()
    numpy.testing.assert_array_equal(a.grad, [[3.0], [3.0]])
    assert b.grad is None or not b.grad.any()


@pytest.mark.parametrize('in_shape,shape', [
    ((3,), (2, 4)), ((2, 3), (3,)), ((2, 1), (3, 1)), ((3,), ())])
def test_broadcast_to_incompatible_shape(in_shape, shape):
    x = Variable(numpy.zeros(in_shape, numpy.float32))
    with pytest.raises(type_check.InvalidType) as info:
        F.broadcast_to(x, shape)
    message = str(info.value)
    assert 'BroadcastTo' in message
    assert str(shape) in message and str(in_shape) in message
    assert 'Expect' in message and 'Actual' in message


def test_broadcast_incompatible_shapes():
    with pytest.raises(type_check.InvalidType) as info:
        F.broadcast(Variable(numpy.zeros((2, 3), numpy.float32)),
                    Variable(numpy.zeros((4,), numpy.float32)))
    message = str(info.value)
    assert 'Broadcast' in message and '(2, 3)' in message and \
        '(4,)' in message


def test_broadcast_without_inputs():
    with pytest.raises(type_check.InvalidType, match='Broadcast'):
        F.broadcast()
