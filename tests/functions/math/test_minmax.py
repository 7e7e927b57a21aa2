"""Tests of F.max, F.min, F.argmax and F.argmin."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _tolerances(test, dtype):
    # max/min only select elements: forward is exact in every dtype.
    test.check_forward_options = {'atol': 0, 'rtol': 0}
    if dtype == numpy.float16:
        test.check_backward_options = {'eps': 1e-3, 'atol': 5e-3,
                                       'rtol': 5e-3}
    else:
        test.check_backward_options = {'eps': 1e-3, 'atol': 1e-7,
                                       'rtol': 1e-7}
    test.check_double_backward_options = test.check_backward_options


def _distinct(shape, dtype):
    """Values at least 0.03 apart (exact in float16): no ties, and the
    finite-difference step never reorders them."""
    size = int(numpy.prod(shape))
    values = (numpy.random.permutation(size) - size / 2.0) / 32.0
    return values.reshape(shape).astype(dtype)


def _axes_of(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        return (axis % ndim,)
    return tuple(a % ndim for a in axis)


def _reduce_loops(x, axis, keepdims, pick):
    """Applies ``pick`` (Python's max or min) to the list of elements of
    each reduced group, by explicit loops."""
    axes = _axes_of(axis, x.ndim)
    out_shape = tuple(1 if i in axes else n for i, n in enumerate(x.shape))
    groups = {}
    for index in numpy.ndindex(*x.shape):
        target = tuple(0 if i in axes else j for i, j in enumerate(index))
        groups.setdefault(target, []).append(float(x[index]))
    y = numpy.empty(out_shape)
    for target in numpy.ndindex(*out_shape):
        y[target] = pick(groups[target])
    if not keepdims:
        y = y.reshape(tuple(n for i, n in enumerate(x.shape)
                            if i not in axes))
    return y


_SHAPE_AXIS = [((3, 4), None), ((3, 4), 0), ((3, 4), -1), ((2, 3, 4), 1),
               ((2, 3, 4), (0, 2)), ((2, 3, 4), (-1, 0, 1)),
               ((2, 3, 4), ()), ((), None), ((5,), 0), ((0, 3), 1)]


@testing.parameterize(*testing.product({
    'shape_axis': _SHAPE_AXIS,
    'keepdims': [False, True],
    'dtype': _FLOATS,
    'function': ['max', 'min'],
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestMaxMin(testing.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.shape, self.axis = self.shape_axis

    def generate_inputs(self):
        return _distinct(self.shape, self.dtype),

    def forward(self, inputs, device):
        f = getattr(F, self.function)
        return f(inputs[0], axis=self.axis, keepdims=self.keepdims),

    def forward_expected(self, inputs):
        pick = max if self.function == 'max' else min
        return _reduce_loops(inputs[0], self.axis, self.keepdims,
                             pick).astype(self.dtype),


@pytest.mark.parametrize('function,expected', [
    ('max', [[0, 1, 1, 0], [1, 0, 0, 0]]),
    ('min', [[1, 0, 0, 1], [0, 1, 1, 1]])])
def test_ties_each_receive_the_whole_gradient(function, expected):
    # Chainer sends gy to every element equal to the result.
    x = Variable(numpy.array([[1., 3., 3., 1.], [2., 0., 0., 0.]]))
    y = getattr(F, function)(x, axis=1)
    y.grad = numpy.array([1.0, 1.0])
    y.backward()
    numpy.testing.assert_array_equal(x.grad, expected)


def test_max_all_ties_scalar_output():
    x = Variable(numpy.full((2, 2), 5.0, numpy.float32))
    y = F.max(x)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, numpy.ones((2, 2)))


def test_max_output_is_array_of_input_dtype():
    x = numpy.arange(6, dtype=numpy.float16).reshape(2, 3)
    y = F.max(x)
    assert y.shape == () and y.dtype == numpy.float16
    assert isinstance(y.array, numpy.ndarray) and float(y.array) == 5


@testing.parameterize(*testing.product({
    'shape_axis': [((3, 4), None), ((3, 4), 0), ((3, 4), 1), ((3, 4), -1),
                   ((2, 3, 4), 1), ((5,), None), ((), None), ((0, 3), 1)],
    'dtype': _FLOATS,
    'function': ['argmax', 'argmin'],
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestArgMaxArgMin(testing.FunctionTestCase):

    skip_backward_test = True  # no gradient: see test_argmax_has_no_grad
    skip_double_backward_test = True
    check_forward_options = {'atol': 0, 'rtol': 0}

    def setUp(self):
        self.shape, self.axis = self.shape_axis

    def generate_inputs(self):
        return _distinct(self.shape, self.dtype),

    def forward(self, inputs, device):
        return getattr(F, self.function)(inputs[0], axis=self.axis),

    def forward_expected(self, inputs):
        x = inputs[0]
        better = (lambda a, b: a > b) if self.function == 'argmax' else \
            (lambda a, b: a < b)
        if self.axis is None:
            flat = x.reshape(-1)
            best = 0
            for i in range(flat.size):
                if better(flat[i], flat[best]):
                    best = i
            return numpy.array(best, numpy.int32),
        axis = self.axis % x.ndim
        moved = numpy.moveaxis(x, axis, -1)
        y = numpy.zeros(moved.shape[:-1], numpy.int32)
        for index in numpy.ndindex(*y.shape):
            row = moved[index]
            best = 0
            for i in range(row.size):
                if better(row[i], row[best]):
                    best = i
            y[index] = best
        return y,


def test_argmax_ties_take_the_first():
    x = numpy.array([[1., 3., 3.], [0., 0., -1.]], numpy.float32)
    numpy.testing.assert_array_equal(F.argmax(x, axis=1).array, [1, 0])
    numpy.testing.assert_array_equal(F.argmin(x, axis=1).array, [0, 2])


def test_argmax_has_no_grad():
    x = Variable(numpy.array([[1., 3.], [4., 2.]], numpy.float32))
    y = F.argmax(x, axis=0)
    assert y.dtype == numpy.int32
    loss = F.sum(x * 2.0)
    loss.backward()
    numpy.testing.assert_array_equal(x.grad, numpy.full((2, 2), 2.0))


@pytest.mark.parametrize('function', ['max', 'min', 'argmax', 'argmin'])
def test_integer_input_is_rejected(function):
    x = numpy.arange(6, dtype=numpy.int32).reshape(2, 3)
    with pytest.raises(type_check.InvalidType) as info:
        getattr(F, function)(x)
    message = str(info.value)
    assert 'Arg' in message or 'Max' in message or 'Min' in message
    assert 'float' in message.lower() and 'int32' in message


@pytest.mark.parametrize('function', ['max', 'min', 'argmax', 'argmin'])
@pytest.mark.parametrize('axis', [2, -3])
def test_axis_out_of_range(function, axis):
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(type_check.InvalidType) as info:
        getattr(F, function)(x, axis=axis)
    message = str(info.value)
    assert 'Expect' in message and 'Actual' in message
    assert 'ndim == 2' in message


@pytest.mark.parametrize('function', ['max', 'min'])
def test_duplicate_axis(function):
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(ValueError, match='duplicate'):
        getattr(F, function)(x, axis=(1, -1))


@pytest.mark.parametrize('function', ['argmax', 'argmin'])
@pytest.mark.parametrize('axis', [(0,), 1.0, 'a'])
def test_argmax_axis_must_be_int_or_none(function, axis):
    with pytest.raises(TypeError, match='Arg.*axis'):
        getattr(F, function)(numpy.zeros((2, 3), numpy.float32), axis=axis)


@pytest.mark.parametrize('function', ['max', 'argmin'])
def test_zero_size_reduction_is_an_error(function):
    x = numpy.zeros((0, 3), numpy.float32)
    with pytest.raises(ValueError, match='zero-size'):
        getattr(F, function)(x, axis=0)
