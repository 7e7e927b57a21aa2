"""ROI average align (Mask R-CNN's ROIAlign); ``rois`` rows are
``(y_min, x_min, y_max, x_max)``."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions.pooling import _roi


class ROIAverageAlign2D(FunctionNode):
    """Mean of the bilinear samples of each ROI bin
    (``roi_average_align_2d``)."""

    def __init__(self, outsize, spatial_scale, sampling_ratio=None):
        name = 'roi_average_align_2d'
        self.outh, self.outw = _roi.check_outsize(name, outsize)
        self.spatial_scale = _roi.check_spatial_scale(name, spatial_scale)
        self.sampling_ratio = _roi.check_sampling_ratio(name, sampling_ratio)

    def _check_inputs(self, in_data):
        _roi.check_inputs(self, in_data, 4)

    def forward(self, inputs):
        x, rois, roi_indices = inputs
        xp = backend.get_array_module(x)
        _, C, H, W = x.shape
        outh, outw = self.outh, self.outw
        rois = _roi.to_host(rois).astype(numpy.float64)
        self.batch = _roi.host_batch_indices(self, roi_indices, x.shape[0])
        R = rois.shape[0]
        y = xp.empty((R, C, outh, outw), x.dtype)
        self.a = numpy.zeros((R, outh, H))
        self.b = numpy.zeros((R, outw, W))
        for r in range(R):
            n = int(self.batch[r])
            gh, _, iy, wy = _roi.align_axis(
                rois[r, 0], rois[r, 2], self.spatial_scale, outh,
                self.sampling_ratio[0], H)
            gw, _, ix, wx = _roi.align_axis(
                rois[r, 1], rois[r, 3], self.spatial_scale, outw,
                self.sampling_ratio[1], W)
            # Skipped samples have zero weights: they add 0 but still count.
            s = _roi.align_samples(x[n], iy, wy, ix, wx)
            y[r] = s.reshape(C, outh, gh, outw, gw).sum(axis=(2, 4)) / (
                gh * gw)
            self.a[r] = _roi.separable_weights(iy, wy, outh, gh, H)
            self.b[r] = _roi.separable_weights(ix, wx, outw, gw, W)
        return y,

    def backward(self, indexes, grad_outputs):
        gx, = _roi.SeparableROIGrad(self.a, self.b, self.batch,
                                    self.inputs[0].shape).apply(grad_outputs)
        return gx, None, None


def roi_average_align_2d(x, rois, roi_indices, outsize, spatial_scale,
                         sampling_ratio=None):
    """Spatial region-of-interest average align (Mask R-CNN's ROIAlign).

    The ROI ``(y_min, x_min, y_max, x_max)`` is scaled by ``spatial_scale``
    without rounding; its height ``h = max(y_max - y_min, 1)`` (width alike)
    is cut into ``outh`` bins of size ``h / outh``, each holding
    ``g_h = sampling_ratio_h or ceil(h / outh)`` sample rows at
    ``y_min + i * h / outh + (j + 0.5) * h / outh / g_h`` (columns alike).
    A sample outside ``[-1, H] x [-1, W]`` contributes 0; otherwise it is
    clamped into the image and bilinearly interpolated from its four
    neighbours. Each output is the sum of its bin's samples divided by
    ``g_h * g_w`` (skipped samples included in the count). The gradient of
    ``x`` is the adjoint (a linear map); ``rois`` and ``roi_indices`` get
    none. Positions are computed in float64, as Chainer's NumPy code does.

    Args:
        x: (N, C, H, W) float array.
        rois: (R, 4) array of ``x``'s dtype.
        roi_indices: (R,) int32 array, the image of each ROI.
        outsize (int or (int, int)): output (height, width).
        spatial_scale (float): factor from ROI to ``x`` coordinates.
        sampling_ratio (None, int or pair): samples per bin along each axis
            (None: ``ceil`` of the bin size).
    Returns:
        Variable (R, C, outh, outw) of ``x``'s dtype.
    """
    return ROIAverageAlign2D(outsize, spatial_scale, sampling_ratio).apply(
        (x, rois, roi_indices))[0]
