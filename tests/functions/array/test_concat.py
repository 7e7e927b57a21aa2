"""Tests of F.concat."""
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
    test.check_forward_options = {'atol': 0, 'rtol': 0}
    if dtype == numpy.float16:
        test.check_backward_options = {'atol': 1e-3, 'rtol': 1e-3}
    elif dtype == numpy.float32:
        test.check_backward_options = {'atol': 1e-5, 'rtol': 1e-5}
    else:
        test.check_backward_options = {'atol': 1e-9, 'rtol': 1e-9}
    test.check_double_backward_options = test.check_backward_options


def _reference_concat(xs, axis):
    """Places each input element at its offset along ``axis``."""
    ndim = xs[0].ndim
    axis %= ndim
    shape = list(xs[0].shape)
    shape[axis] = sum(x.shape[axis] for x in xs)
    y = numpy.full(shape, numpy.nan, xs[0].dtype)
    offset = 0
    for x in xs:
        for index in numpy.ndindex(*x.shape):
            target = list(index)
            target[axis] += offset
            y[tuple(target)] = x[index]
        offset += x.shape[axis]
    return y


@testing.parameterize(*testing.product({
    'shapes_axis': [
        (((2, 3, 4), (2, 1, 4), (2, 2, 4)), 1),
        (((2, 3, 4), (2, 3, 1)), -1),
        (((3,), (2,), (1,)), 0),
        (((2, 3), (2, 0), (2, 1)), 1),
        (((0, 2), (0, 3)), 1),
        (((2, 3),), 0),
        (((2, 3), (4, 3)), -2),
    ],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestConcat(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.shapes, self.axis = self.shapes_axis

    def generate_inputs(self):
        return tuple(numpy.random.uniform(-1, 1, s).astype(self.dtype)
                     for s in self.shapes)

    def forward(self, inputs, device):
        return F.concat(inputs, axis=self.axis),

    def forward_expected(self, inputs):
        return _reference_concat(inputs, self.axis),


def test_concat_default_axis_is_1_and_lists_work():
    a = numpy.zeros((2, 1), numpy.float32)
    b = numpy.ones((2, 2), numpy.float32)
    y = F.concat([a, Variable(b)])
    assert y.shape == (2, 3)
    numpy.testing.assert_array_equal(y.array, [[0, 1, 1], [0, 1, 1]])


def test_concat_gradient_of_each_input():
    a = Variable(numpy.zeros((2, 1)))
    b = Variable(numpy.zeros((2, 2)))
    y = F.concat((a, b))
    y.grad = numpy.arange(6.0).reshape(2, 3)
    y.backward()
    numpy.testing.assert_array_equal(a.grad, [[0], [3]])
    numpy.testing.assert_array_equal(b.grad, [[1, 2], [4, 5]])


def _message(info):
    return str(info.value)


def test_concat_shape_mismatch():
    with pytest.raises(type_check.InvalidType) as info:
        F.concat((numpy.zeros((2, 3), 'f'), numpy.zeros((3, 3), 'f')), 1)
    message = _message(info)
    assert 'Concat' in message and 'Expect' in message
    assert '(3, 3)' in message and '(2, 3)' in message


def test_concat_dtype_mismatch():
    with pytest.raises(type_check.InvalidType) as info:
        F.concat((numpy.zeros((2, 3), 'f'), numpy.zeros((2, 3), 'd')))
    message = _message(info)
    assert 'Concat' in message and 'float64' in message
    assert 'float32' in message


def test_concat_ndim_mismatch():
    with pytest.raises(type_check.InvalidType) as info:
        F.concat((numpy.zeros((2, 3), 'f'), numpy.zeros((2, 3, 1), 'f')))
    assert 'Concat' in _message(info) and 'ndim' in _message(info)


@pytest.mark.parametrize('axis', [2, -3])
def test_concat_axis_out_of_range(axis):
    with pytest.raises(type_check.InvalidType) as info:
        F.concat((numpy.zeros((2, 3), 'f'),) * 2, axis)
    message = _message(info)
    assert 'Concat' in message and 'axis == {}'.format(axis) in message
    assert '-2 <= axis < 2' in message


def test_concat_of_nothing_or_scalars():
    with pytest.raises(type_check.InvalidType, match='Concat'):
        F.concat(())
    with pytest.raises(type_check.InvalidType, match='ndim >= 1'):
        F.concat((numpy.zeros((), 'f'), numpy.zeros((), 'f')), 0)


def test_concat_axis_of_wrong_type():
    with pytest.raises(TypeError, match='Concat.*axis'):
        F.concat((numpy.zeros(2, 'f'),), 0.0)
