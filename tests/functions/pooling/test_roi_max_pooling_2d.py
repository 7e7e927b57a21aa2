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


def _roi_max_reference(x, rois, indices, outsize, scale):
    outh, outw = outsize
    y = numpy.empty((len(rois), x.shape[1], outh, outw))
    for r, (roi, n) in enumerate(zip(rois, indices)):
        ybins = _bins(roi[0], roi[2], scale, outh, x.shape[2])
        xbins = _bins(roi[1], roi[3], scale, outw, x.shape[3])
        for p, (h0, h1) in enumerate(ybins):
            for q, (w0, w1) in enumerate(xbins):
                for c in range(x.shape[1]):
                    if h1 > h0 and w1 > w0:
                        y[r, c, p, q] = x[n, c, h0:h1, w0:w1].max()
                    else:
                        y[r, c, p, q] = -numpy.inf
    return y


# (y_min, x_min, y_max, x_max) of an (8, 7) image; 'inside' ROIs stay in
# the image at every scale tested (no empty bin), 'edge' ones do not.
_ROIS = {
    'inside': ([[0, 0, 4, 3], [1.2, 0.5, 3.9, 3.1], [2, 1, 2, 1],
                [0.5, 2.5, 4.5, 3.5]], [0, 1, 1, 0]),
    'edge': ([[1, 1, 6, 5], [2.5, 0.5, 5.5, 3.5], [-3, -2, 3, 4],
              [5, 5, 14, 12], [4, 3, 3, 2], [20, 20, 25, 25]],
             [0, 1, 0, 1, 0, 1]),
}


@testing.parameterize(*testing.product({
    'rois_kind': ['inside', 'edge'],
    'outsize': [(3, 2), 2],
    'spatial_scale': [0.5, 1.0, 1.6],
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestROIMaxPooling2D(testing.FunctionTestCase):

    def setUp(self):
        rois, indices = _ROIS[self.rois_kind]
        self.rois = numpy.array(rois, self.dtype)
        self.roi_indices = numpy.array(indices, numpy.int32)
        if self.rois_kind == 'edge':
            # Empty bins give -inf: no numerical gradient there.
            self.skip_backward_test = True
            self.skip_double_backward_test = True
        if self.dtype == numpy.float16:
            self.check_backward_options = {'atol': 5e-2, 'rtol': 5e-2}
            self.check_double_backward_options = {'atol': 5e-2, 'rtol': 5e-2}

    def generate_inputs(self):
        # Distinct values far apart: the max is differentiable.
        x = numpy.random.permutation(2 * 3 * 8 * 7).reshape(2, 3, 8, 7)
        return (x / 336.).astype(self.dtype),

    def forward(self, inputs, device):
        return F.roi_max_pooling_2d(
            inputs[0], device.send(self.rois.astype(inputs[0].dtype)),
            device.send(self.roi_indices), self.outsize,
            self.spatial_scale),

    def forward_expected(self, inputs):
        outsize = self.outsize if isinstance(self.outsize, tuple) else \
            (self.outsize, self.outsize)
        return _roi_max_reference(
            inputs[0].astype(numpy.float64), self.rois, self.roi_indices,
            outsize, self.spatial_scale).astype(self.dtype),


def test_roi_max_pooling_2d_rounds_half_to_even():
    # 2.5 and 3.5 round to 2 and 4: the ROI covers rows 2 and 3.
    x = numpy.arange(8, dtype=numpy.float32).reshape(1, 1, 8, 1) * 10
    rois = numpy.array([[2.5, 0, 3.5, 1]], numpy.float32)
    y = F.roi_max_pooling_2d(x, rois, numpy.zeros(1, numpy.int32), (2, 1),
                             1.0)
    numpy.testing.assert_array_equal(y.array.ravel(), [20, 30])


def test_roi_max_pooling_2d_ties_and_gradient():
    # All values tie: each bin's gradient goes to its first element in
    # row-major order; overlapping bins add up; rois get no gradient.
    x = dynet.Variable(numpy.zeros((1, 1, 4, 5)))
    rois = dynet.Variable(numpy.array([[0., 0., 4., 5.], [1., 1., 3., 2.]]))
    y = F.roi_max_pooling_2d(x, rois, numpy.zeros(2, numpy.int32), 2, 1.0)
    y.grad = numpy.ones(y.shape)
    y.backward()
    expected = numpy.zeros((4, 5))
    expected[0, 0] = expected[0, 2] = expected[2, 0] = expected[2, 2] = 1
    # [1, 3) x [1, 2) -> rows 1 and 2, column 1: bins (1, 1), (1, 1),
    # (2, 1), (2, 1).
    expected[1, 1] += 2
    expected[2, 1] += 2
    numpy.testing.assert_array_equal(x.grad[0, 0], expected)
    assert rois.grad is None


def test_roi_max_pooling_2d_empty_bins():
    x = numpy.ones((1, 2, 3, 3), numpy.float32)
    rois = numpy.array([[5, 5, 9, 9]], numpy.float32)
    xv = dynet.Variable(x)
    y = F.roi_max_pooling_2d(xv, rois, numpy.zeros(1, numpy.int32), 2, 1.0)
    assert numpy.isneginf(y.array).all()
    y.grad = numpy.ones(y.shape, numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(xv.grad, numpy.zeros_like(x))


def test_roi_max_pooling_2d_no_rois():
    x = numpy.ones((2, 3, 4, 4), numpy.float32)
    y = F.roi_max_pooling_2d(x, numpy.zeros((0, 4), numpy.float32),
                             numpy.zeros(0, numpy.int32), (2, 3), 1.0)
    assert y.shape == (0, 3, 2, 3) and y.dtype == numpy.float32


def test_roi_max_pooling_2d_errors():
    x = numpy.zeros((2, 1, 4, 4), numpy.float32)
    rois = numpy.zeros((3, 4), numpy.float32)
    indices = numpy.zeros(3, numpy.int32)
    f = F.roi_max_pooling_2d
    with pytest.raises(type_check.InvalidType, match='dtype.kind == f'):
        f(x.astype(numpy.int32), rois.astype(numpy.int32), indices, 2, 1.)
    with pytest.raises(type_check.InvalidType) as e:
        f(x, rois.astype(numpy.float64), indices, 2, 1.)
    assert 'ROIMaxPooling2D' in str(e.value) and 'float32' in str(e.value)
    with pytest.raises(type_check.InvalidType, match=r'rois.shape\[1\] == 4'):
        f(x, numpy.zeros((3, 5), numpy.float32), indices, 2, 1.)
    with pytest.raises(type_check.InvalidType, match='int32'):
        f(x, rois, indices.astype(numpy.int64), 2, 1.)
    with pytest.raises(type_check.InvalidType, match='3 != 2'):
        f(x, rois, indices[:2], 2, 1.)
    with pytest.raises(type_check.InvalidType, match='x.ndim == 4'):
        f(x[0], rois, indices, 2, 1.)
    with pytest.raises(IndexError, match=r'ROIMaxPooling2D: every ROI batch '
                                         r'index must be in \[0, 2\)'):
        f(x, rois, numpy.array([0, 2, 1], numpy.int32), 2, 1.)
    with pytest.raises(TypeError, match=r'roi_max_pooling_2d: outsize\[1\] '
                                        r'must be a positive integer'):
        f(x, rois, indices, (2, 0), 1.)
    with pytest.raises(TypeError, match='spatial_scale must be a positive'):
        f(x, rois, indices, 2, -1.)
