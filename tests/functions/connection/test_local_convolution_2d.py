"""Tests of F.local_convolution_2d."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet.utils import type_check

_TOL = {
    numpy.float16: ({'atol': 5e-3, 'rtol': 5e-3},
                    {'atol': 3e-2, 'rtol': 3e-2}),
    numpy.float32: ({'atol': 1e-5, 'rtol': 1e-5},
                    {'atol': 1e-4, 'rtol': 1e-4}),
    numpy.float64: ({'atol': 1e-12, 'rtol': 1e-12},
                    {'atol': 1e-7, 'rtol': 1e-7}),
}


def _reference(x, W, b, stride):
    """Plain loops: a different filter at every output position."""
    sy, sx = stride
    c_o, oh, ow, c_i, kh, kw = W.shape
    n = x.shape[0]
    y = numpy.zeros((n, c_o, oh, ow))
    for batch in range(n):
        for o in range(c_o):
            for i in range(oh):
                for j in range(ow):
                    total = 0.0
                    for c in range(c_i):
                        for p in range(kh):
                            for q in range(kw):
                                total += float(W[o, i, j, c, p, q]) * float(
                                    x[batch, c, i * sy + p, j * sx + q])
                    if b is not None:
                        total += float(b[o, i, j])
                    y[batch, o, i, j] = total
    return y


@testing.parameterize(*(testing.product({
    'case': [
        # x shape, (kh, kw), stride, (oh, ow)
        ((2, 3, 4, 5), (2, 2), (1, 1), (3, 4)),
        ((2, 2, 6, 5), (2, 3), (2, 1), (3, 3)),
        # A larger input than W needs: only the first positions are used.
        ((1, 2, 6, 6), (3, 3), (1, 1), (2, 3)),
    ],
    'nobias': [False, True],
    'dtype': [numpy.float32, numpy.float64],
}) + testing.product({
    'case': [((2, 2, 4, 4), (2, 2), (1, 1), (3, 3)),
             ((0, 2, 4, 4), (2, 2), (2, 2), (2, 2))],
    'nobias': [False],
    'dtype': [numpy.float16],
})))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestLocalConvolution2D(testing.FunctionTestCase):

    def setUp(self):
        self.x_shape, self.ksize, self.stride, self.out = self.case
        forward, backward = _TOL[self.dtype]
        self.check_forward_options = forward
        self.check_backward_options = backward
        self.check_double_backward_options = backward

    def generate_inputs(self):
        c_i = self.x_shape[1]
        c_o = 3
        x = numpy.random.uniform(-1, 1, self.x_shape)
        W = numpy.random.uniform(-1, 1, (c_o,) + self.out + (c_i,) +
                                 self.ksize)
        inputs = (x.astype(self.dtype), W.astype(self.dtype))
        if not self.nobias:
            b = numpy.random.uniform(-1, 1, (c_o,) + self.out)
            inputs += (b.astype(self.dtype),)
        return inputs

    def forward(self, inputs, device):
        return F.local_convolution_2d(*inputs, stride=self.stride),

    def forward_expected(self, inputs):
        x, W = inputs[:2]
        b = None if self.nobias else inputs[2]
        return _reference(x, W, b, self.stride).astype(self.dtype),


def _z(*shape, dtype=numpy.float32):
    return numpy.zeros(shape, dtype)


def test_channel_mismatch():
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)LocalConvolution2D.*x.shape\[1\] == '
                             r'W.shape\[3\].*2 != 3'):
        F.local_convolution_2d(_z(1, 2, 4, 4), _z(1, 3, 3, 3, 2, 2))


def test_output_positions_exceed_input():
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)at least W.shape\[1:3\].*give \(3, 3\)'):
        F.local_convolution_2d(_z(1, 2, 4, 4), _z(1, 4, 3, 2, 2, 2))


def test_bias_shape_and_dtype():
    with pytest.raises(type_check.InvalidType,
                       match=r'b.shape == W.shape\[:3\]'):
        F.local_convolution_2d(_z(1, 2, 4, 4), _z(1, 3, 3, 2, 2, 2),
                               _z(3, 3, 1))
    with pytest.raises(type_check.InvalidType, match='float32 != float64'):
        F.local_convolution_2d(_z(1, 2, 4, 4),
                               _z(1, 3, 3, 2, 2, 2, dtype=numpy.float64))
    with pytest.raises(type_check.InvalidType, match='W.ndim == 6'):
        F.local_convolution_2d(_z(1, 2, 4, 4), _z(1, 2, 2, 2))


def test_bad_stride():
    with pytest.raises(ValueError,
                       match='local_convolution_2d: stride must be positive'):
        F.local_convolution_2d(_z(1, 2, 4, 4), _z(1, 3, 3, 2, 2, 2),
                               stride=0)
