"""Tests of F.moveaxis, F.rollaxis and F.swapaxes."""
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


def _reference_permute(x, order):
    """``y`` with axis ``k`` equal to axis ``order[k]`` of ``x``."""
    y = numpy.empty(tuple(x.shape[a] for a in order), x.dtype)
    for index in numpy.ndindex(*x.shape):
        y[tuple(index[a] for a in order)] = x[index]
    return y


# Each case gives the permutation written out by hand.
@testing.parameterize(*testing.product({
    'case': [
        ('moveaxis', (2, 3, 4), (0, 2), (1, 2, 0)),
        ('moveaxis', (2, 3, 4), (-1, 0), (2, 0, 1)),
        ('moveaxis', (2, 3, 4), ((0, 1), (2, 0)), (1, 2, 0)),
        ('moveaxis', (2, 3, 4, 5), ((0, 3), (-1, 1)), (1, 3, 2, 0)),
        ('moveaxis', (0, 3), (0, 1), (1, 0)),
        ('rollaxis', (2, 3, 4), (2,), (2, 0, 1)),
        ('rollaxis', (2, 3, 4), (0, 2), (1, 0, 2)),
        ('rollaxis', (2, 3, 4), (0, 3), (1, 2, 0)),
        ('rollaxis', (2, 3, 4), (-1, -2), (0, 2, 1)),
        ('rollaxis', (2, 3, 4), (1, 1), (0, 1, 2)),
        ('swapaxes', (2, 3, 4), (0, 2), (2, 1, 0)),
        ('swapaxes', (2, 3), (-1, 0), (1, 0)),
        ('swapaxes', (2, 0), (0, 1), (1, 0)),
    ],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestAxes(function_link.FunctionTestCase):

    def setUp(self):
        self.name, self.shape, self.args, self.order = self.case
        self.check_forward_options = {'atol': 0, 'rtol': 0}
        if self.dtype == numpy.float16:
            self.check_backward_options = {'atol': 1e-3, 'rtol': 1e-3}
        else:
            self.check_backward_options = {'atol': 1e-6, 'rtol': 1e-6}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return getattr(F, self.name)(inputs[0], *self.args),

    def forward_expected(self, inputs):
        return _reference_permute(inputs[0], self.order),


@pytest.mark.parametrize('name,args', [
    ('moveaxis', (0, 1)), ('moveaxis', ((2, 0), (0, -1))),
    ('rollaxis', (2, 0)), ('rollaxis', (0, 3)), ('rollaxis', (-3, -3)),
    ('swapaxes', (1, -3))])
def test_axes_agree_with_numpy(name, args):
    x = numpy.arange(24.0).reshape(2, 3, 4)
    y = getattr(F, name)(x, *args)
    numpy.testing.assert_array_equal(y.array, getattr(numpy, name)(x, *args))


def test_moveaxis_gradient_is_moved_back():
    x = Variable(numpy.zeros((2, 3)))
    y = F.moveaxis(x, 0, 1)
    y.grad = numpy.arange(6.0).reshape(3, 2)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [[0, 2, 4], [1, 3, 5]])


@pytest.mark.parametrize('func,expect', [
    (lambda x: F.moveaxis(x, 3, 0), '-3 <= source < 3'),
    (lambda x: F.moveaxis(x, 0, -4), '-3 <= destination < 3'),
    (lambda x: F.rollaxis(x, 3), '-3 <= axis < 3'),
    (lambda x: F.rollaxis(x, 0, 4), '-3 <= start <= 3'),
    (lambda x: F.rollaxis(x, 0, -4), '-3 <= start <= 3'),
    (lambda x: F.swapaxes(x, 0, 3), '-3 <= axis2 < 3'),
])
def test_axes_out_of_range(func, expect):
    with pytest.raises(type_check.InvalidType) as info:
        func(numpy.zeros((2, 3, 4), numpy.float32))
    message = str(info.value)
    assert expect in message and 'Actual' in message


def test_moveaxis_bad_arguments():
    x = numpy.zeros((2, 3, 4), numpy.float32)
    with pytest.raises(ValueError, match='Moveaxis.*same number'):
        F.moveaxis(x, (0, 1), 0)
    with pytest.raises(ValueError, match='Moveaxis.*repeated'):
        F.moveaxis(x, (0, -3), (1, 2))
    with pytest.raises(TypeError, match='Moveaxis.*source'):
        F.moveaxis(x, 0.0, 1)
    with pytest.raises(TypeError, match='Swapaxes.*axis1'):
        F.swapaxes(x, None, 1)
    with pytest.raises(TypeError, match='Rollaxis.*start'):
        F.rollaxis(x, 0, '1')
