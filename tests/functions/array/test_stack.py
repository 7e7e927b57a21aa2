"""Tests of F.stack, F.hstack, F.vstack and F.dstack."""
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


def _inputs(shapes, dtype):
    return tuple(numpy.random.uniform(-1, 1, s).astype(dtype)
                 for s in shapes)


@testing.parameterize(*testing.product({
    'case': [((2, 3), 0, 3), ((2, 3), 1, 2), ((2, 3), 2, 3), ((2, 3), -1, 1),
             ((2, 3), -3, 2), ((), 0, 3), ((0, 3), 1, 2), ((4,), -2, 1)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestStack(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.shape, self.axis, self.n = self.case

    def generate_inputs(self):
        return _inputs([self.shape] * self.n, self.dtype)

    def forward(self, inputs, device):
        return F.stack(inputs, axis=self.axis),

    def forward_expected(self, inputs):
        ndim = len(self.shape) + 1
        axis = self.axis % ndim
        out_shape = self.shape[:axis] + (self.n,) + self.shape[axis:]
        y = numpy.empty(out_shape, self.dtype)
        for i, x in enumerate(inputs):
            for index in numpy.ndindex(*x.shape):
                y[index[:axis] + (i,) + index[axis:]] = x[index]
        return y,


# numpy.hstack/vstack/dstack define these functions (Chainer documents
# them so); the implementation does not call them.
@testing.parameterize(*testing.product({
    'case': [
        ('hstack', [(), (), ()]),
        ('hstack', [(3,), (1,), (0,)]),
        ('hstack', [(2, 3), (2, 1)]),
        ('hstack', [(2, 3, 4), (2, 1, 4)]),
        ('hstack', [(0, 3), (0, 2)]),
        ('vstack', [(), ()]),
        ('vstack', [(3,), (3,), (3,)]),
        ('vstack', [(2, 3), (1, 3)]),
        ('vstack', [(2, 3, 4), (1, 3, 4)]),
        ('vstack', [(0, 3), (2, 3)]),
        ('dstack', [(), ()]),
        ('dstack', [(3,), (3,)]),
        ('dstack', [(2, 3), (2, 3), (2, 3)]),
        ('dstack', [(2, 3, 4), (2, 3, 1)]),
        ('dstack', [(0, 3, 2), (0, 3, 1)]),
        ('hstack', [(2, 3)]),
    ],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestHVDStack(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.name, self.shapes = self.case

    def generate_inputs(self):
        return _inputs(self.shapes, self.dtype)

    def forward(self, inputs, device):
        return getattr(F, self.name)(inputs),

    def forward_expected(self, inputs):
        return getattr(numpy, self.name)(inputs),


def test_stack_gradient_is_separated():
    a = Variable(numpy.zeros(2))
    b = Variable(numpy.zeros(2))
    y = F.stack([a, b], axis=1)
    y.grad = numpy.array([[1.0, 2.0], [3.0, 4.0]])
    y.backward()
    numpy.testing.assert_array_equal(a.grad, [1, 3])
    numpy.testing.assert_array_equal(b.grad, [2, 4])


def test_stack_shape_mismatch():
    with pytest.raises(type_check.InvalidType) as info:
        F.stack((numpy.zeros((2, 3), 'f'), numpy.zeros((2, 4), 'f')))
    message = str(info.value)
    assert 'Stack' in message and '(2, 4)' in message and '(2, 3)' in message


@pytest.mark.parametrize('axis', [3, -4])
def test_stack_axis_out_of_range(axis):
    with pytest.raises(type_check.InvalidType) as info:
        F.stack((numpy.zeros((2, 3), 'f'),), axis)
    message = str(info.value)
    assert 'Stack' in message and '-3 <= axis < 3' in message
    assert 'axis == {}'.format(axis) in message


@pytest.mark.parametrize('name,shapes', [
    ('hstack', [(2, 3), (3, 3)]),
    ('vstack', [(3,), (4,)]),
    ('vstack', [(2, 3), (2, 4)]),
    ('dstack', [(2, 3), (2, 4)]),
    ('hstack', [(2,), (2, 1)]),
])
def test_hvdstack_incompatible_shapes(name, shapes):
    xs = [numpy.zeros(s, 'f') for s in shapes]
    with pytest.raises(type_check.InvalidType) as info:
        getattr(F, name)(xs)
    message = str(info.value)
    assert name.capitalize() in message and 'Expect' in message


@pytest.mark.parametrize('name', ['stack', 'hstack', 'vstack', 'dstack'])
def test_joins_need_inputs_of_one_dtype(name):
    xs = [numpy.zeros(3, 'f'), numpy.zeros(3, 'd')]
    with pytest.raises(type_check.InvalidType) as info:
        getattr(F, name)(xs)
    assert 'float64' in str(info.value)
    with pytest.raises(type_check.InvalidType, match='at least one'):
        getattr(F, name)([])
