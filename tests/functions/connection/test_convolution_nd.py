import gc
import itertools

import numpy
import pytest

import dynet.functions as F
from dynet import Variable, no_backprop_mode, testing
from dynet.functions.connection import convolution_nd as conv_nd
from dynet.utils import type_check
from dynet.utils.conv import get_conv_outsize, get_deconv_outsize


def _conv_reference(x, w, b, stride, pad, dilate, groups, cover_all):
    """Plain loops over every output element (any spatial ndim)."""
    nd = x.ndim - 2
    n, c = x.shape[:2]
    o, c_g = w.shape[:2]
    k = w.shape[2:]
    out = tuple(get_conv_outsize(size, kk, stride, pad, cover_all, dilate)
                for size, kk in zip(x.shape[2:], k))
    y = numpy.zeros((n, o) + out)
    o_g = o // groups
    for index in itertools.product(*[range(v) for v in (n, o) + out]):
        batch, oc = index[:2]
        group = oc // o_g
        total = 0.0
        for ci in range(c_g):
            for offs in itertools.product(*[range(kk) for kk in k]):
                pos = tuple(index[2 + a] * stride + offs[a] * dilate - pad
                            for a in range(nd))
                if all(0 <= p < size for p, size in zip(pos, x.shape[2:])):
                    total += float(w[(oc, ci) + offs]) * float(
                        x[(batch, group * c_g + ci) + pos])
        y[index] = total + (0.0 if b is None else float(b[oc]))
    return y


_TOL = {
    numpy.float16: ({'atol': 5e-3, 'rtol': 5e-3},
                    {'atol': 2e-2, 'rtol': 2e-2}),
    numpy.float32: ({'atol': 1e-5, 'rtol': 1e-5},
                    {'atol': 1e-4, 'rtol': 1e-4}),
    numpy.float64: ({'atol': 1e-12, 'rtol': 1e-12},
                    {'atol': 1e-7, 'rtol': 1e-7}),
}


@testing.parameterize(*(testing.product({
    'spatial': [(5, 4)],
    'params': [(1, 0, 1, 1, False), (2, 1, 1, 1, False),
               (2, 1, 2, 2, False), (3, 1, 1, 1, True),
               (1, 2, 1, 2, True)],
    'nobias': [False, True],
    'dtype': [numpy.float32, numpy.float64],
}) + testing.product({
    # Over 64 output positions: the patch matrix is batch-major (smaller
    # outputs put the batch innermost).
    'spatial': [(10, 9)],
    'params': [(1, 1, 1, 1, False), (1, 1, 1, 2, False)],
    'nobias': [False],
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
}) + testing.product({
    'spatial': [(4,), (3, 3, 3)],
    'params': [(2, 1, 1, 1, False)],
    'nobias': [False],
    'dtype': [numpy.float16, numpy.float32],
})))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestConvolutionND(testing.FunctionTestCase):

    def setUp(self):
        self.stride, self.pad, self.dilate, self.groups, self.cover_all = \
            self.params
        forward, backward = _TOL[self.dtype]
        self.check_forward_options = forward
        self.check_backward_options = backward
        self.check_double_backward_options = backward

    def generate_inputs(self):
        nd = len(self.spatial)
        c, o = 2 * self.groups, 2 * self.groups
        x = numpy.random.uniform(-1, 1, (2, c) + self.spatial)
        w = numpy.random.uniform(-1, 1, (o, c // self.groups) + (2,) * nd)
        inputs = (x.astype(self.dtype), w.astype(self.dtype))
        if not self.nobias:
            inputs += (numpy.random.uniform(-1, 1, o).astype(self.dtype),)
        return inputs

    def forward(self, inputs, device):
        return F.convolution_nd(*inputs, stride=self.stride, pad=self.pad,
                                cover_all=self.cover_all,
                                dilate=self.dilate, groups=self.groups),

    def forward_expected(self, inputs):
        x, w = inputs[:2]
        b = None if self.nobias else inputs[2]
        return _conv_reference(x, w, b, self.stride, self.pad, self.dilate,
                               self.groups, self.cover_all).astype(
                                   self.dtype),


@testing.parameterize(*testing.product({
    # Stride 1 runs as a convolution with flipped filters unless the
    # padding exceeds dilate * (k - 1) (here (1, 2, 1, 1)).
    'params': [(1, 0, 1, 1), (2, 1, 1, 1), (2, 1, 2, 2), (3, 0, 1, 1),
               (1, 1, 2, 2), (1, 2, 1, 1)],
    'dtype': [numpy.float32, numpy.float64],
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestDeconvolution2D(testing.FunctionTestCase):
    """Transposed convolution: checked as the exact adjoint of the
    convolution reference (<conv(a, W), y> == <a, deconv(y, W)>)."""

    def setUp(self):
        self.stride, self.pad, self.dilate, self.groups = self.params
        forward, backward = _TOL[self.dtype]
        self.check_forward_options = forward
        self.check_backward_options = backward
        self.check_double_backward_options = backward
        self.in_size = (4, 5)
        self.out_size = tuple(get_deconv_outsize(n, 2, self.stride,
                                                 self.pad, d=self.dilate)
                              for n in self.in_size)

    def generate_inputs(self):
        c, o = 2 * self.groups, 2 * self.groups
        x = numpy.random.uniform(-1, 1, (2, c) + self.in_size)
        w = numpy.random.uniform(-1, 1, (c, o // self.groups, 2, 2))
        b = numpy.random.uniform(-1, 1, o)
        return x.astype(self.dtype), w.astype(self.dtype), \
            b.astype(self.dtype)

    def forward(self, inputs, device):
        return F.deconvolution_2d(*inputs, stride=self.stride, pad=self.pad,
                                  dilate=self.dilate, groups=self.groups),

    def forward_expected(self, inputs):
        x, w, b = [a.astype(numpy.float64) for a in inputs]
        n, o = x.shape[0], w.shape[1] * self.groups
        y = numpy.zeros((n, o) + self.out_size)
        # Column j of the (linear) deconvolution is conv's adjoint applied
        # to the unit vector e_j: build it through the conv reference.
        for index in numpy.ndindex(*y.shape[1:]):
            unit = numpy.zeros((1, o) + self.out_size)
            unit[(0,) + index] = 1
            row = _conv_reference(unit, w, None, self.stride, self.pad,
                                  self.dilate, self.groups, False)[0]
            y[(slice(None),) + index] = (x * row).sum(axis=(1, 2, 3))
        y += b.reshape(1, -1, 1, 1)
        return y.astype(self.dtype),


def _x(shape=(1, 2, 5, 5), dtype=numpy.float32):
    return numpy.zeros(shape, dtype)


def test_conv_channel_mismatch():
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)Convolution2D.*x.shape\[1\] == W.shape'
                             r'\[1\] \* groups.*2 != 3'):
        F.convolution_2d(_x(), _x((4, 3, 3, 3)))


def test_conv_groups_must_divide():
    with pytest.raises(type_check.InvalidType, match='divisible by groups'):
        F.convolution_2d(_x((1, 4, 5, 5)), _x((3, 2, 3, 3)), groups=2)


def test_conv_empty_output_and_bad_geometry():
    with pytest.raises(type_check.InvalidType, match='non-empty output'):
        F.convolution_2d(_x(), _x((1, 2, 7, 7)))
    with pytest.raises(ValueError, match='stride must be positive'):
        F.convolution_2d(_x(), _x((1, 2, 3, 3)), stride=0)
    with pytest.raises(ValueError, match='2 ints'):
        F.convolution_2d(_x(), _x((1, 2, 3, 3)), stride=(1, 1, 1))
    with pytest.raises(ValueError, match='convolution_2d: W must have 4'):
        F.convolution_2d(_x(), _x((1, 2, 3)))


def test_conv_dtype_and_bias():
    with pytest.raises(type_check.InvalidType, match='float32 != float64'):
        F.convolution_2d(_x(), _x((1, 2, 3, 3), numpy.float64))
    with pytest.raises(type_check.InvalidType, match='output channels'):
        F.convolution_2d(_x(), _x((4, 2, 3, 3)), _x((3,)))


def test_deconv_inconsistent_outsize():
    with pytest.raises(type_check.InvalidType, match='outsize'):
        F.deconvolution_2d(_x((1, 2, 3, 3)), _x((2, 1, 3, 3)), stride=2,
                           outsize=(20, 20))


@pytest.mark.parametrize('spatial', [(9, 9), (4, 3)])  # both layouts
def test_patches_kept_for_the_weight_gradient_then_released(
        spatial, monkeypatch):
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (2, 4) + spatial)
    w = rng.uniform(-1, 1, (6, 2, 3, 3))
    gy = rng.uniform(-1, 1, (2, 6) + spatial)
    expected = _conv_reference(x, w, None, 1, 1, 1, 2, False)

    def weight_grad():
        wv = Variable(w.copy())
        y = F.convolution_2d(x, wv, pad=1, groups=2)
        numpy.testing.assert_allclose(y.array, expected, rtol=1e-12)
        node = y.creator
        kept = node._patches is not None
        y.grad = gy
        y.backward()
        assert node._patches is None  # released once used
        return kept, wv.grad

    kept, gw = weight_grad()
    assert kept
    monkeypatch.setattr(conv_nd, 'KEEP_PATCHES_MAX_BYTES', 0)
    kept, recomputed = weight_grad()
    assert not kept
    numpy.testing.assert_array_equal(gw, recomputed)
    # <gy, conv(x, W)> is linear in W: its gradient by finite differences.
    numeric = numpy.zeros_like(w)
    for index in numpy.ndindex(*w.shape):
        dw = numpy.zeros_like(w)
        dw[index] = 1
        numeric[index] = (gy * _conv_reference(
            x, dw, None, 1, 1, 1, 2, False)).sum()
    numpy.testing.assert_allclose(gw, numeric, rtol=1e-10, atol=1e-10)


def test_no_patches_kept_without_backprop():
    x = numpy.ones((1, 2, 9, 9), numpy.float32)
    w = Variable(numpy.ones((3, 2, 3, 3), numpy.float32))
    node = conv_nd.ConvolutionND(2, pad=1)
    with no_backprop_mode():
        node.apply((x, w))
    assert node._patches is None


@pytest.mark.parametrize('spatial', [(5, 5), (12, 12)])  # both layouts
@pytest.mark.parametrize('transposed', [False, True])
@pytest.mark.parametrize('stride', [1, 2])
def test_empty_batch(spatial, transposed, stride):
    x = Variable(numpy.zeros((0, 2) + spatial, numpy.float32))
    if transposed:
        w = Variable(numpy.ones((2, 3, 3, 3), numpy.float32))
        y = F.deconvolution_2d(x, w, stride=stride, pad=1)
        out = tuple(get_deconv_outsize(n, 3, stride, 1) for n in spatial)
    else:
        w = Variable(numpy.ones((3, 2, 3, 3), numpy.float32))
        y = F.convolution_2d(x, w, stride=stride, pad=1)
        out = tuple(get_conv_outsize(n, 3, stride, 1) for n in spatial)
    assert y.shape == (0, 3) + out
    y.grad = numpy.zeros(y.shape, numpy.float32)
    y.backward()
    assert x.grad.shape == x.shape
    numpy.testing.assert_array_equal(w.grad, numpy.zeros_like(w.array))


def test_kept_patches_have_a_total_budget(monkeypatch):
    x = numpy.ones((1, 2, 9, 9), numpy.float32)
    w = Variable(numpy.ones((3, 2, 3, 3), numpy.float32))
    start = conv_nd._kept_bytes
    one = 2 * 9 * 81 * 4  # channels x taps x positions, float32
    monkeypatch.setattr(conv_nd, 'KEEP_PATCHES_TOTAL_BYTES', start + one)
    y1 = F.convolution_2d(x, w, pad=1)
    y2 = F.convolution_2d(x, w, pad=1)
    assert y1.creator._patches.nbytes == one
    assert y2.creator._patches is None  # over the total
    y1.grad = numpy.ones(y1.shape, numpy.float32)
    y1.backward()
    assert conv_nd._kept_bytes == start  # given back by backward
    y3 = F.convolution_2d(x, w, pad=1)
    assert y3.creator._patches is not None
    del y3
    gc.collect()
    assert conv_nd._kept_bytes == start  # given back with the graph
