"""ROI max align: the maximum of bilinearly interpolated samples per bin;
``rois`` rows are ``(y_min, x_min, y_max, x_max)``."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions.pooling import _roi

_TAPS = ((0, 0), (0, 1), (1, 0), (1, 1))


class ROIMaxAlign2D(FunctionNode):
    """Max of the bilinear samples of each ROI bin (``roi_max_align_2d``).
    """

    def __init__(self, outsize, spatial_scale, sampling_ratio=None):
        name = 'roi_max_align_2d'
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
        batch = _roi.host_batch_indices(self, roi_indices, x.shape[0])
        R = rois.shape[0]
        y = xp.empty((R, C, outh, outw), x.dtype)
        index = xp.zeros((R, C, outh, outw, 4), numpy.int64)
        weight = xp.zeros((R, C, outh, outw, 4), numpy.float64)
        channel = xp.arange(C, dtype=numpy.int64)[:, None, None]
        ph = xp.arange(outh)[:, None]
        pw = xp.arange(outw)[None, :]
        for r in range(R):
            n = int(batch[r])
            gh, vy, iy, wy = _roi.align_axis(
                rois[r, 0], rois[r, 2], self.spatial_scale, outh,
                self.sampling_ratio[0], H)
            gw, vx, ix, wx = _roi.align_axis(
                rois[r, 1], rois[r, 3], self.spatial_scale, outw,
                self.sampling_ratio[1], W)
            s = _roi.align_samples(x[n], iy, wy, ix, wx)
            valid = xp.asarray(vy[:, None] & vx[None, :])
            s = xp.where(valid, s, -numpy.inf)
            s = s.reshape(C, outh, gh, outw, gw).transpose(0, 1, 3, 2, 4)
            s = s.reshape(C, outh, outw, gh * gw)
            k = s.argmax(axis=3)
            m = xp.take_along_axis(s, k[..., None], axis=3)[..., 0]
            y[r] = m
            # As Chainer, only a sample strictly above -inf wins; no
            # winner means no gradient.
            won = m > -numpy.inf
            k = xp.where(won, k, 0)
            rows = ph * gh + k // gw
            cols = pw * gw + k % gw
            iy, wy, ix, wx = (xp.asarray(v) for v in (iy, wy, ix, wx))
            for t, (a, b) in enumerate(_TAPS):
                index[r, ..., t] = ((n * C + channel) * H + iy[rows, a]) \
                    * W + ix[cols, b]
                weight[r, ..., t] = xp.where(won, wy[rows, a] * wx[cols, b],
                                             0.0)
        self.tap_index, self.tap_weight = index, weight
        return y,

    def backward(self, indexes, grad_outputs):
        gx, = _roi.TapScatter(self.tap_index, self.tap_weight,
                              self.inputs[0].shape).apply(grad_outputs)
        return gx, None, None


def roi_max_align_2d(x, rois, roi_indices, outsize, spatial_scale,
                     sampling_ratio=None):
    """Spatial region-of-interest max align (Mask R-CNN's ROIAlign with a
    max).

    The ROI ``(y_min, x_min, y_max, x_max)`` is scaled by ``spatial_scale``
    without rounding; its height ``h = max(y_max - y_min, 1)`` (width alike)
    is cut into ``outh`` bins of size ``h / outh``, each holding
    ``g_h = sampling_ratio_h or ceil(h / outh)`` sample rows at
    ``y_min + i * h / outh + (j + 0.5) * h / outh / g_h`` (columns alike).
    A sample outside ``[-1, H] x [-1, W]`` is skipped; otherwise it is
    clamped into the image and bilinearly interpolated from its four
    neighbours. Each output is the maximum of its bin's samples (``-inf``
    when all are skipped); its gradient goes, with the bilinear weights, to
    the four neighbours of the first maximal sample. ``rois`` and
    ``roi_indices`` get no gradient. Positions are computed in float64, as
    Chainer's NumPy code does.

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
    return ROIMaxAlign2D(outsize, spatial_scale, sampling_ratio).apply(
        (x, rois, roi_indices))[0]
