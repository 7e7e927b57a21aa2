"""Tests of F.im2col."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet.utils import type_check
from dynet.utils.conv import get_conv_outsize

_TOL = {
    numpy.float16: ({'atol': 1e-3, 'rtol': 1e-3},
                    {'atol': 2e-2, 'rtol': 2e-2}),
    numpy.float32: ({'atol': 1e-6, 'rtol': 1e-6},
                    {'atol': 1e-4, 'rtol': 1e-4}),
    numpy.float64: ({'atol': 1e-12, 'rtol': 1e-12},
                    {'atol': 1e-7, 'rtol': 1e-7}),
}


def _pair(v):
    return v if isinstance(v, tuple) else (v, v)


def _im2col_reference(x, ksize, stride, pad, cover_all, dilate):
    """Loop over every output element: channel (c * kh + i) * kw + j."""
    kh, kw = _pair(ksize)
    sy, sx = _pair(stride)
    ph, pw = _pair(pad)
    dy, dx = _pair(dilate)
    n, c, h, w = x.shape
    oh = get_conv_outsize(h, kh, sy, ph, cover_all, dy)
    ow = get_conv_outsize(w, kw, sx, pw, cover_all, dx)
    y = numpy.zeros((n, c * kh * kw, oh, ow), x.dtype)
    for ci in range(c):
        for i in range(kh):
            for j in range(kw):
                for p in range(oh):
                    for q in range(ow):
                        row = p * sy + i * dy - ph
                        col = q * sx + j * dx - pw
                        if 0 <= row < h and 0 <= col < w:
                            y[:, (ci * kh + i) * kw + j, p, q] = \
                                x[:, ci, row, col]
    return y


@testing.parameterize(*(testing.product({
    'params': [
        # ksize, stride, pad, cover_all, dilate
        (2, 1, 0, False, 1),
        ((2, 3), (1, 2), (1, 0), False, 1),
        (3, 2, 1, True, 1),
        ((2, 2), 1, 1, False, (2, 1)),
        (2, 3, 0, True, 2),
    ],
    'shape': [(2, 3, 5, 6)],
    'dtype': [numpy.float32, numpy.float64],
}) + testing.product({
    'params': [((2, 3), (1, 2), 1, False, 1)],
    'shape': [(2, 2, 4, 5), (0, 2, 4, 5)],
    'dtype': [numpy.float16, numpy.float32],
})))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestIm2Col(testing.FunctionTestCase):

    def setUp(self):
        self.ksize, self.stride, self.pad, self.cover_all, self.dilate = \
            self.params
        forward, backward = _TOL[self.dtype]
        self.check_forward_options = forward
        self.check_backward_options = backward
        self.check_double_backward_options = backward

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.im2col(inputs[0], self.ksize, self.stride, self.pad,
                        self.cover_all, self.dilate),

    def forward_expected(self, inputs):
        return _im2col_reference(inputs[0], self.ksize, self.stride,
                                 self.pad, self.cover_all, self.dilate),


def test_im2col_is_sum_of_patches_in_backward():
    # Each input pixel's gradient counts how many patches read it.
    x = numpy.zeros((1, 1, 3, 3), numpy.float32)
    from dynet import Variable
    v = Variable(x)
    F.sum(F.im2col(v, 2)).backward()
    numpy.testing.assert_array_equal(
        v.grad[0, 0], [[1, 2, 1], [2, 4, 2], [1, 2, 1]])


def test_im2col_bad_input():
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)Im2Col.*x.ndim == 4.*x.ndim == 3'):
        F.im2col(numpy.zeros((1, 3, 3), numpy.float32), 2)
    with pytest.raises(type_check.InvalidType, match=r'(?s)Im2Col.*float'):
        F.im2col(numpy.zeros((1, 1, 3, 3), numpy.int32), 2)
    with pytest.raises(type_check.InvalidType, match='non-empty output'):
        F.im2col(numpy.zeros((1, 1, 3, 3), numpy.float32), 4)
    with pytest.raises(ValueError, match='im2col: stride must be positive'):
        F.im2col(numpy.zeros((1, 1, 3, 3), numpy.float32), 2, stride=0)
    with pytest.raises(ValueError, match='im2col: pad must be non-negative'):
        F.im2col(numpy.zeros((1, 1, 3, 3), numpy.float32), 2, pad=-1)
