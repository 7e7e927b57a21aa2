"""Tests of F.dilated_convolution_2d."""
import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet.functions.connection import dilated_convolution_2d as _module
from dynet.utils import type_check


def _pair(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


def _out_size(size, k, s, p, d, cover_all):
    span = (k - 1) * d + 1
    if cover_all:
        return (size + 2 * p - span + s - 1) // s + 1
    return (size + 2 * p - span) // s + 1


def _reference(x, W, b, stride, pad, dilate, cover_all):
    """Plain loops: each output pixel sums its dilated window."""
    (sy, sx), (ph, pw), (dy, dx) = _pair(stride), _pair(pad), _pair(dilate)
    n, c, h, w = x.shape
    o, _, kh, kw = W.shape
    oh = _out_size(h, kh, sy, ph, dy, cover_all)
    ow = _out_size(w, kw, sx, pw, dx, cover_all)
    y = numpy.zeros((n, o, oh, ow))
    for i in range(oh):
        for j in range(ow):
            for p in range(kh):
                for q in range(kw):
                    r = i * sy + p * dy - ph
                    s = j * sx + q * dx - pw
                    if 0 <= r < h and 0 <= s < w:
                        # (n, c) x (o, c) -> (n, o)
                        y[:, :, i, j] += x[:, :, r, s].astype(
                            numpy.float64).dot(
                                W[:, :, p, q].astype(numpy.float64).T)
    if b is not None:
        y += b.astype(numpy.float64).reshape(1, -1, 1, 1)
    return y


_TOL = {
    numpy.float16: ({'atol': 5e-3, 'rtol': 5e-3},
                    {'atol': 3e-2, 'rtol': 3e-2}),
    numpy.float32: ({'atol': 1e-5, 'rtol': 1e-5},
                    {'atol': 1e-4, 'rtol': 1e-4}),
    numpy.float64: ({'atol': 1e-12, 'rtol': 1e-12},
                    {'atol': 1e-7, 'rtol': 1e-7}),
}


# (stride, pad, dilate, cover_all)
_PARAMS = [
    (1, 0, 2, False),
    (1, 2, 2, False),
    (2, 1, 2, False),
    ((1, 2), (2, 1), (2, 3), False),
    (2, 0, 2, True),
    (1, 1, 1, False),   # dilate=1 is an ordinary convolution
]


@testing.parameterize(*(testing.product({
    'params': _PARAMS,
    'nobias': [False, True],
    'dtype': [numpy.float32, numpy.float64],
}) + testing.product({
    'params': [(1, 1, 2, False)],
    'nobias': [False],
    'dtype': [numpy.float16],
})))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestDilatedConvolution2D(testing.FunctionTestCase):

    def setUp(self):
        self.stride, self.pad, self.dilate, self.cover_all = self.params
        forward, backward = _TOL[self.dtype]
        self.check_forward_options = forward
        self.check_backward_options = backward
        self.check_double_backward_options = backward

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, (2, 3, 6, 7))
        W = numpy.random.uniform(-1, 1, (2, 3, 2, 3))
        inputs = (x.astype(self.dtype), W.astype(self.dtype))
        if not self.nobias:
            b = numpy.random.uniform(-1, 1, 2)
            inputs += (b.astype(self.dtype),)
        return inputs

    def forward(self, inputs, device):
        return F.dilated_convolution_2d(
            *inputs, stride=self.stride, pad=self.pad, dilate=self.dilate,
            cover_all=self.cover_all),

    def forward_expected(self, inputs):
        x, W = inputs[:2]
        b = None if self.nobias else inputs[2]
        return _reference(x, W, b, self.stride, self.pad, self.dilate,
                          self.cover_all).astype(self.dtype),


def test_module_path_and_namespace():
    from dynet.functions.connection import _exports
    assert F.dilated_convolution_2d is _module.dilated_convolution_2d
    assert 'dilated_convolution_2d' in _exports.__all__


def test_positional_signature():
    """Chainer's order: (x, W, b, stride, pad, dilate, cover_all)."""
    x = numpy.random.uniform(-1, 1, (1, 1, 5, 5)).astype(numpy.float32)
    W = numpy.random.uniform(-1, 1, (1, 1, 2, 2)).astype(numpy.float32)
    y = F.dilated_convolution_2d(x, W, None, 1, 0, 2, False)
    assert y.shape == (1, 1, 3, 3)
    numpy.testing.assert_allclose(
        y.array, _reference(x, W, None, 1, 0, 2, False), rtol=1e-5,
        atol=1e-6)


def test_same_as_convolution_2d_with_dilate():
    x = numpy.random.uniform(-1, 1, (2, 3, 7, 6)).astype(numpy.float32)
    W = numpy.random.uniform(-1, 1, (4, 3, 3, 3)).astype(numpy.float32)
    b = numpy.random.uniform(-1, 1, 4).astype(numpy.float32)
    y1 = F.dilated_convolution_2d(x, W, b, stride=2, pad=2, dilate=2)
    y2 = F.convolution_2d(x, W, b, stride=2, pad=2, dilate=2)
    numpy.testing.assert_array_equal(y1.array, y2.array)


def test_variable_inputs_get_gradients():
    x = dynet.Variable(numpy.random.uniform(
        -1, 1, (1, 2, 5, 5)).astype(numpy.float32))
    W = dynet.Variable(numpy.random.uniform(
        -1, 1, (3, 2, 2, 2)).astype(numpy.float32))
    y = F.dilated_convolution_2d(x, W, dilate=2)
    F.sum(y).backward()
    assert x.grad.shape == x.shape and W.grad.shape == W.shape
    # Every W tap sees the sum of the input pixels it visits.
    expected = numpy.zeros(W.shape, numpy.float64)
    for p in range(2):
        for q in range(2):
            expected[:, :, p, q] = x.array[
                0, :, 2 * p:2 * p + 3, 2 * q:2 * q + 3].sum(axis=(1, 2))
    numpy.testing.assert_allclose(W.grad, expected, rtol=1e-5, atol=1e-5)


def _z(*shape):
    return numpy.zeros(shape, numpy.float32)


def test_errors():
    with pytest.raises(ValueError, match='dilated_convolution_2d: W must '
                                         'have 4'):
        F.dilated_convolution_2d(_z(1, 2, 5, 5), _z(1, 2, 3))
    with pytest.raises(type_check.InvalidType, match='non-empty output'):
        # The dilated window (5 wide) does not fit in 4 pixels.
        F.dilated_convolution_2d(_z(1, 2, 4, 4), _z(1, 2, 3, 3), dilate=2)
    with pytest.raises(ValueError, match='dilate must be positive'):
        F.dilated_convolution_2d(_z(1, 2, 5, 5), _z(1, 2, 3, 3), dilate=0)
