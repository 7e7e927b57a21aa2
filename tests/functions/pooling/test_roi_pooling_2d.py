import math

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet.utils import type_check


def _bins(start, end, scale, out, limit):
    """Bins of one ROI along one axis (Fast R-CNN): the inclusive ROI
    [round(start * scale), round(end * scale)] (Python's round: half to
    even), at least one pixel long, cut into `out` bins
    [floor(i L / out), ceil((i + 1) L / out)), clipped to the image."""
    s = round(float(start) * scale)
    e = round(float(end) * scale)
    length = max(e - s + 1, 1)
    bins = []
    for i in range(out):
        lo = math.floor(i * length / out) + s
        hi = math.ceil((i + 1) * length / out) + s
        bins.append((min(max(lo, 0), limit), min(max(hi, 0), limit)))
    return bins


def _roi_pooling_reference(x, rois, outh, outw, scale):
    y = numpy.zeros((len(rois), x.shape[1], outh, outw))
    for r, roi in enumerate(rois):
        n = int(roi[0])
        ybins = _bins(roi[2], roi[4], scale, outh, x.shape[2])
        xbins = _bins(roi[1], roi[3], scale, outw, x.shape[3])
        for p, (h0, h1) in enumerate(ybins):
            for q, (w0, w1) in enumerate(xbins):
                for c in range(x.shape[1]):
                    if h1 > h0 and w1 > w0:
                        y[r, c, p, q] = x[n, c, h0:h1, w0:w1].max()
    return y


# (batch_index, x_min, y_min, x_max, y_max) in a (7, 9) image: inside,
# with .5 ties, partly outside, beyond the bottom right, degenerate,
# wholly outside (empty bins give 0).
_ROIS = [[0, 1, 1, 5, 6], [1, 0.5, 2.5, 3.5, 5.5], [0, -2, -3, 4, 3],
         [1, 5, 5, 12, 14], [0, 3, 4, 2, 3], [1, 20, 20, 25, 25],
         [1, 0, 0, 8, 6]]


@testing.parameterize(*testing.product({
    'out': [(3, 2), (2, 4)],
    'spatial_scale': [0.5, 1.0, 1.6],
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestROIPooling2D(testing.FunctionTestCase):

    def setUp(self):
        self.rois = numpy.array(_ROIS, self.dtype)
        if self.dtype == numpy.float16:
            self.check_backward_options = {'atol': 5e-2, 'rtol': 5e-2}
            self.check_double_backward_options = {'atol': 5e-2, 'rtol': 5e-2}

    def generate_inputs(self):
        # Distinct values far apart: the max is differentiable.
        x = numpy.random.permutation(2 * 3 * 7 * 9).reshape(2, 3, 7, 9)
        return (x / 378.).astype(self.dtype),

    def forward(self, inputs, device):
        return F.roi_pooling_2d(
            inputs[0], device.send(self.rois.astype(inputs[0].dtype)),
            self.out[0], self.out[1], self.spatial_scale),

    def forward_expected(self, inputs):
        return _roi_pooling_reference(
            inputs[0].astype(numpy.float64), self.rois, self.out[0],
            self.out[1], self.spatial_scale).astype(self.dtype),


def test_roi_pooling_2d_inclusive_box_and_ties():
    # The box [0, 3] x [0, 4] is inclusive: 4 x 5 pixels, 2 x 2 bins of
    # rows [0, 2), [2, 4) and columns [0, 3), [2, 5). With all values tied
    # the gradient goes to the first pixel of each bin.
    x = dynet.Variable(numpy.zeros((1, 1, 4, 5)))
    rois = dynet.Variable(numpy.array([[0., 0., 0., 4., 3.]]))
    y = F.roi_pooling_2d(x, rois, 2, 2, 1.0)
    y.grad = numpy.ones(y.shape)
    y.backward()
    expected = numpy.zeros((4, 5))
    expected[0, 0] = expected[0, 2] = expected[2, 0] = expected[2, 2] = 1
    numpy.testing.assert_array_equal(x.grad[0, 0], expected)
    assert rois.grad is None


def test_roi_pooling_2d_empty_bins_are_zero():
    x = dynet.Variable(numpy.full((1, 1, 3, 3), -5.0))
    y = F.roi_pooling_2d(x, numpy.array([[0., 4., 4., 6., 6.]]), 2, 2, 1.0)
    numpy.testing.assert_array_equal(y.array, numpy.zeros((1, 1, 2, 2)))
    y.grad = numpy.ones(y.shape)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, numpy.zeros((1, 1, 3, 3)))


def test_roi_pooling_2d_errors():
    x = numpy.zeros((2, 1, 4, 4), numpy.float32)
    rois = numpy.zeros((3, 5), numpy.float32)
    with pytest.raises(type_check.InvalidType, match='dtype.kind == f'):
        F.roi_pooling_2d(x.astype(numpy.int32), rois.astype(numpy.int32), 2,
                         2, 1.)
    with pytest.raises(type_check.InvalidType) as e:
        F.roi_pooling_2d(x, rois[:, :4], 2, 2, 1.)
    assert 'ROIPooling2D' in str(e.value)
    assert 'rois.shape[1] == 5' in str(e.value)
    assert 'rois.shape[1] == 4' in str(e.value)
    with pytest.raises(type_check.InvalidType, match='x.dtype == rois.dtype'):
        F.roi_pooling_2d(x, rois.astype(numpy.float64), 2, 2, 1.)
    with pytest.raises(IndexError, match=r'ROIPooling2D: every ROI batch'):
        F.roi_pooling_2d(x, rois + 2, 2, 2, 1.)
    with pytest.raises(TypeError, match=r'roi_pooling_2d: outsize\[0\]'):
        F.roi_pooling_2d(x, rois, 0, 2, 1.)
    with pytest.raises(TypeError, match='spatial_scale'):
        F.roi_pooling_2d(x, rois, 2, 2, 0)
