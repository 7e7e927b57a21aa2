"""Tests of F.shift."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet.utils import type_check


def _pair(v):
    return v if isinstance(v, tuple) else (v, v)


def _shift_reference(x, ksize, dilate):
    """Chainer's layout: channel group i (the last one also takes the
    remainder) moves by kernel position i, with the centre and the last
    position exchanged; y[c, r, s] = x[c, r - ky * dy, s - kx * dx]."""
    kh, kw = _pair(ksize)
    dy, dx = _pair(dilate)
    n, c, h, w = x.shape
    groups = kh * kw
    size = c // groups
    y = numpy.zeros_like(x)
    for ch in range(c):
        g = min(ch // size, groups - 1)
        if g == (groups - 1) // 2:
            g = groups - 1
        elif g == groups - 1:
            g = (groups - 1) // 2
        ky = g // kw - kh // 2
        kx = g % kw - kw // 2
        for r in range(h):
            for s in range(w):
                src_r, src_s = r - ky * dy, s - kx * dx
                if 0 <= src_r < h and 0 <= src_s < w:
                    y[:, ch, r, s] = x[:, ch, src_r, src_s]
    return y


@testing.parameterize(*testing.product({
    'shape': [(2, 9, 4, 5), (1, 11, 5, 4), (0, 9, 3, 3)],
    'ksize': [3, (3, 1)],
    'dilate': [1, (2, 1), -1],
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestShift(testing.FunctionTestCase):

    def setUp(self):
        self.check_forward_options = {'atol': 0, 'rtol': 0}
        if self.dtype == numpy.float16:
            self.check_backward_options = {'atol': 1e-2, 'rtol': 1e-2}
        else:
            self.check_backward_options = {'atol': 1e-6, 'rtol': 1e-6}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.shift(inputs[0], self.ksize, self.dilate),

    def forward_expected(self, inputs):
        return _shift_reference(inputs[0], self.ksize, self.dilate),


def test_5x5_kernel_with_big_dilation():
    x = numpy.random.uniform(-1, 1, (1, 26, 4, 4)).astype(numpy.float32)
    numpy.testing.assert_array_equal(
        F.shift(x, 5, 3).array, _shift_reference(x, 5, 3))


def test_concrete_offsets():
    # One channel per position of a 3x3 kernel: channel 0 moves by
    # (-1, -1) so y[0, r, s] = x[0, r + 1, s + 1]; channel 4 (the centre
    # group) takes the last position's offset (1, 1); channel 8 stays.
    x = numpy.tile(numpy.arange(9, dtype=numpy.float32).reshape(3, 3),
                   (1, 9, 1, 1))
    y = F.shift(x, 3).array
    numpy.testing.assert_array_equal(y[0, 0], [[4, 5, 0], [7, 8, 0],
                                               [0, 0, 0]])
    numpy.testing.assert_array_equal(y[0, 4], [[0, 0, 0], [0, 0, 1],
                                               [0, 3, 4]])
    numpy.testing.assert_array_equal(y[0, 8], x[0, 8])


def test_bad_arguments():
    x = numpy.zeros((1, 9, 3, 3), numpy.float32)
    with pytest.raises(ValueError, match='shift: ksize must be odd'):
        F.shift(x, 2)
    with pytest.raises(ValueError, match='shift: dilate must be non-zero'):
        F.shift(x, 3, 0)
    with pytest.raises(TypeError, match='shift: ksize must be an int or a '
                                        'pair'):
        F.shift(x, (3, 3, 3))
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)ShiftFunction.*x.shape\[1\] >= kh \* kw'
                             r' == 9.*x.shape\[1\] == 8'):
        F.shift(x[:, :8], 3)
    with pytest.raises(type_check.InvalidType, match='x.ndim == 4'):
        F.shift(x[0], 3)
