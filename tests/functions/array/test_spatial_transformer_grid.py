"""Tests of F.spatial_transformer_grid."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet.utils import type_check


@testing.parameterize(*testing.product({
    'theta_shape': [(2, 2, 3), (0, 2, 3)],
    'output_shape': [(3, 4), (1, 5), (2, 1)],
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestSpatialTransformerGrid(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 5e-3, 'rtol': 5e-3}
            self.check_backward_options = {'atol': 2e-2, 'rtol': 2e-2}
        else:
            self.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
            self.check_backward_options = {'atol': 1e-5, 'rtol': 1e-5}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        theta = numpy.random.uniform(-1, 1, self.theta_shape)
        return theta.astype(self.dtype),

    def forward(self, inputs, device):
        return F.spatial_transformer_grid(inputs[0], self.output_shape),

    def forward_expected(self, inputs):
        theta = inputs[0].astype(numpy.float64)
        h, w = self.output_shape
        grid = numpy.zeros((len(theta), 2, h, w))
        for i in range(h):
            for j in range(w):
                # linspace(-1, 1, n): -1 when n == 1.
                y_t = -1 + 2 * i / (h - 1) if h > 1 else -1.0
                x_t = -1 + 2 * j / (w - 1) if w > 1 else -1.0
                grid[:, :, i, j] = theta @ numpy.array([x_t, y_t, 1.0])
        return grid.astype(self.dtype),


def test_identity_theta_gives_the_normalized_pixel_grid():
    theta = numpy.array([[[1, 0, 0], [0, 1, 0]]], numpy.float32)
    grid = F.spatial_transformer_grid(theta, (2, 3)).array
    numpy.testing.assert_allclose(grid[0, 0], [[-1, 0, 1], [-1, 0, 1]])
    numpy.testing.assert_allclose(grid[0, 1], [[-1, -1, -1], [1, 1, 1]])


def test_bad_arguments():
    theta = numpy.zeros((1, 2, 3), numpy.float32)
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)SpatialTransformerGrid.*theta.shape\[1:\]'
                             r' == \(2, 3\).*\(1, 3, 3\)'):
        F.spatial_transformer_grid(numpy.zeros((1, 3, 3), numpy.float32),
                                   (2, 2))
    with pytest.raises(type_check.InvalidType, match='theta.dtype.kind'):
        F.spatial_transformer_grid(theta.astype(numpy.int32), (2, 2))
    with pytest.raises(ValueError, match='output_shape must be a pair'):
        F.spatial_transformer_grid(theta, (2, 2, 2))
    with pytest.raises(ValueError, match='use_cudnn'):
        F.spatial_transformer_grid(theta, (2, 2), use_cudnn=True)
    with pytest.raises(TypeError, match='unexpected keyword'):
        F.spatial_transformer_grid(theta, (2, 2), foo=1)
