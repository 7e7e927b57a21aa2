"""Tests of F.as_strided."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.testing import backend
from dynet.testing import function_link

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


@testing.parameterize(*testing.product({
    'case': [
        # input shape, output shape, strides, storage_offset
        ((4,), (3, 2), (1, 1), 0),
        ((2, 3), (3, 2), (1, 3), 0),
        ((8,), (2, 3), (-1, 2), 3),
        ((2, 3), (2, 2), (3, 1), None),
        ((6,), (2, 3, 2), (0, 1, 2), 1),
        ((3,), (0, 2), (1, 1), 0),
        ((5,), (), (), 4),
        ((3, 4), (4,), (3,), 2),
    ],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestAsStrided(function_link.FunctionTestCase):

    # as_strided reads the memory block of its input: the inputs must be
    # freshly allocated, not the strided views the test case makes.
    contiguous = 'C'

    def setUp(self):
        self.in_shape, self.shape, self.strides, self.offset = self.case
        self.check_forward_options = {'atol': 0, 'rtol': 0}
        if self.dtype == numpy.float16:
            self.check_backward_options = {'atol': 2e-3, 'rtol': 2e-3}
        else:
            self.check_backward_options = {'atol': 1e-6, 'rtol': 1e-6}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.in_shape).astype(
            self.dtype),

    def forward(self, inputs, device):
        return F.as_strided(inputs[0], self.shape, self.strides,
                            self.offset),

    def forward_expected(self, inputs):
        memory = inputs[0].ravel()
        offset = self.offset or 0
        y = numpy.empty(self.shape, self.dtype)
        for index in numpy.ndindex(*self.shape):
            y[index] = memory[offset + sum(
                i * s for i, s in zip(index, self.strides))]
        return y,


def test_as_strided_documented_example():
    x = Variable(numpy.arange(4, dtype=numpy.float32))
    y = F.as_strided(x, (3, 2), (1, 1), 0)
    numpy.testing.assert_array_equal(y.array, [[0, 1], [1, 2], [2, 3]])
    y.grad = numpy.ones((3, 2), dtype=numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [1, 2, 2, 1])


def test_as_strided_ignores_the_view_of_x():
    base = numpy.arange(6, dtype=numpy.float32)
    x = base[2:4]  # elements 2 and 3 of base's memory
    y = F.as_strided(x, (3,), (1,))  # starts at x's own offset
    numpy.testing.assert_array_equal(y.array, [2, 3, 4])
    y = F.as_strided(x, (2,), (2,), 0)
    numpy.testing.assert_array_equal(y.array, [0, 2])


def test_as_strided_shares_memory():
    x = numpy.arange(4, dtype=numpy.float64)
    y = F.as_strided(x, (2,), (2,), 1)
    assert numpy.shares_memory(y.array, x)


def test_as_strided_gradient_of_aliased_input_is_shared():
    # Every row of x is the same memory: the gradient of each memory
    # element is split among the three aliases (layout-agnostic).
    base = numpy.arange(2, dtype=numpy.float64)
    x = Variable(numpy.broadcast_to(base, (3, 2)))
    y = F.as_strided(x, (2,), (1,), 0)
    y.grad = numpy.array([3.0, 6.0])
    y.backward()
    numpy.testing.assert_allclose(x.grad, [[1, 2]] * 3)


def test_as_strided_gradient_drops_memory_outside_x():
    base = numpy.arange(4, dtype=numpy.float64)
    x = Variable(base[1:3])
    y = F.as_strided(x, (4,), (1,), 0)  # reads base[0] .. base[3]
    y.grad = numpy.array([1.0, 2.0, 3.0, 4.0])
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [2, 3])


@pytest.mark.parametrize('shape,strides,offset', [
    ((3,), (3,), 0), ((2,), (-1,), 0), ((2,), (1,), 4)])
def test_as_strided_outside_the_memory(shape, strides, offset):
    with pytest.raises(ValueError) as info:
        F.as_strided(numpy.zeros(5, numpy.float32), shape, strides, offset)
    message = str(info.value)
    assert 'AsStrided' in message and 'outside the memory' in message


def test_as_strided_bad_arguments():
    x = numpy.zeros(5, numpy.float32)
    with pytest.raises(ValueError, match='AsStrided.*same length'):
        F.as_strided(x, (2, 2), (1,))
    with pytest.raises(ValueError, match='AsStrided.*non-negative'):
        F.as_strided(x, (-1,), (1,))
    with pytest.raises(TypeError, match='AsStrided.*strides'):
        F.as_strided(x, (2,), (1.5,))
    with pytest.raises(TypeError, match='AsStrided.*storage_offset'):
        F.as_strided(x, (2,), (1,), 0.5)
