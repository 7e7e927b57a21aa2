import math

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet.utils import type_check


def _bins(start, end, scale, out, limit):
    """Bins of one ROI along one axis: the ROI [round(start * scale),
    round(end * scale)) (Python's round: half to even), at least one pixel
    long, cut into `out` bins [floor(i L / out), ceil((i + 1) L / out)),
    clipped to the image."""
    s = round(float(start) * scale)
    e = round(float(end) * scale)
    length = max(e - s, 1)
    bins = []
    for i in range(out):
        lo = math.floor(i * length / out) + s
        hi = math.ceil((i + 1) * length / out) + s
        bins.append((min(max(lo, 0), limit), min(max(hi, 0), limit)))
    return bins


def _roi_average_reference(x, rois, indices, outsize, scale):
    outh, outw = outsize
    y = numpy.zeros((len(rois), x.shape[1], outh, outw))
    for r, (roi, n) in enumerate(zip(rois, indices)):
        ybins = _bins(roi[0], roi[2], scale, outh, x.shape[2])
        xbins = _bins(roi[1], roi[3], scale, outw, x.shape[3])
        for p, (h0, h1) in enumerate(ybins):
            for q, (w0, w1) in enumerate(xbins):
                for c in range(x.shape[1]):
                    if h1 > h0 and w1 > w0:
                        total = 0.0
                        for h in range(h0, h1):
                            for w in range(w0, w1):
                                total += float(x[n, c, h, w])
                        y[r, c, p, q] = total / ((h1 - h0) * (w1 - w0))
    return y


# (y_min, x_min, y_max, x_max) in a (7, 9) image: inside, with .5 ties,
# partly outside, beyond the bottom right, degenerate, wholly outside.
_ROIS = [[1, 1, 6, 5], [2.5, 0.5, 5.5, 3.5], [-3, -2, 3, 4], [5, 5, 14, 12],
         [4, 3, 3, 2], [20, 20, 25, 25], [0, 0, 7, 9]]
_INDICES = [0, 1, 0, 1, 0, 1, 1]

_TOL = {numpy.float16: {'atol': 2e-3, 'rtol': 2e-3},
        numpy.float32: {'atol': 1e-6, 'rtol': 1e-6},
        numpy.float64: {'atol': 1e-12, 'rtol': 1e-12}}
_GRAD_TOL = {numpy.float16: {'atol': 2e-2, 'rtol': 2e-2},
             numpy.float32: {'atol': 1e-3, 'rtol': 1e-3},
             numpy.float64: {'atol': 1e-6, 'rtol': 1e-6}}


@testing.parameterize(*testing.product({
    'outsize': [(3, 2), 4],
    'spatial_scale': [0.5, 1.0, 1.6],
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestROIAveragePooling2D(testing.FunctionTestCase):

    def setUp(self):
        self.rois = numpy.array(_ROIS, self.dtype)
        self.roi_indices = numpy.array(_INDICES, numpy.int32)
        self.check_forward_options = _TOL[self.dtype]
        self.check_backward_options = _GRAD_TOL[self.dtype]
        self.check_double_backward_options = _GRAD_TOL[self.dtype]

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (2, 3, 7, 9)).astype(self.dtype),

    def forward(self, inputs, device):
        return F.roi_average_pooling_2d(
            inputs[0], device.send(self.rois.astype(inputs[0].dtype)),
            device.send(self.roi_indices), self.outsize,
            self.spatial_scale),

    def forward_expected(self, inputs):
        outsize = self.outsize if isinstance(self.outsize, tuple) else \
            (self.outsize, self.outsize)
        return _roi_average_reference(
            inputs[0], self.rois, self.roi_indices, outsize,
            self.spatial_scale).astype(self.dtype),


def test_roi_average_pooling_2d_gradient_spreads_evenly():
    x = dynet.Variable(numpy.zeros((1, 1, 3, 4)))
    rois = dynet.Variable(numpy.array([[0., 0., 3., 4.]]))
    # One bin of 3 x 4 pixels and one of 3 x 2 (outsize (1, 2)).
    y = F.roi_average_pooling_2d(x, rois, numpy.zeros(1, numpy.int32),
                                 (1, 2), 1.0)
    y.grad = numpy.array([[[[12., 6.]]]])
    y.backward()
    numpy.testing.assert_allclose(
        x.grad[0, 0], [[2, 2, 1, 1]] * 3)
    assert rois.grad is None


def test_roi_average_pooling_2d_no_rois():
    x = numpy.ones((2, 3, 4, 4), numpy.float16)
    y = F.roi_average_pooling_2d(x, numpy.zeros((0, 4), numpy.float16),
                                 numpy.zeros(0, numpy.int32), 2, 1.0)
    assert y.shape == (0, 3, 2, 2) and y.dtype == numpy.float16


def test_roi_average_pooling_2d_errors():
    x = numpy.zeros((2, 1, 4, 4), numpy.float32)
    rois = numpy.zeros((3, 4), numpy.float32)
    indices = numpy.zeros(3, numpy.int32)
    f = F.roi_average_pooling_2d
    with pytest.raises(type_check.InvalidType, match='dtype.kind == f'):
        f(x.astype(numpy.int32), rois.astype(numpy.int32), indices, 2, 1.)
    with pytest.raises(type_check.InvalidType) as e:
        f(x, rois.astype(numpy.float16), indices, 2, 1.)
    assert 'ROIAveragePooling2D' in str(e.value)
    with pytest.raises(type_check.InvalidType, match=r'rois.shape\[1\] == 4'):
        f(x, numpy.zeros((3, 5), numpy.float32), indices, 2, 1.)
    with pytest.raises(type_check.InvalidType, match='roi_indices.dtype'):
        f(x, rois, indices.astype(numpy.int64), 2, 1.)
    with pytest.raises(IndexError, match='batch index'):
        f(x, rois, numpy.array([0, -1, 1], numpy.int32), 2, 1.)
    with pytest.raises(TypeError, match=r'roi_average_pooling_2d: outsize'):
        f(x, rois, indices, 2.5, 1.)
    with pytest.raises(TypeError, match='spatial_scale'):
        f(x, rois, indices, 2, 'a')
