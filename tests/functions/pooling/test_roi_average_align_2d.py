import math

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet.utils import type_check


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


def _align_reference(x, rois, indices, outsize, scale, ratio):
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
_ROIS = [[0.3, 0.7, 4.6, 5.2], [-2.5, -1.8, 3.1, 2.4], [3.2, 4.1, 8.9, 9.6],
         [2.2, 2.9, 2.6, 3.1], [10, 10, 14, 14], [0, 0, 6, 7]]
_INDICES = [0, 1, 1, 0, 1, 0]

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
        self.rois = numpy.array(_ROIS, self.dtype)
        self.roi_indices = numpy.array(_INDICES, numpy.int32)
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
        outsize = self.outsize if isinstance(self.outsize, tuple) else \
            (self.outsize, self.outsize)
        ratio = self.sampling_ratio
        if not isinstance(ratio, tuple):
            ratio = (ratio, ratio)
        return _align_reference(
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
    rois = dynet.Variable(numpy.array(_ROIS))
    indices = numpy.array(_INDICES, numpy.int32)
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
