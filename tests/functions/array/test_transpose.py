"""Tests of F.transpose, Variable.transpose and Variable.T."""
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


def _reference_transpose(x, axes):
    """``y[i_axes[0], ..., i_axes[n-1]] = x[i_0, ..., i_{n-1}]`` by loops."""
    ndim = x.ndim
    axes = tuple(reversed(range(ndim))) if axes is None else tuple(
        a % ndim for a in axes)
    y = numpy.empty(tuple(x.shape[a] for a in axes), x.dtype)
    for index in numpy.ndindex(*y.shape):
        source = [0] * ndim
        for position, a in enumerate(axes):
            source[a] = index[position]
        y[index] = x[tuple(source)]
    return y


@testing.parameterize(*testing.product({
    'shape_axes': [((2, 3, 4), None), ((2, 3, 4), (1, 0, 2)),
                   ((2, 3, 4), (2, 0, 1)), ((2, 3, 4), (-1, 0, -2)),
                   ((2, 3), None), ((2, 3), (0, 1)), ((4,), (0,)),
                   ((), None), ((), ()), ((0, 3), None),
                   ((2, 0, 3), (2, 1, 0))],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestTranspose(function_link.FunctionTestCase):

    check_backward_options = {'eps': 1e-4, 'atol': 1e-7, 'rtol': 1e-7}
    check_double_backward_options = check_backward_options

    def setUp(self):
        self.shape, self.axes = self.shape_axes
        if self.dtype == numpy.float16:
            self.check_backward_options = {'eps': 1e-4, 'atol': 1e-3,
                                           'rtol': 1e-3}
            self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.transpose(inputs[0], self.axes),

    def forward_expected(self, inputs):
        return _reference_transpose(inputs[0], self.axes),


@testing.parameterize(*testing.product({
    'form': ['T', 'transpose()', 'transpose(None)', 'transpose(*axes)',
             'transpose(axes)'],
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestTransposeMethods(function_link.FunctionTestCase):

    check_backward_options = {'atol': 1e-7, 'rtol': 1e-7}
    check_double_backward_options = check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (2, 3, 4)),

    def forward(self, inputs, device):
        x, = inputs
        if self.form == 'T':
            return x.T,
        if self.form == 'transpose()':
            return x.transpose(),
        if self.form == 'transpose(None)':
            return x.transpose(None),
        if self.form == 'transpose(*axes)':
            return x.transpose(1, 2, 0),
        return x.transpose((1, 2, 0)),

    def forward_expected(self, inputs):
        axes = (1, 2, 0) if 'axes' in self.form else None
        return _reference_transpose(inputs[0], axes),


def test_T_of_matrix_and_gradient():
    x = Variable(numpy.arange(6, dtype=numpy.float32).reshape(2, 3))
    y = x.T
    assert y.shape == (3, 2)
    numpy.testing.assert_array_equal(y.array, [[0, 3], [1, 4], [2, 5]])
    y.grad = numpy.arange(6, dtype=numpy.float32).reshape(3, 2)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [[0, 2, 4], [1, 3, 5]])


def test_T_of_vector_and_scalar_is_identity():
    v = Variable(numpy.arange(3, dtype=numpy.float32))
    assert v.T.shape == (3,)
    s = Variable(numpy.array(2.0, numpy.float32))
    assert s.T.shape == ()


@pytest.mark.parametrize('axes', [(0, 1), (0, 0, 1), (0, 1, 3), (0, 1, -4),
                                  (0, 1, 2, 3)])
def test_transpose_bad_axes(axes):
    x = Variable(numpy.zeros((2, 3, 4), numpy.float32))
    with pytest.raises(type_check.InvalidType) as info:
        F.transpose(x, axes)
    message = str(info.value)
    assert 'Transpose' in message and 'range(3)' in message
    assert str(axes) in message
    assert 'Expect' in message and 'Actual' in message
