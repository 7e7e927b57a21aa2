import math

import numpy
import pytest

import dynet.functions as F
from dynet import testing


def _spp_reference(x, height):
    """Level l: windows [o k - p, o k - p + k) with k = ceil(b / 2^l),
    p = (2^l k - b) // 2, added until the padded image [-p, b + p) is
    covered (cover_all); each window's max (-inf when it holds padding
    only), flattened (C, h, w), all levels concatenated."""
    n, c, H, W = x.shape
    levels = []
    for level in range(height):
        bins = 2 ** level
        ranges = []
        for size in (H, W):
            k = math.ceil(size / bins)
            p = (k * bins - size) // 2
            windows = [(-p, k - p)]
            while windows[-1][1] < size + p:
                windows.append((windows[-1][0] + k, windows[-1][1] + k))
            ranges.append([(max(a, 0), min(b, size)) for a, b in windows])
        out = numpy.full((n, c, len(ranges[0]), len(ranges[1])), -numpy.inf)
        for i, (h0, h1) in enumerate(ranges[0]):
            for j, (w0, w1) in enumerate(ranges[1]):
                if h1 > h0 and w1 > w0:
                    out[:, :, i, j] = x[:, :, h0:h1, w0:w1].max(axis=(2, 3))
        levels.append(out.reshape(n, c * out.shape[2] * out.shape[3]))
    return numpy.concatenate(levels, axis=1)[:, :, None, None]


@testing.parameterize(*testing.product({
    'shape': [(2, 3, 9, 7), (1, 2, 4, 4), (1, 1, 6, 12), (0, 2, 4, 6)],
    'height': [1, 3],
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestSpatialPyramidPooling2D(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            tol = {'atol': 5e-2, 'rtol': 5e-2, 'eps': 1e-4}
        else:
            tol = {'atol': 1e-4, 'rtol': 1e-4}
        self.check_backward_options = tol
        self.check_double_backward_options = tol

    def generate_inputs(self):
        # Distinct values far apart: the max is differentiable.
        size = int(numpy.prod(self.shape))
        x = numpy.random.permutation(size).reshape(self.shape)
        return (x * 0.5 / max(size, 1)).astype(self.dtype),

    def forward(self, inputs, device):
        return F.spatial_pyramid_pooling_2d(inputs[0], self.height, 'max'),

    def forward_expected(self, inputs):
        return _spp_reference(inputs[0], self.height).astype(self.dtype),


def test_spatial_pyramid_pooling_2d_shape():
    x = numpy.random.uniform(size=(2, 3, 16, 11)).astype(numpy.float32)
    y = F.spatial_pyramid_pooling_2d(x, 4, pooling='max')
    assert y.shape == (2, 3 * (1 + 4 + 16 + 64), 1, 1)
    numpy.testing.assert_array_equal(y.array[:, :3, 0, 0],
                                     x.max(axis=(2, 3)))


def test_spatial_pyramid_pooling_2d_window_in_padding():
    # As in Chainer: height 5 at level 2 gives k = 2, p = 1 and a fourth
    # window [5, 7) made of padding only, whose max is -inf.
    x = numpy.random.uniform(size=(1, 1, 5, 4))
    y = F.spatial_pyramid_pooling_2d(x, 3, pooling='max')
    numpy.testing.assert_array_equal(y.array, _spp_reference(x, 3))
    assert numpy.isneginf(y.array).sum() == 4


def test_spatial_pyramid_pooling_2d_errors():
    x = numpy.zeros((1, 1, 4, 4), numpy.float32)
    with pytest.raises(ValueError, match="unsupported pooling None"):
        F.spatial_pyramid_pooling_2d(x, 2)
    with pytest.raises(ValueError, match="unsupported pooling 'average'"):
        F.spatial_pyramid_pooling_2d(x, 2, pooling='average')
    with pytest.raises(ValueError, match='pyramid_height must be a positive'):
        F.spatial_pyramid_pooling_2d(x, 0, pooling='max')
    with pytest.raises(ValueError, match=r'x must have 4 axes'):
        F.spatial_pyramid_pooling_2d(x[0], 2, pooling='max')
