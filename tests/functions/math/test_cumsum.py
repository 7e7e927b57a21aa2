"""Tests of F.cumsum."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _tolerances(test, dtype):
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 5e-3, 'rtol': 5e-3}
        test.check_backward_options = {'eps': 1e-3, 'atol': 5e-3,
                                       'rtol': 1e-2}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
        test.check_backward_options = {'eps': 1e-3, 'atol': 1e-5,
                                       'rtol': 1e-4}
    else:
        test.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-7}
    test.check_double_backward_options = test.check_backward_options


def _cumsum_loops(x, axis):
    x = x.astype(numpy.float64)
    if axis is None:
        x = x.reshape(-1)
        axis = 0
    axis %= x.ndim
    y = numpy.zeros(x.shape)
    for index in numpy.ndindex(*x.shape):
        k = index[axis]
        for j in range(k + 1):
            source = index[:axis] + (j,) + index[axis + 1:]
            y[index] += x[source]
    return y


@testing.parameterize(*testing.product({
    'shape_axis': [((4,), 0), ((4,), None), ((3, 4), 0), ((3, 4), 1),
                   ((3, 4), -1), ((3, 4), None), ((2, 3, 4), 1),
                   ((2, 3, 4), -3), ((), None), ((0, 3), 0), ((3, 0), 1),
                   ((0, 3), None)],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestCumsum(testing.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.shape, self.axis = self.shape_axis

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.cumsum(inputs[0], axis=self.axis),

    def forward_expected(self, inputs):
        return _cumsum_loops(inputs[0], self.axis).astype(self.dtype),


def test_cumsum_gradient_is_reverse_cumsum():
    x = Variable(numpy.zeros(4))
    y = F.cumsum(x)
    y.grad = numpy.array([1., 2., 3., 4.])
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [10., 9., 7., 4.])


def test_cumsum_rejects_integers():
    with pytest.raises(type_check.InvalidType) as info:
        F.cumsum(numpy.arange(3, dtype=numpy.int32), axis=0)
    assert 'Cumsum' in str(info.value) and 'int32' in str(info.value)


@pytest.mark.parametrize('shape,axis', [((2, 3), 2), ((2, 3), -3), ((), 0)])
def test_cumsum_axis_out_of_range(shape, axis):
    with pytest.raises(type_check.InvalidType) as info:
        F.cumsum(numpy.zeros(shape, numpy.float32), axis=axis)
    message = str(info.value)
    assert 'Cumsum' in message and 'ndim == {}'.format(len(shape)) in message


@pytest.mark.parametrize('axis', [(0,), 1.0])
def test_cumsum_axis_must_be_int_or_none(axis):
    with pytest.raises(TypeError, match='cumsum.*axis'):
        F.cumsum(numpy.zeros((2, 3), numpy.float32), axis=axis)
