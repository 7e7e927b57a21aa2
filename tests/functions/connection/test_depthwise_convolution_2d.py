"""Tests of F.depthwise_convolution_2d."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet.utils import type_check
from dynet.utils.conv import get_conv_outsize

_TOL = {
    numpy.float16: ({'atol': 5e-3, 'rtol': 5e-3},
                    {'atol': 3e-2, 'rtol': 3e-2}),
    numpy.float32: ({'atol': 1e-5, 'rtol': 1e-5},
                    {'atol': 1e-4, 'rtol': 1e-4}),
    numpy.float64: ({'atol': 1e-12, 'rtol': 1e-12},
                    {'atol': 1e-7, 'rtol': 1e-7}),
}


def _reference(x, W, b, stride, pad):
    """Output channel c * c_M + m is channel c filtered by W[m, c]."""
    sy, sx = stride
    ph, pw = pad
    c_m, c_i, kh, kw = W.shape
    n, _, h, w = x.shape
    oh = get_conv_outsize(h, kh, sy, ph)
    ow = get_conv_outsize(w, kw, sx, pw)
    y = numpy.zeros((n, c_i * c_m, oh, ow))
    for c in range(c_i):
        for m in range(c_m):
            for i in range(oh):
                for j in range(ow):
                    total = numpy.zeros(n)
                    for p in range(kh):
                        for q in range(kw):
                            r, s = i * sy + p - ph, j * sx + q - pw
                            if 0 <= r < h and 0 <= s < w:
                                total += float(W[m, c, p, q]) * \
                                    x[:, c, r, s].astype(numpy.float64)
                    if b is not None:
                        total += float(b[c * c_m + m])
                    y[:, c * c_m + m, i, j] = total
    return y


@testing.parameterize(*(testing.product({
    'params': [((1, 1), (0, 0)), ((2, 1), (1, 0)), ((2, 2), (1, 1))],
    'multiplier': [1, 2],
    'nobias': [False, True],
    'dtype': [numpy.float32, numpy.float64],
}) + testing.product({
    'params': [((1, 1), (1, 1))],
    'multiplier': [2],
    'nobias': [False],
    'dtype': [numpy.float16],
})))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestDepthwiseConvolution2D(testing.FunctionTestCase):

    def setUp(self):
        self.stride, self.pad = self.params
        forward, backward = _TOL[self.dtype]
        self.check_forward_options = forward
        self.check_backward_options = backward
        self.check_double_backward_options = backward

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, (2, 3, 4, 5))
        W = numpy.random.uniform(-1, 1, (self.multiplier, 3, 2, 3))
        inputs = (x.astype(self.dtype), W.astype(self.dtype))
        if not self.nobias:
            b = numpy.random.uniform(-1, 1, 3 * self.multiplier)
            inputs += (b.astype(self.dtype),)
        return inputs

    def forward(self, inputs, device):
        return F.depthwise_convolution_2d(*inputs, stride=self.stride,
                                          pad=self.pad),

    def forward_expected(self, inputs):
        x, W = inputs[:2]
        b = None if self.nobias else inputs[2]
        return _reference(x, W, b, self.stride, self.pad).astype(
            self.dtype),


def _z(*shape):
    return numpy.zeros(shape, numpy.float32)


def test_bad_shapes():
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)depthwise_convolution_2d.*x.shape\[1\] '
                             r'== W.shape\[1\].*3 != 2'):
        F.depthwise_convolution_2d(_z(1, 3, 4, 4), _z(2, 2, 2, 2))
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)b.shape == \(W.shape\[0\] \* '
                             r'W.shape\[1\],\) == \(6,\).*\(3,\)'):
        F.depthwise_convolution_2d(_z(1, 3, 4, 4), _z(2, 3, 2, 2), _z(3))
    with pytest.raises(type_check.InvalidType, match='W.ndim == 4'):
        F.depthwise_convolution_2d(_z(1, 3, 4, 4), _z(2, 3, 2))
