"""ROI average pooling; ``rois`` rows are ``(y_min, x_min, y_max, x_max)``.
"""
from dynet.function_node import FunctionNode
from dynet.functions.pooling import _roi


class ROIAveragePooling2D(FunctionNode):
    """Average over the bins of each ROI (``roi_average_pooling_2d``)."""

    def __init__(self, outsize, spatial_scale):
        self.outh, self.outw = _roi.check_outsize('roi_average_pooling_2d',
                                                  outsize)
        self.spatial_scale = _roi.check_spatial_scale(
            'roi_average_pooling_2d', spatial_scale)

    def _check_inputs(self, in_data):
        _roi.check_inputs(self, in_data, 4)

    def forward(self, inputs):
        x, rois, roi_indices = inputs
        _, _, H, W = x.shape
        rois = _roi.to_host(rois).astype('f8')
        self.batch = _roi.host_batch_indices(self, roi_indices, x.shape[0])
        hlo, hhi = _roi.quantized_bins(rois[:, 0], rois[:, 2],
                                       self.spatial_scale, self.outh, H, 0)
        wlo, whi = _roi.quantized_bins(rois[:, 1], rois[:, 3],
                                       self.spatial_scale, self.outw, W, 0)
        y, self.a, self.b = _roi.quantized_average(x, self.batch, hlo, hhi,
                                                   wlo, whi)
        return y,

    def backward(self, indexes, grad_outputs):
        gx, = _roi.SeparableROIGrad(self.a, self.b, self.batch,
                                    self.inputs[0].shape).apply(grad_outputs)
        return gx, None, None


def roi_average_pooling_2d(x, rois, roi_indices, outsize, spatial_scale):
    """Spatial region-of-interest average pooling.

    The bins are those of ``roi_max_pooling_2d`` (ROI ``(y_min, x_min,
    y_max, x_max)`` scaled and rounded half to even, size at least 1 x 1,
    bin ``i`` covering ``[floor(i * h / outh), ceil((i + 1) * h / outh))``
    of it, clipped to the image); each output is the mean of its bin, per
    channel, and 0 for an empty bin. The gradient of ``x`` spreads each
    output's gradient evenly over its bin; ``rois`` and ``roi_indices`` get
    none.

    Args:
        x: (N, C, H, W) float array.
        rois: (R, 4) array of ``x``'s dtype.
        roi_indices: (R,) int32 array, the image of each ROI.
        outsize (int or (int, int)): output (height, width).
        spatial_scale (float): factor from ROI to ``x`` coordinates.
    Returns:
        Variable (R, C, outh, outw) of ``x``'s dtype.
    """
    return ROIAveragePooling2D(outsize, spatial_scale).apply(
        (x, rois, roi_indices))[0]
