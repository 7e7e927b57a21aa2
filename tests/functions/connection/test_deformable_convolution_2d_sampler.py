"""Tests of F.deformable_convolution_2d_sampler."""
import math

import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet.utils import type_check


def _bilinear(img, r, s):
    """img (C, H, W) read at the fractional pixel (r, s); zero outside."""
    c, h, w = img.shape
    r0, s0 = math.floor(r), math.floor(s)
    total = numpy.zeros(c)
    for rr, ss, weight in ((r0, s0, (r0 + 1 - r) * (s0 + 1 - s)),
                           (r0, s0 + 1, (r0 + 1 - r) * (s - s0)),
                           (r0 + 1, s0, (r - r0) * (s0 + 1 - s)),
                           (r0 + 1, s0 + 1, (r - r0) * (s - s0))):
        if 0 <= rr < h and 0 <= ss < w:
            total += weight * img[:, rr, ss]
    return total


def _reference(x, offset, W, b, stride, pad):
    x = x.astype(numpy.float64)
    offset = offset.astype(numpy.float64)
    sy, sx = stride
    ph, pw = pad
    x = numpy.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    c_o, c_i, kh, kw = W.shape
    n, _, oh, ow = offset.shape
    y = numpy.zeros((n, c_o, oh, ow))
    for batch in range(n):
        for i in range(oh):
            for j in range(ow):
                for p in range(kh):
                    for q in range(kw):
                        k = p * kw + q
                        value = _bilinear(
                            x[batch], i * sy + p + offset[batch, kh * kw + k,
                                                          i, j],
                            j * sx + q + offset[batch, k, i, j])
                        y[batch, :, i, j] += W[:, :, p, q].astype(
                            numpy.float64) @ value
                if b is not None:
                    y[batch, :, i, j] += b
    return y


@testing.parameterize(*(testing.product({
    'params': [((1, 1), (0, 0)), ((2, 1), (1, 1)), ((1, 2), (1, 0))],
    'nobias': [False, True],
    'dtype': [numpy.float32, numpy.float64],
}) + testing.product({
    'params': [((1, 1), (1, 1))],
    'nobias': [False],
    'dtype': [numpy.float16],
})))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
@testing.fix_random()
class TestDeformableConvolution2DSampler(testing.FunctionTestCase):

    skip_double_backward_test = True  # the sampler does not support it

    def setUp(self):
        self.stride, self.pad = self.params
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 2e-2, 'rtol': 2e-2}
            self.check_backward_options = {'atol': 5e-2, 'rtol': 5e-2,
                                           'eps': 1e-3}
        else:
            self.check_forward_options = {'atol': 1e-5, 'rtol': 1e-5}
            self.check_backward_options = {'atol': 1e-4, 'rtol': 1e-4,
                                           'eps': 1e-4}

    def generate_inputs(self):
        kh, kw = 2, 3
        h, w = 4, 5
        oh = (h + 2 * self.pad[0] - kh) // self.stride[0] + 1
        ow = (w + 2 * self.pad[1] - kw) // self.stride[1] + 1
        x = numpy.random.uniform(-1, 1, (2, 3, h, w))
        # Offsets with fractional parts away from whole pixels, where the
        # bilinear interpolation has kinks.
        whole = numpy.random.randint(-2, 2, (2, 2 * kh * kw, oh, ow))
        offset = whole + numpy.random.uniform(0.15, 0.85, whole.shape)
        W = numpy.random.uniform(-1, 1, (2, 3, kh, kw))
        inputs = tuple(a.astype(self.dtype) for a in (x, offset, W))
        if not self.nobias:
            inputs += (numpy.random.uniform(-1, 1, 2).astype(self.dtype),)
        return inputs

    def forward(self, inputs, device):
        return F.deformable_convolution_2d_sampler(
            *inputs, stride=self.stride, pad=self.pad),

    def forward_expected(self, inputs):
        x, offset, W = inputs[:3]
        b = None if self.nobias else inputs[3]
        return _reference(x, offset, W, b, self.stride, self.pad).astype(
            self.dtype),


def test_zero_offsets_is_a_convolution():
    x = numpy.random.uniform(-1, 1, (2, 3, 5, 5)).astype(numpy.float32)
    W = numpy.random.uniform(-1, 1, (4, 3, 3, 3)).astype(numpy.float32)
    b = numpy.random.uniform(-1, 1, 4).astype(numpy.float32)
    offset = numpy.zeros((2, 18, 3, 3), numpy.float32)
    y = F.deformable_convolution_2d_sampler(x, offset, W, b, stride=2,
                                            pad=1)
    expected = F.convolution_2d(x, W, b, stride=2, pad=1)
    numpy.testing.assert_allclose(y.array, expected.array, atol=1e-5)


def test_bad_shapes():
    x = numpy.zeros((1, 3, 4, 4), numpy.float32)
    W = numpy.zeros((2, 3, 2, 2), numpy.float32)
    with pytest.raises(ValueError,
                       match=r'offset.shape\[1\] must be 2 \* kh \* kw == 8'):
        F.deformable_convolution_2d_sampler(
            x, numpy.zeros((1, 6, 3, 3), numpy.float32), W)
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)deformable_convolution_2d_sampler.*'
                             r'x.shape\[1\] == W.shape\[1\]'):
        F.deformable_convolution_2d_sampler(
            x[:, :2], numpy.zeros((1, 8, 3, 3), numpy.float32), W)
