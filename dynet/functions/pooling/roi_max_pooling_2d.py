"""ROI max pooling; ``rois`` rows are ``(y_min, x_min, y_max, x_max)``."""
from dynet.function_node import FunctionNode
from dynet.functions.pooling import _roi


class ROIMaxPooling2D(FunctionNode):
    """Max over the bins of each ROI (``roi_max_pooling_2d``)."""

    def __init__(self, outsize, spatial_scale):
        self.outh, self.outw = _roi.check_outsize('roi_max_pooling_2d',
                                                  outsize)
        self.spatial_scale = _roi.check_spatial_scale('roi_max_pooling_2d',
                                                      spatial_scale)

    def _check_inputs(self, in_data):
        _roi.check_inputs(self, in_data, 4)

    def forward(self, inputs):
        x, rois, roi_indices = inputs
        _, _, H, W = x.shape
        rois = _roi.to_host(rois).astype('f8')
        batch = _roi.host_batch_indices(self, roi_indices, x.shape[0])
        hlo, hhi = _roi.quantized_bins(rois[:, 0], rois[:, 2],
                                       self.spatial_scale, self.outh, H, 0)
        wlo, whi = _roi.quantized_bins(rois[:, 1], rois[:, 3],
                                       self.spatial_scale, self.outw, W, 0)
        y, self.tap_index, self.tap_weight = _roi.quantized_max(
            x, batch, hlo, hhi, wlo, whi, -float('inf'))
        return y,

    def backward(self, indexes, grad_outputs):
        gx, = _roi.TapScatter(self.tap_index, self.tap_weight,
                              self.inputs[0].shape).apply(grad_outputs)
        return gx, None, None


def roi_max_pooling_2d(x, rois, roi_indices, outsize, spatial_scale):
    """Spatial region-of-interest max pooling.

    Each ROI ``(y_min, x_min, y_max, x_max)`` is scaled by
    ``spatial_scale`` and rounded to integers (round half to even, as
    Chainer's NumPy code); the box of height ``max(y_max - y_min, 1)`` and
    width ``max(x_max - x_min, 1)`` starting at ``(y_min, x_min)`` is cut
    into ``outh x outw`` bins, bin ``i`` covering rows
    ``[floor(i * h / outh), ceil((i + 1) * h / outh))`` of it, clipped to the
    image. Each output is the maximum of its bin, per channel; an empty bin
    gives ``-inf`` and no gradient. The gradient of ``x`` goes to the first
    maximum of each bin (row-major order); ``rois`` and ``roi_indices`` get
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
    return ROIMaxPooling2D(outsize, spatial_scale).apply(
        (x, rois, roi_indices))[0]
