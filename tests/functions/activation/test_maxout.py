"""Tests of F.maxout."""
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


def _reference(x, pool_size, axis):
    axis %= x.ndim
    shape = list(x.shape)
    shape[axis] //= pool_size
    y = numpy.empty(shape, x.dtype)
    for index in numpy.ndindex(*shape):
        k = index[axis]
        group = [x[index[:axis] + (k * pool_size + j,) + index[axis + 1:]]
                 for j in range(pool_size)]
        y[index] = max(group)
    return y


@testing.parameterize(*testing.product({
    'shape_pool_axis': [((2, 6), 2, 1), ((2, 6), 3, 1), ((2, 6), 6, -1),
                        ((4, 3), 2, 0), ((2, 4, 3), 2, 1),
                        ((2, 3, 4), 4, 2), ((0, 4), 2, 1), ((3, 2), 1, 1)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestMaxout(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.shape, self.pool_size, self.axis = self.shape_pool_axis

    def generate_inputs(self):
        # Distinct values spaced well apart: no ties, no kinks nearby.
        size = int(numpy.prod(self.shape))
        x = numpy.random.permutation(size).reshape(self.shape) * 0.25 - 2
        return x.astype(self.dtype),

    def forward(self, inputs, device):
        return F.maxout(inputs[0], self.pool_size, axis=self.axis),

    def forward_expected(self, inputs):
        return _reference(inputs[0], self.pool_size, self.axis),


def test_maxout_ties_share_the_gradient():
    # As in Chainer, every maximal element of a group gets the gradient.
    x = Variable(numpy.array([[1.0, 1.0, 0.0, 2.0]], numpy.float32))
    y = F.maxout(x, 2)
    numpy.testing.assert_array_equal(y.array, [[1, 2]])
    y.grad = numpy.array([[3.0, 5.0]], numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [[3, 3, 0, 5]])


def test_maxout_size_not_divisible():
    with pytest.raises(type_check.InvalidType) as info:
        F.maxout(Variable(numpy.zeros((2, 4), numpy.float32)), 3)
    message = str(info.value)
    assert 'Maxout' in message and '4 % 3' in message


@pytest.mark.parametrize('pool_size', [0, -2])
def test_maxout_pool_size_must_be_positive(pool_size):
    with pytest.raises(ValueError, match='maxout.*positive'):
        F.maxout(Variable(numpy.zeros((2, 4), numpy.float32)), pool_size)


def test_maxout_pool_size_must_be_int():
    with pytest.raises(TypeError, match='maxout'):
        F.maxout(Variable(numpy.zeros((2, 4), numpy.float32)), 2.0)


def test_maxout_axis_out_of_range():
    with pytest.raises(type_check.InvalidType) as info:
        F.maxout(Variable(numpy.zeros((2, 4), numpy.float32)), 2, axis=2)
    assert 'Maxout' in str(info.value) and 'ndim == 2' in str(info.value)
