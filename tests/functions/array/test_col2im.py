"""Tests of F.col2im (the adjoint of F.im2col)."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _outsize(size, k, s, p, d, cover_all):
    dk = k + (k - 1) * (d - 1)
    extra = s - 1 if cover_all else 0
    return (size + 2 * p - dk + extra) // s + 1


def _reference(x, ksize, stride, pad, outsize, dilate):
    """Adds every patch entry to its pixel, one by one (float64)."""
    kh, kw = _pair(ksize)
    sy, sx = _pair(stride)
    ph, pw = _pair(pad)
    dy, dx = _pair(dilate)
    h, w = outsize
    n, ckk, oh, ow = x.shape
    c = ckk // (kh * kw)
    img = numpy.zeros((n, c, h, w))
    for b in range(n):
        for ch in range(c):
            for i in range(kh):
                for j in range(kw):
                    for p in range(oh):
                        for q in range(ow):
                            y = p * sy + i * dy - ph
                            z = q * sx + j * dx - pw
                            if 0 <= y < h and 0 <= z < w:
                                img[b, ch, y, z] += x[
                                    b, (ch * kh + i) * kw + j, p, q]
    return img


@testing.parameterize(*testing.product_dict(
    [
        {'ksize': 3, 'stride': 2, 'pad': 1, 'dilate': 1, 'outsize': (5, 6),
         'cover_all': False},
        {'ksize': 3, 'stride': 2, 'pad': 1, 'dilate': 1, 'outsize': (5, 6),
         'cover_all': True},
        {'ksize': (2, 3), 'stride': (1, 2), 'pad': (0, 1), 'dilate': 1,
         'outsize': (4, 5), 'cover_all': False},
        {'ksize': 2, 'stride': 1, 'pad': 1, 'dilate': 2, 'outsize': (4, 4),
         'cover_all': False},
        {'ksize': 1, 'stride': 1, 'pad': 0, 'dilate': 1, 'outsize': (2, 3),
         'cover_all': False},
    ],
    [{'dtype': d} for d in _FLOATS],
))
@testing.fix_random()
@testing.inject_backend_tests(None, _BACKENDS)
class TestCol2Im(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 5e-3, 'rtol': 5e-3}
            self.check_backward_options = {'atol': 5e-3, 'rtol': 5e-3}
            self.check_double_backward_options = {'atol': 5e-3,
                                                  'rtol': 5e-3}

    def generate_inputs(self):
        kh, kw = _pair(self.ksize)
        sizes = [_outsize(n, k, s, p, d, self.cover_all) for n, k, s, p, d
                 in zip(self.outsize, (kh, kw), _pair(self.stride),
                        _pair(self.pad), _pair(self.dilate))]
        shape = (2, 3 * kh * kw) + tuple(sizes)
        return numpy.random.uniform(-1, 1, shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.col2im(inputs[0], self.ksize, self.stride, self.pad,
                        self.outsize, self.dilate),

    def forward_expected(self, inputs):
        return _reference(inputs[0], self.ksize, self.stride, self.pad,
                          self.outsize, self.dilate).astype(self.dtype),


@pytest.mark.parametrize('cover_all', [False, True])
def test_adjoint_of_im2col(cover_all):
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (2, 3, 5, 7))
    cols = F.im2col(x, (3, 2), stride=(2, 3), pad=(1, 0), cover_all=cover_all,
                    dilate=(1, 2)).array
    c = rng.uniform(-1, 1, cols.shape)
    back = F.col2im(c, (3, 2), (2, 3), (1, 0), (5, 7), dilate=(1, 2)).array
    assert back.shape == x.shape
    numpy.testing.assert_allclose((cols * c).sum(), (x * back).sum(),
                                  rtol=1e-12)


def test_round_trip_counts_covering_patches():
    x = numpy.ones((1, 1, 4, 4), numpy.float32)
    y = F.col2im(F.im2col(x, 2, 1, 0), 2, 1, 0, (4, 4))
    expected = numpy.array([[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2],
                            [1, 2, 2, 1]], numpy.float32)
    numpy.testing.assert_array_equal(y.array[0, 0], expected)
    assert y.dtype == numpy.float32


def test_gradient_is_im2col():
    c = Variable(numpy.random.RandomState(1).uniform(-1, 1, (1, 8, 2, 2)))
    y = F.col2im(c, 2, 2, 0, (4, 4))
    gy = numpy.random.RandomState(2).uniform(-1, 1, y.shape)
    y.grad = gy
    y.backward()
    numpy.testing.assert_array_equal(c.grad, F.im2col(gy, 2, 2, 0).array)


def test_wrong_patch_grid_is_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.col2im(numpy.zeros((2, 27, 2, 2)), 3, 2, 1, (5, 6))
    message = str(info.value)
    assert 'col2im' in message and 'x.shape[2] in [3]' in message
    assert '(2, 27, 2, 2)' in message


def test_channels_not_divisible_by_kernel_area_are_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.col2im(numpy.zeros((1, 5, 3, 3)), 2, 1, 0, (4, 4))
    assert 'divisible by k_H * k_W == 4' in str(info.value)


@pytest.mark.parametrize('shape, words', [
    ((1, 4, 3), 'x.ndim == 4'),
])
def test_wrong_ndim_is_rejected(shape, words):
    with pytest.raises(type_check.InvalidType) as info:
        F.col2im(numpy.zeros(shape), 2, 1, 0, (4, 4))
    assert 'col2im' in str(info.value) and words in str(info.value)


def test_non_float_input_is_rejected():
    with pytest.raises(type_check.InvalidType) as info:
        F.col2im(numpy.zeros((1, 4, 3, 3), numpy.int32), 2, 1, 0, (4, 4))
    assert 'col2im' in str(info.value) and 'int32' in str(info.value)


def test_bad_arguments():
    x = numpy.zeros((1, 4, 3, 3))
    with pytest.raises(ValueError, match='col2im: outsize must be positive'):
        F.col2im(x, 2, 1, 0, (0, 4))
    with pytest.raises(ValueError, match='outsize'):
        F.col2im(x, 2, 1, 0, (4, 4, 4))
    with pytest.raises(ValueError, match='col2im: stride must be positive'):
        F.col2im(x, 2, 0, 0, (4, 4))
    with pytest.raises(ValueError, match='col2im: pad must be non-negative'):
        F.col2im(x, 2, 1, -1, (4, 4))


def test_label():
    y = F.col2im(Variable(numpy.zeros((1, 4, 3, 3))), 2, 1, 0, (4, 4))
    assert y.creator.label == 'col2im'
