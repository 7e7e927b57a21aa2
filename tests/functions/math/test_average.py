"""Tests of F.average and F.mean."""
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
        test.check_forward_options = {'atol': 2e-3, 'rtol': 2e-3}
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


def _axes_of(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        return (axis % ndim,)
    return tuple(a % ndim for a in axis)


def _weighted_average_loops(x, w, axis, keepdims):
    """sum(x * w) / sum(w) per group by explicit loops (float64); ``w`` has
    x's shape (already broadcast), or is None for weight 1."""
    x = x.astype(numpy.float64)
    w = numpy.ones_like(x) if w is None else w.astype(numpy.float64)
    axes = _axes_of(axis, x.ndim)
    out_shape = tuple(1 if i in axes else n for i, n in enumerate(x.shape))
    num = numpy.zeros(out_shape)
    den = numpy.zeros(out_shape)
    for index in numpy.ndindex(*x.shape):
        target = tuple(0 if i in axes else j for i, j in enumerate(index))
        num[target] += x[index] * w[index]
        den[target] += w[index]
    if den.size and (den == 0).any():
        raise AssertionError('test bug: zero total weight')
    y = num / den
    if not keepdims:
        y = y.reshape(tuple(n for i, n in enumerate(x.shape)
                            if i not in axes))
    return y


@testing.parameterize(*testing.product({
    'shape_axis': [((3, 4), None), ((3, 4), 0), ((3, 4), -1),
                   ((2, 3, 4), (0, 2)), ((2, 3, 4), (2, 1, 0)),
                   ((2, 3, 4), 1), ((), None), ((0, 3), 1)],
    'keepdims': [False, True],
    'dtype': _FLOATS,
    'function': ['average', 'mean'],
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestAverage(testing.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.shape, self.axis = self.shape_axis

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return getattr(F, self.function)(
            inputs[0], axis=self.axis, keepdims=self.keepdims),

    def forward_expected(self, inputs):
        return _weighted_average_loops(
            inputs[0], None, self.axis, self.keepdims).astype(self.dtype),


@testing.parameterize(*testing.product({
    'shape_axis': [((3, 4), None), ((3, 4), 0), ((3, 4), 1), ((3, 4), -1),
                   ((2, 3, 4), (1,)), ((2, 3, 4), -2), ((5,), 0),
                   ((0, 3), 1)],
    'keepdims': [False, True],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestWeightedAverage(testing.FunctionTestCase):
    """Both x and the weights receive gradients."""

    def setUp(self):
        _tolerances(self, self.dtype)
        self.shape, self.axis = self.shape_axis
        if self.axis is None:
            self.w_shape = self.shape
        else:
            axis = self.axis[0] if isinstance(self.axis, tuple) else \
                self.axis
            self.w_shape = (self.shape[axis],)

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        # Positive weights keep sum(w) away from zero.
        w = numpy.random.uniform(0.5, 1.5, self.w_shape).astype(self.dtype)
        return x, w

    def forward(self, inputs, device):
        x, w = inputs
        return F.average(x, axis=self.axis, weights=w,
                         keepdims=self.keepdims),

    def forward_expected(self, inputs):
        x, w = inputs
        if self.axis is not None:
            axis = _axes_of(self.axis, x.ndim)[0]
            w = numpy.moveaxis(numpy.broadcast_to(
                w, x.shape[:axis] + x.shape[axis + 1:] + w.shape), -1, axis)
        return _weighted_average_loops(
            x, w, self.axis, self.keepdims).astype(self.dtype),


def test_weights_use_the_total_weight():
    x = numpy.array([[1., 2.], [3., 4.]])
    w = numpy.array([1., 3.])
    y = F.average(x, axis=1, weights=w)
    numpy.testing.assert_allclose(y.array, [7 / 4, 15 / 4])
    y = F.average(x, axis=0, weights=w)
    numpy.testing.assert_allclose(y.array, [10 / 4, 14 / 4])


def test_mean_of_nothing_is_nan():
    y = F.average(numpy.zeros((3, 0), numpy.float32), axis=1)
    assert y.shape == (3,) and numpy.isnan(y.array).all()


def test_average_accumulates_float16_accurately():
    x = numpy.full(4096, 0.1, numpy.float16)
    y = F.average(x)
    assert y.dtype == numpy.float16
    assert abs(float(y.array) - 0.1) < 1e-3


def test_weights_shape_must_match_x_when_axis_is_none():
    x = numpy.zeros((3, 4), numpy.float32)
    w = numpy.ones((4,), numpy.float32)
    with pytest.raises(type_check.InvalidType) as info:
        F.average(x, weights=w)
    message = str(info.value)
    assert 'average' in message and '(4,)' in message and '(3, 4)' in message


def test_weights_length_must_match_the_axis():
    x = numpy.zeros((3, 4), numpy.float32)
    w = numpy.ones((3,), numpy.float32)
    with pytest.raises(type_check.InvalidType) as info:
        F.average(x, axis=1, weights=w)
    message = str(info.value)
    assert 'average' in message and '(4,)' in message and '(3,)' in message


def test_weights_with_several_axes_is_an_error():
    x = numpy.zeros((2, 3, 4), numpy.float32)
    with pytest.raises(ValueError, match='average.*single axis'):
        F.average(x, axis=(0, 1), weights=numpy.ones(3, numpy.float32))


def test_average_rejects_integers():
    with pytest.raises(type_check.InvalidType, match='Mean'):
        F.average(numpy.arange(4, dtype=numpy.int32))


@pytest.mark.parametrize('axis', [2, (0, -3)])
def test_average_axis_out_of_range(axis):
    with pytest.raises(type_check.InvalidType, match='ndim == 2'):
        F.average(numpy.zeros((2, 3), numpy.float32), axis=axis)


def test_average_duplicate_axis():
    with pytest.raises(ValueError, match='duplicate'):
        F.mean(numpy.zeros((2, 3), numpy.float32), axis=(0, -2))


def test_weight_gradient_value():
    x = numpy.array([1., 2., 4.])
    w = Variable(numpy.array([1., 1., 2.]))
    y = F.average(x, weights=w)
    y.backward()
    # d/dw_i sum(x w)/sum(w) = (x_i - y) / sum(w)
    numpy.testing.assert_allclose(w.grad, (x - 11 / 4) / 4)
