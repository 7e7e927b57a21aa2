"""Tests of F.depth2space and F.space2depth."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
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


def _reference_depth2space(x, r):
    b, c, h, w = x.shape
    c //= r * r
    y = numpy.empty((b, c, h * r, w * r), x.dtype)
    for n, k, p, q in numpy.ndindex(*y.shape):
        i, j = p % r, q % r
        y[n, k, p, q] = x[n, (i * r + j) * c + k, p // r, q // r]
    return y


def _reference_space2depth(x, r):
    b, c, h, w = x.shape
    y = numpy.empty((b, c * r * r, h // r, w // r), x.dtype)
    for n, k, p, q in numpy.ndindex(*x.shape):
        i, j = p % r, q % r
        y[n, (i * r + j) * c + k, p // r, q // r] = x[n, k, p, q]
    return y


@testing.parameterize(*testing.product({
    'shape_r': [((2, 8, 2, 3), 2), ((1, 9, 1, 2), 3), ((2, 3, 2, 2), 1),
                ((0, 4, 2, 1), 2), ((1, 12, 2, 2), 2)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestDepth2Space(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.shape, self.r = self.shape_r

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.depth2space(inputs[0], self.r),

    def forward_expected(self, inputs):
        return _reference_depth2space(inputs[0], self.r),


@testing.parameterize(*testing.product({
    'shape_r': [((2, 2, 4, 6), 2), ((1, 1, 3, 6), 3), ((2, 3, 2, 2), 1),
                ((0, 1, 2, 4), 2), ((1, 3, 2, 4), 2)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestSpace2Depth(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.shape, self.r = self.shape_r

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.space2depth(inputs[0], self.r),

    def forward_expected(self, inputs):
        return _reference_space2depth(inputs[0], self.r),


def test_depth2space_documented_example():
    # The example of Chainer's documentation.
    x = numpy.arange(24).reshape(1, 4, 2, 3).astype(numpy.float32)
    y = F.depth2space(x, 2)
    assert y.shape == (1, 1, 4, 6)
    numpy.testing.assert_array_equal(y.array[0, 0], [
        [0, 6, 1, 7, 2, 8], [12, 18, 13, 19, 14, 20],
        [3, 9, 4, 10, 5, 11], [15, 21, 16, 22, 17, 23]])


def test_space2depth_documented_example():
    x = numpy.arange(24).reshape(1, 1, 4, 6).astype(numpy.float32)
    y = F.space2depth(x, 2)
    assert y.shape == (1, 4, 2, 3)
    numpy.testing.assert_array_equal(y.array[0], [
        [[0, 2, 4], [12, 14, 16]], [[1, 3, 5], [13, 15, 17]],
        [[6, 8, 10], [18, 20, 22]], [[7, 9, 11], [19, 21, 23]]])


def test_depth2space_and_space2depth_are_inverse():
    x = numpy.random.uniform(-1, 1, (2, 18, 2, 3)).astype(numpy.float32)
    y = F.space2depth(F.depth2space(x, 3), 3)
    numpy.testing.assert_array_equal(y.array, x)


@pytest.mark.parametrize('func,shape,expect', [
    (F.depth2space, (1, 6, 2, 2), 'X.shape[1] % (r * r) == 0'),
    (F.depth2space, (4, 2, 2), 'X.ndim == 4'),
    (F.space2depth, (1, 1, 3, 4), 'X.shape[2] % r == 0'),
    (F.space2depth, (1, 1, 4, 5), 'X.shape[3] % r == 0'),
])
def test_bad_shapes(func, shape, expect):
    with pytest.raises(type_check.InvalidType) as info:
        func(numpy.zeros(shape, numpy.float32), 2)
    message = str(info.value)
    assert expect in message and 'Actual' in message
    assert ('Depth2Space' if func is F.depth2space else 'Space2Depth') \
        in message


@pytest.mark.parametrize('func', [F.depth2space, F.space2depth])
def test_bad_r_and_dtype(func):
    x = numpy.zeros((1, 4, 2, 2), numpy.float32)
    with pytest.raises(ValueError, match='r must be a positive'):
        func(x, 0)
    with pytest.raises(TypeError, match='r must be an int'):
        func(x, 2.0)
    with pytest.raises(type_check.InvalidType, match='int32'):
        func(x.astype(numpy.int32), 2)
