import itertools

import numpy
import pytest

import dynet.functions as F
from dynet import Variable, testing
from dynet.utils import type_check
from dynet.utils.conv import get_conv_outsize


def _pool_reference(x, ksize, stride, pad, cover_all, reduce):
    """Loops over output positions; ``reduce(values, n_padded)``."""
    nd = x.ndim - 2
    out = tuple(get_conv_outsize(n, ksize, stride, pad, cover_all)
                for n in x.shape[2:])
    y = numpy.zeros(x.shape[:2] + out)
    for index in numpy.ndindex(*y.shape):
        values, padded = [], 0
        for offs in itertools.product(range(ksize), repeat=nd):
            pos = tuple(index[2 + a] * stride + offs[a] - pad
                        for a in range(nd))
            if all(0 <= p < n for p, n in zip(pos, x.shape[2:])):
                values.append(float(x[index[:2] + pos]))
            else:
                padded += 1
        y[index] = reduce(values, padded)
    return y


def _distinct(shape, dtype):
    """Values far apart (no ties), so max pooling is differentiable."""
    x = numpy.random.permutation(int(numpy.prod(shape))).reshape(shape)
    return (x * 0.5 / x.size).astype(dtype)


_TOL = {numpy.float16: {'atol': 1e-2, 'rtol': 1e-2},
        numpy.float32: {'atol': 1e-4, 'rtol': 1e-4},
        numpy.float64: {'atol': 1e-7, 'rtol': 1e-7}}


@testing.parameterize(*testing.product({
    'shape': [(2, 3, 7, 6), (1, 2, 5), (1, 1, 4, 3, 4)],
    'window': [(2, 2, 0), (3, 2, 1), (2, 1, 0)],
    'cover_all': [True, False],
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestMaxPoolingND(testing.FunctionTestCase):

    def setUp(self):
        self.ksize, self.stride, self.pad = self.window
        self.check_backward_options = _TOL[self.dtype]
        self.check_double_backward_options = _TOL[self.dtype]
        if self.dtype == numpy.float16:
            self.check_backward_options = {'atol': 5e-2, 'rtol': 5e-2,
                                           'eps': 1e-4}
            self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return _distinct(self.shape, self.dtype),

    def forward(self, inputs, device):
        return F.max_pooling_nd(inputs[0], self.ksize, self.stride,
                                self.pad, self.cover_all),

    def forward_expected(self, inputs):
        y = _pool_reference(inputs[0], self.ksize, self.stride, self.pad,
                            self.cover_all, lambda v, padded: max(v))
        return y.astype(self.dtype),


@testing.parameterize(*testing.product({
    'shape': [(2, 3, 7, 6), (1, 2, 5)],
    'window': [(2, 2, 0), (3, 2, 1), (2, 1, 1)],
    'pad_value': [0, None],
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestAveragePoolingND(testing.FunctionTestCase):

    def setUp(self):
        self.ksize, self.stride, self.pad = self.window
        tol = _TOL[self.dtype]
        self.check_forward_options = tol
        self.check_backward_options = tol
        self.check_double_backward_options = tol

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.average_pooling_nd(inputs[0], self.ksize, self.stride,
                                    self.pad, self.pad_value),

    def forward_expected(self, inputs):
        if self.pad_value == 0:
            def reduce(values, padded):
                return sum(values) / (len(values) + padded)
        else:
            def reduce(values, padded):
                return sum(values) / len(values)
        y = _pool_reference(inputs[0], self.ksize, self.stride, self.pad,
                            False, reduce)
        return y.astype(self.dtype),


def test_max_pooling_2d_defaults_and_indices():
    x = numpy.arange(16, dtype=numpy.float32).reshape(1, 1, 4, 4)
    y = F.max_pooling_2d(x, 3, 2)  # cover_all=True by default: 2x2 output
    numpy.testing.assert_array_equal(y.array, [[[[10, 11], [14, 15]]]])
    y, indices = F.max_pooling_2d(x, 2, return_indices=True)
    numpy.testing.assert_array_equal(indices, numpy.full((1, 1, 2, 2), 3))


@pytest.mark.parametrize('window', [(2, 2, 0), (3, 2, 1), (2, 1, 0)])
def test_max_pooling_ties_and_nan_take_the_first(window):
    """Chainer takes the argmax of each window: the first maximum wins a
    tie (common after ReLU) and the first NaN wins over numbers; the
    gradient goes to that element only."""
    ksize, stride, pad = window
    rng = numpy.random.RandomState(0)
    x = rng.randint(0, 3, (2, 2, 5, 6)).astype(numpy.float32)
    x[0, 0, 1, 1] = numpy.nan
    x[1, 1, 2, 3:5] = numpy.nan
    v = Variable(x)
    y, indices = F.max_pooling_2d(v, ksize, stride, pad, return_indices=True)
    gy = numpy.arange(y.size, dtype=numpy.float32).reshape(y.shape) + 1
    y.grad = gy
    y.backward()
    gx = numpy.zeros_like(x)
    for index in numpy.ndindex(*y.shape):
        values, places = [], []
        for offs in itertools.product(range(ksize), repeat=2):
            pos = tuple(index[2 + a] * stride + offs[a] - pad
                        for a in range(2))
            inside = all(0 <= p < n for p, n in zip(pos, x.shape[2:]))
            values.append(x[index[:2] + pos] if inside else -numpy.inf)
            places.append(index[:2] + pos if inside else None)
        first = int(numpy.argmax(values))  # first max, or first NaN
        assert indices[index] == first, index
        numpy.testing.assert_array_equal(y.array[index], values[first])
        gx[places[first]] += gy[index]
    numpy.testing.assert_array_equal(v.grad, gx)


@pytest.mark.parametrize('window', [(2, 2, 0), (3, 2, 1)])
def test_max_pooling_gradient_keeps_non_finite_values_in_place(window):
    """An inf or NaN output gradient goes to the chosen element only; the
    other elements of the window get exactly 0."""
    ksize, stride, pad = window
    x = _distinct((1, 1, 4, 4), numpy.float32)
    v = Variable(x)
    y = F.max_pooling_2d(v, ksize, stride, pad)
    gy = numpy.ones(y.shape, numpy.float32)
    gy[0, 0, 0, 0] = numpy.inf
    gy[0, 0, -1, -1] = numpy.nan
    y.grad = gy
    y.backward()
    expected = numpy.zeros_like(x)
    _, indexes = F.max_pooling_2d(x, ksize, stride, pad, return_indices=True)
    for index in numpy.ndindex(*y.shape):
        k = divmod(int(indexes[index]), ksize)
        pos = tuple(index[2 + a] * stride + k[a] - pad for a in range(2))
        expected[index[:2] + pos] += gy[index]
    numpy.testing.assert_array_equal(v.grad, expected)


def test_average_pooling_2d_counts_padding():
    y = F.average_pooling_2d(numpy.ones((1, 1, 2, 2), numpy.float32), 2, 1,
                             1)
    numpy.testing.assert_array_equal(
        y.array[0, 0], [[.25, .5, .25], [.5, 1, .5], [.25, .5, .25]])


def test_pooling_errors():
    x = numpy.zeros((1, 1, 4, 4), numpy.float32)
    with pytest.raises(type_check.InvalidType, match='dtype.kind == f'):
        F.max_pooling_2d(x.astype(numpy.int32), 2)
    with pytest.raises(ValueError, match='max_pooling_2d: x must have 4'):
        F.max_pooling_2d(x[0], 2)
    with pytest.raises(ValueError, match='ksize and stride must be '
                                         'positive'):
        F.max_pooling_2d(x, 0)
    with pytest.raises(type_check.InvalidType, match='non-empty output'):
        F.average_pooling_2d(x, 5)
    with pytest.raises(ValueError, match='pad_value must be 0 or None'):
        F.average_pooling_nd(x, 2, pad_value=1)
