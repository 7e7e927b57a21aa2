"""ROI pooling in the original Fast R-CNN form: ``rois`` rows are
``(batch_index, x_min, y_min, x_max, y_max)``."""
from dynet.function_node import FunctionNode
from dynet.functions.pooling import _roi


class ROIPooling2D(FunctionNode):
    """Max over the bins of each ROI (``roi_pooling_2d``)."""

    def __init__(self, outh, outw, spatial_scale):
        self.outh, self.outw = _roi.check_outsize('roi_pooling_2d',
                                                  (outh, outw))
        self.spatial_scale = _roi.check_spatial_scale('roi_pooling_2d',
                                                      spatial_scale)

    def _check_inputs(self, in_data):
        _roi.check_inputs(self, in_data, 5)

    def forward(self, inputs):
        x, rois = inputs
        _, _, H, W = x.shape
        rois = _roi.to_host(rois).astype('f8')
        batch = _roi.host_batch_indices(self, rois[:, 0], x.shape[0])
        hlo, hhi = _roi.quantized_bins(rois[:, 2], rois[:, 4],
                                       self.spatial_scale, self.outh, H, 1)
        wlo, whi = _roi.quantized_bins(rois[:, 1], rois[:, 3],
                                       self.spatial_scale, self.outw, W, 1)
        y, self.tap_index, self.tap_weight = _roi.quantized_max(
            x, batch, hlo, hhi, wlo, whi, 0)
        return y,

    def backward(self, indexes, grad_outputs):
        gx, = _roi.TapScatter(self.tap_index, self.tap_weight,
                              self.inputs[0].shape).apply(grad_outputs)
        return gx, None


def roi_pooling_2d(x, rois, outh, outw, spatial_scale):
    """Spatial region-of-interest max pooling (Fast R-CNN).

    Each ROI ``(batch_index, x_min, y_min, x_max, y_max)`` is scaled by
    ``spatial_scale`` and rounded to integers (round half to even, as
    Chainer's NumPy code); the inclusive box ``[y_min, y_max] x
    [x_min, x_max]`` (at least 1 x 1) is cut into ``outh x outw`` bins,
    bin ``i`` covering rows ``[floor(i * h / outh), ceil((i + 1) * h /
    outh))`` of it (so bins may overlap by one pixel), clipped to the image.
    Each output is the maximum of its bin, per channel; an empty bin (wholly
    outside the image) gives 0 and no gradient. The gradient of ``x`` goes
    to the first maximum of each bin (row-major order); ``rois`` gets none.
    The batch index is truncated to an int.

    Args:
        x: (N, C, H, W) float array.
        rois: (R, 5) array of ``x``'s dtype.
        outh, outw (int): output height and width.
        spatial_scale (float): factor from ROI to ``x`` coordinates.
    Returns:
        Variable (R, C, outh, outw) of ``x``'s dtype.
    """
    return ROIPooling2D(outh, outw, spatial_scale).apply((x, rois))[0]
