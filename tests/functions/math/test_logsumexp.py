"""Tests of F.logsumexp."""
import math

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
        test.check_forward_options = {'atol': 3e-3, 'rtol': 3e-3}
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


def _logsumexp_loops(x, axis):
    """Groups the reduced elements and applies math.fsum to the shifted
    exponentials (float64)."""
    axes = _axes_of(axis, x.ndim)
    groups = {}
    for index in numpy.ndindex(*x.shape):
        target = tuple(j for i, j in enumerate(index) if i not in axes)
        groups.setdefault(target, []).append(float(x[index]))
    out_shape = tuple(n for i, n in enumerate(x.shape) if i not in axes)
    y = numpy.empty(out_shape)
    for target in numpy.ndindex(*out_shape):
        values = groups[target]
        top = max(values)
        y[target] = top + math.log(math.fsum(math.exp(v - top)
                                             for v in values))
    return y


@testing.parameterize(*testing.product({
    'shape_axis': [((3, 4), None), ((3, 4), 0), ((3, 4), -1),
                   ((2, 3, 4), (0, 2)), ((2, 3, 4), 1), ((), None),
                   ((5,), 0), ((0, 3), 1)],
    'scale': [1, 1e4],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestLogSumExp(testing.FunctionTestCase):
    """``scale=1e4`` gives inputs around +-1e4 (exp overflows without the
    shift); they are spread by ~1, so exp(x - y) is not all 0/1."""

    def setUp(self):
        _tolerances(self, self.dtype)
        self.shape, self.axis = self.shape_axis
        if self.scale != 1:
            if self.dtype == numpy.float16:
                # float16 spacing near 1e4 is 8: relative tolerance. The
                # inputs are then 8 apart, so the gradient is checked too.
                self.check_forward_options = {'atol': 0, 'rtol': 2e-3}
            elif self.dtype == numpy.float32:
                self.check_forward_options = {'atol': 2e-3, 'rtol': 1e-6}
                self.check_backward_options = {
                    'eps': 1e-2, 'atol': 5e-3, 'rtol': 5e-3}
                self.check_double_backward_options = \
                    self.check_backward_options
            else:
                # f ~ 1e4: a larger step keeps the finite difference's
                # cancellation error small.
                self.check_forward_options = {'atol': 1e-9, 'rtol': 1e-12}
                self.check_backward_options = {
                    'eps': 1e-3, 'atol': 1e-7, 'rtol': 1e-6}
                self.check_double_backward_options = \
                    self.check_backward_options

    def generate_inputs(self):
        offset = numpy.random.choice([-1, 1]) * self.scale \
            if self.scale != 1 else 0
        x = offset + numpy.random.uniform(-1, 1, self.shape)
        return numpy.asarray(x, self.dtype),

    def forward(self, inputs, device):
        return F.logsumexp(inputs[0], axis=self.axis),

    def forward_expected(self, inputs):
        return _logsumexp_loops(inputs[0], self.axis).astype(self.dtype),


@pytest.mark.parametrize('dtype', _FLOATS)
def test_large_values_are_finite(dtype):
    x = numpy.array([[1e4, 1e4], [-1e4, -1e4]], dtype)
    y = F.logsumexp(x, axis=1)
    expected = numpy.array([1e4, -1e4]) + math.log(2)
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), expected,
                                  rtol=1e-3)
    v = Variable(x)
    F.sum(F.logsumexp(v, axis=1)).backward()
    numpy.testing.assert_allclose(v.grad, numpy.full((2, 2), 0.5))


def test_all_minus_infinity_gives_minus_infinity():
    x = numpy.array([[-numpy.inf, -numpy.inf], [0., -numpy.inf]])
    y = F.logsumexp(x, axis=1)
    assert y.array[0] == -numpy.inf and y.array[1] == 0.0


def test_plus_infinity_gives_plus_infinity():
    y = F.logsumexp(numpy.array([1., numpy.inf], numpy.float32))
    assert y.array == numpy.inf


def test_empty_reduction_is_log_zero():
    y = F.logsumexp(numpy.zeros((2, 0), numpy.float32), axis=1)
    assert y.shape == (2,) and (y.array == -numpy.inf).all()


def test_gradient_is_softmax():
    x = numpy.array([[0., 1., 2.], [3., 3., 3.]])
    v = Variable(x)
    y = F.logsumexp(v, axis=1)
    y.grad = numpy.array([1., 2.])
    y.backward()
    e = numpy.exp(x)
    expected = e / e.sum(axis=1, keepdims=True) * [[1.], [2.]]
    numpy.testing.assert_allclose(v.grad, expected, rtol=1e-12)


def test_logsumexp_rejects_integers():
    with pytest.raises(type_check.InvalidType) as info:
        F.logsumexp(numpy.arange(3, dtype=numpy.int32))
    assert 'LogSumExp' in str(info.value) and 'int32' in str(info.value)


def test_logsumexp_axis_out_of_range():
    with pytest.raises(type_check.InvalidType, match='LogSumExp'):
        F.logsumexp(numpy.zeros((2, 3), numpy.float32), axis=(0, 2))


def test_logsumexp_duplicate_axis():
    with pytest.raises(ValueError, match='duplicate'):
        F.logsumexp(numpy.zeros((2, 3), numpy.float32), axis=(0, -2))
