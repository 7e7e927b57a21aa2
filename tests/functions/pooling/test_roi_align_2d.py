"""Tests of F.roi_average_align_2d and F.roi_max_align_2d, which share
the bilinear sampling reference below."""
import math

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet.utils import type_check


def _pair(value):
    return value if isinstance(value, tuple) else (value, value)


def _bilinear(img, y, x):
    """The value of img (H, W) at (y, x): None (skipped) outside
    [-1, H] x [-1, W], else (y, x) clamped into the image and interpolated
    between the four surrounding pixels."""
    H, W = img.shape
    if y < -1 or y > H or x < -1 or x > W:
        return None
    y = min(max(y, 0.0), H - 1.0)
    x = min(max(x, 0.0), W - 1.0)
    y0, x0 = int(math.floor(y)), int(math.floor(x))
    y1, x1 = min(y0 + 1, H - 1), min(x0 + 1, W - 1)
    ly, lx = y - y0, x - x0
    return ((1 - ly) * (1 - lx) * img[y0, x0] + (1 - ly) * lx * img[y0, x1]
            + ly * (1 - lx) * img[y1, x0] + ly * lx * img[y1, x1])


def _samples(img, roi, p, q, outsize, scale, ratio):
    """The bilinear samples of bin (p, q) of a ROI (None: skipped)."""
    y_min, x_min = roi[0] * scale, roi[1] * scale
    h = max(roi[2] * scale - y_min, 1.0)
    w = max(roi[3] * scale - x_min, 1.0)
    bh, bw = h / outsize[0], w / outsize[1]
    gh = ratio[0] or math.ceil(h / outsize[0])
    gw = ratio[1] or math.ceil(w / outsize[1])
    return [_bilinear(img, y_min + p * bh + (i + .5) * bh / gh,
                      x_min + q * bw + (j + .5) * bw / gw)
            for i in range(gh) for j in range(gw)]


def _average_align_reference(x, rois, indices, outsize, scale, ratio):
    y = numpy.zeros((len(rois), x.shape[1]) + outsize)
    for r, n, c, p, q in numpy.ndindex(len(rois), 1, *y.shape[1:]):
        values = _samples(x[indices[r], c], [float(v) for v in rois[r]],
                          p, q, outsize, scale, ratio)
        # Skipped samples count in the mean.
        y[r, c, p, q] = sum(v for v in values if v is not None) / len(values)
    return y


# (y_min, x_min, y_max, x_max) in a (6, 7) image: inside, beyond the top
# left (samples in [-1, 0) and below -1), beyond the bottom right (samples
# in [H - 1, H] and above), smaller than one pixel, wholly outside, and the
# whole image.
_AVERAGE_ROIS = [[0.3, 0.7, 4.6, 5.2], [-2.5, -1.8, 3.1, 2.4],
                 [3.2, 4.1, 8.9, 9.6], [2.2, 2.9, 2.6, 3.1], [10, 10, 14, 14],
                 [0, 0, 6, 7]]
_AVERAGE_INDICES = [0, 1, 1, 0, 1, 0]

_TOL = {numpy.float16: {'atol': 2e-3, 'rtol': 2e-3},
        numpy.float32: {'atol': 1e-6, 'rtol': 1e-6},
        numpy.float64: {'atol': 1e-12, 'rtol': 1e-12}}
_GRAD_TOL = {numpy.float16: {'atol': 2e-2, 'rtol': 2e-2},
             numpy.float32: {'atol': 1e-3, 'rtol': 1e-3},
             numpy.float64: {'atol': 1e-6, 'rtol': 1e-6}}


@testing.parameterize(*testing.product({
    'config': [
        # outsize, spatial_scale, sampling_ratio
        ((2, 3), 1.0, None),
        ((2, 3), 0.6, 2),
        (3, 1.7, (None, 3)),
        (1, 1.0, (1, 2)),
    ],
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestROIAverageAlign2D(testing.FunctionTestCase):

    def setUp(self):
        self.outsize, self.spatial_scale, self.sampling_ratio = self.config
        self.rois = numpy.array(_AVERAGE_ROIS, self.dtype)
        self.roi_indices = numpy.array(_AVERAGE_INDICES, numpy.int32)
        self.check_forward_options = _TOL[self.dtype]
        self.check_backward_options = _GRAD_TOL[self.dtype]
        self.check_double_backward_options = _GRAD_TOL[self.dtype]

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (2, 3, 6, 7)).astype(self.dtype),

    def forward(self, inputs, device):
        return F.roi_average_align_2d(
            inputs[0], device.send(self.rois.astype(inputs[0].dtype)),
            device.send(self.roi_indices), self.outsize, self.spatial_scale,
            self.sampling_ratio),

    def forward_expected(self, inputs):
        outsize, ratio = _pair(self.outsize), _pair(self.sampling_ratio)
        return _average_align_reference(
            inputs[0].astype(numpy.float64), self.rois, self.roi_indices,
            outsize, self.spatial_scale, ratio).astype(self.dtype),


def test_roi_average_align_2d_values():
    x = numpy.array([[1., 2.], [3., 4.]], numpy.float32).reshape(1, 1, 2, 2)
    rois = numpy.array([[0, 0, 1, 1]], numpy.float32)
    indices = numpy.zeros(1, numpy.int32)
    # One sample at (0.5, 0.5): the mean of the four pixels.
    y = F.roi_average_align_2d(x, rois, indices, 1, 1.0, 1)
    numpy.testing.assert_allclose(y.array, [[[[2.5]]]])
    # Samples at y = -1.5 (skipped, but counted) and -0.5 (clamped to 0).
    y = F.roi_average_align_2d(x, numpy.array([[-2, 0, 0, 1]], numpy.float32),
                               indices, 1, 1.0, (2, 1))
    numpy.testing.assert_allclose(y.array, [[[[1.5 / 2]]]])


def test_roi_average_align_2d_gradient_is_the_adjoint():
    x = dynet.Variable(numpy.random.uniform(-1, 1, (2, 2, 5, 6)))
    rois = dynet.Variable(numpy.array(_AVERAGE_ROIS))
    indices = numpy.array(_AVERAGE_INDICES, numpy.int32)
    y = F.roi_average_align_2d(x, rois, indices, (2, 3), 0.8, 2)
    g = numpy.random.uniform(-1, 1, y.shape)
    y.grad = g
    y.backward()
    u = numpy.random.uniform(-1, 1, x.shape)
    lhs = (F.roi_average_align_2d(u, rois.array, indices, (2, 3), 0.8,
                                  2).array * g).sum()
    numpy.testing.assert_allclose(lhs, (u * x.grad).sum())
    assert rois.grad is None


def test_roi_average_align_2d_no_rois():
    y = F.roi_average_align_2d(numpy.ones((1, 3, 4, 4)), numpy.zeros((0, 4)),
                               numpy.zeros(0, numpy.int32), (2, 1), 1.0)
    assert y.shape == (0, 3, 2, 1) and y.dtype == numpy.float64


def test_roi_average_align_2d_errors():
    x = numpy.zeros((2, 1, 4, 4), numpy.float32)
    rois = numpy.zeros((3, 4), numpy.float32)
    indices = numpy.zeros(3, numpy.int32)
    f = F.roi_average_align_2d
    with pytest.raises(type_check.InvalidType, match='dtype.kind == f'):
        f(x.astype(numpy.int32), rois.astype(numpy.int32), indices, 2, 1.)
    with pytest.raises(type_check.InvalidType) as e:
        f(x, rois.astype(numpy.float64), indices, 2, 1.)
    assert 'ROIAverageAlign2D' in str(e.value)
    assert 'x.dtype == rois.dtype' in str(e.value)
    with pytest.raises(type_check.InvalidType, match='roi_indices.dtype'):
        f(x, rois, indices.astype(numpy.uint8), 2, 1.)
    with pytest.raises(type_check.InvalidType, match='roi_indices.ndim == 1'):
        f(x, rois, indices[:, None], 2, 1.)
    with pytest.raises(IndexError, match='ROIAverageAlign2D'):
        f(x, rois, indices + 5, 2, 1.)
    with pytest.raises(TypeError, match='roi_average_align_2d: sampling_'
                                        'ratio must be None, an integer'):
        f(x, rois, indices, 2, 1., sampling_ratio=(1, 0))
    with pytest.raises(TypeError, match='sampling_ratio'):
        f(x, rois, indices, 2, 1., sampling_ratio=1.5)
    with pytest.raises(ValueError, match='outsize must be an int or a pair'):
        f(x, rois, indices, (1, 2, 3), 1.)
    with pytest.raises(TypeError, match='spatial_scale'):
        f(x, rois, indices, 2, -0.5)


def _max_align_reference(x, rois, indices, outsize, scale, ratio):
    y = numpy.zeros((len(rois), x.shape[1]) + outsize)
    for r, n, c, p, q in numpy.ndindex(len(rois), 1, *y.shape[1:]):
        values = _samples(x[indices[r], c], [float(v) for v in rois[r]],
                          p, q, outsize, scale, ratio)
        values = [v for v in values if v is not None]
        y[r, c, p, q] = max(values) if values else -numpy.inf
    return y


# (y_min, x_min, y_max, x_max) in an (8, 9) image. 'inside' ROIs have a
# valid sample in every bin at every scale tested (some in [-1, 0) or
# [H - 1, H], clamped); 'edge' ones have bins with none (-inf).
_MAX_ROIS = {
    'inside': ([[0.3, 0.7, 4.4, 4.2], [-0.5, -0.4, 3.1, 2.4],
                [2.2, 2.9, 2.6, 3.1], [1.5, 2.5, 4.4, 5.1]], [0, 1, 1, 0]),
    'edge': ([[-2.5, -1.8, 3.1, 2.4], [3.2, 4.1, 10.9, 11.6],
              [10, 10, 14, 14], [0, 0, 8, 9]], [0, 1, 1, 0]),
}


@testing.parameterize(*testing.product({
    'rois_kind': ['inside', 'edge'],
    'config': [
        # outsize, spatial_scale, sampling_ratio
        ((2, 3), 1.0, None),
        ((2, 3), 0.6, 2),
        (3, 1.7, (None, 3)),
    ],
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
}))
@testing.fix_random()
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestROIMaxAlign2D(testing.FunctionTestCase):

    dodge_nondifferentiable = True

    def setUp(self):
        self.outsize, self.spatial_scale, self.sampling_ratio = self.config
        rois, indices = _MAX_ROIS[self.rois_kind]
        self.rois = numpy.array(rois, self.dtype)
        self.roi_indices = numpy.array(indices, numpy.int32)
        if self.rois_kind == 'edge':
            # Bins without samples give -inf: no numerical gradient there.
            self.skip_backward_test = True
            self.skip_double_backward_test = True
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 2e-3, 'rtol': 2e-3}
            self.check_backward_options = {'atol': 5e-2, 'rtol': 5e-2}
            self.check_double_backward_options = {'atol': 5e-2, 'rtol': 5e-2}
        else:
            self.check_backward_options = {'atol': 1e-4, 'rtol': 1e-4,
                                           'eps': 1e-4}
            self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (2, 3, 8, 9)).astype(self.dtype),

    def forward(self, inputs, device):
        return F.roi_max_align_2d(
            inputs[0], device.send(self.rois.astype(inputs[0].dtype)),
            device.send(self.roi_indices), self.outsize, self.spatial_scale,
            self.sampling_ratio),

    def forward_expected(self, inputs):
        outsize, ratio = _pair(self.outsize), _pair(self.sampling_ratio)
        return _max_align_reference(
            inputs[0].astype(numpy.float64), self.rois, self.roi_indices,
            outsize, self.spatial_scale, ratio).astype(self.dtype),


def test_roi_max_align_2d_values_and_gradient():
    x = dynet.Variable(
        numpy.array([[1., 2.], [3., 4.]], numpy.float32).reshape(1, 1, 2, 2))
    rois = dynet.Variable(numpy.array([[0, 0, 1, 1]], numpy.float32))
    # Samples at 0.25 and 0.75 along each axis; the largest is at
    # (0.75, 0.75): 1 / 16 + 2 * 3 / 16 + 3 * 3 / 16 + 4 * 9 / 16.
    y = F.roi_max_align_2d(x, rois, numpy.zeros(1, numpy.int32), 1, 1.0, 2)
    numpy.testing.assert_allclose(y.array, [[[[3.25]]]])
    y.grad = numpy.ones((1, 1, 1, 1), numpy.float32)
    y.backward()
    expected = numpy.array([[1, 3], [3, 9]]) / 16.
    numpy.testing.assert_allclose(x.grad[0, 0], expected)
    assert rois.grad is None


def test_roi_max_align_2d_ties_go_to_the_first_sample():
    # Both samples of the bin clamp to row 0 (y = -0.75 and -0.25): equal
    # values; the gradient goes once, to row 0.
    x = dynet.Variable(numpy.arange(6.).reshape(1, 1, 3, 2))
    rois = numpy.array([[-1., 0., 0., 1.]])
    y = F.roi_max_align_2d(x, rois, numpy.zeros(1, numpy.int32), 1, 1.0,
                           (2, 1))
    numpy.testing.assert_allclose(y.array, [[[[0.5]]]])
    y.grad = numpy.ones((1, 1, 1, 1))
    y.backward()
    numpy.testing.assert_allclose(x.grad[0, 0], [[.5, .5], [0, 0], [0, 0]])


def test_roi_max_align_2d_skipped_bins():
    x = dynet.Variable(numpy.ones((1, 2, 3, 3), numpy.float32))
    rois = numpy.array([[5, 5, 9, 9]], numpy.float32)
    y = F.roi_max_align_2d(x, rois, numpy.zeros(1, numpy.int32), 2, 1.0)
    assert numpy.isneginf(y.array).all()
    y.grad = numpy.ones(y.shape, numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, numpy.zeros((1, 2, 3, 3)))


def test_roi_max_align_2d_errors():
    x = numpy.zeros((2, 1, 4, 4), numpy.float32)
    rois = numpy.zeros((3, 4), numpy.float32)
    indices = numpy.zeros(3, numpy.int32)
    f = F.roi_max_align_2d
    with pytest.raises(type_check.InvalidType, match='dtype.kind == f'):
        f(x.astype(numpy.int32), rois.astype(numpy.int32), indices, 2, 1.)
    with pytest.raises(type_check.InvalidType) as e:
        f(x, rois[:, :3], indices, 2, 1.)
    assert 'ROIMaxAlign2D' in str(e.value)
    assert 'rois.shape[1] == 3' in str(e.value)
    with pytest.raises(type_check.InvalidType, match='int32'):
        f(x, rois, indices.astype(numpy.int64), 2, 1.)
    with pytest.raises(type_check.InvalidType, match='3 != 1'):
        f(x, rois, indices[:1], 2, 1.)
    with pytest.raises(IndexError, match='every ROI batch index'):
        f(x, rois, indices - 1, 2, 1.)
    with pytest.raises(TypeError, match='roi_max_align_2d: sampling_ratio'):
        f(x, rois, indices, 2, 1., sampling_ratio=0)
    with pytest.raises(TypeError, match=r'roi_max_align_2d: outsize\[0\]'):
        f(x, rois, indices, (-1, 2), 1.)
