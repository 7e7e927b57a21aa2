"""Tests of F.spatial_transformer_sampler."""
import math

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check


def _sampler_reference(x, grid):
    """Bilinear interpolation, pixel by pixel, of the zero-extended
    image."""
    x = x.astype(numpy.float64)
    grid = grid.astype(numpy.float64)
    n, c, h, w = x.shape
    y = numpy.zeros((n, c) + grid.shape[2:])

    def pixel(b, r, s):
        if 0 <= r < h and 0 <= s < w:
            return x[b, :, r, s]
        return numpy.zeros(c)

    for b in range(n):
        for i in range(grid.shape[2]):
            for j in range(grid.shape[3]):
                u = (grid[b, 0, i, j] + 1) * (w - 1) / 2
                v = (grid[b, 1, i, j] + 1) * (h - 1) / 2
                u0, v0 = math.floor(u), math.floor(v)
                fu, fv = u - u0, v - v0
                y[b, :, i, j] = (
                    (1 - fu) * (1 - fv) * pixel(b, v0, u0) +
                    fu * (1 - fv) * pixel(b, v0, u0 + 1) +
                    (1 - fu) * fv * pixel(b, v0 + 1, u0) +
                    fu * fv * pixel(b, v0 + 1, u0 + 1))
    return y


def _grid_away_from_kinks(n, h, w, out_shape, dtype):
    """Points at pixel coordinates k + f with f in [0.15, 0.85] (the
    interpolation is not differentiable at whole pixels), from two pixels
    before the image to two after, in normalized coordinates."""
    def coordinate(size):
        base = numpy.random.randint(-2, size + 1, (n,) + out_shape)
        pixel = base + numpy.random.uniform(0.15, 0.85, base.shape)
        return pixel * 2 / (size - 1) - 1
    grid = numpy.stack([coordinate(w), coordinate(h)], axis=1)
    return grid.astype(dtype)


@testing.parameterize(*testing.product({
    'shapes': [((2, 3, 4, 5), (3, 2)), ((1, 2, 3, 3), (4, 4)),
               ((0, 2, 3, 4), (2, 2))],
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
@testing.fix_random()
class TestSpatialTransformerSampler(testing.FunctionTestCase):

    skip_double_backward_test = True  # not supported, as in Chainer

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 5e-3, 'rtol': 5e-3}
            self.check_backward_options = {'atol': 5e-2, 'rtol': 5e-2,
                                           'eps': 1e-3}
        else:
            self.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
            self.check_backward_options = {'atol': 1e-5, 'rtol': 1e-5,
                                           'eps': 1e-4}

    def generate_inputs(self):
        x_shape, out_shape = self.shapes
        n, _, h, w = x_shape
        x = numpy.random.uniform(-1, 1, x_shape).astype(self.dtype)
        return x, _grid_away_from_kinks(n, h, w, out_shape, self.dtype)

    def forward(self, inputs, device):
        return F.spatial_transformer_sampler(*inputs),

    def forward_expected(self, inputs):
        return _sampler_reference(*inputs).astype(self.dtype),


def test_corners_and_centre_of_the_image():
    x = numpy.arange(6, dtype=numpy.float32).reshape(1, 1, 2, 3)
    grid = numpy.array([[[[-1, 1, 0]], [[-1, 1, 0]]]], numpy.float32)
    y = F.spatial_transformer_sampler(x, grid).array
    numpy.testing.assert_allclose(y[0, 0, 0], [0, 5, 2.5])


def test_far_outside_is_zero_with_zero_gradient():
    x = Variable(numpy.ones((1, 1, 3, 3), numpy.float32))
    grid = Variable(numpy.full((1, 2, 1, 2), 3.0, numpy.float32))
    y = F.spatial_transformer_sampler(x, grid)
    numpy.testing.assert_array_equal(y.array, 0)
    F.sum(y).backward()
    numpy.testing.assert_array_equal(grid.grad, 0)
    numpy.testing.assert_array_equal(x.grad, 0)


def test_half_a_pixel_outside_blends_with_zero():
    # Pixel coordinate -0.5 is halfway between the zero border and the
    # first column; the derivative along u is x[first column] / 2 * (w-1).
    x = Variable(numpy.full((1, 1, 3, 3), 2.0, numpy.float32))
    u = -0.5 * 2 / 2 - 1  # pixel -0.5 of a width-3 image
    grid = Variable(numpy.array([[[[u]], [[0.0]]]], numpy.float32))
    y = F.spatial_transformer_sampler(x, grid)
    numpy.testing.assert_allclose(y.array, [[[[1.0]]]])
    y.backward()
    numpy.testing.assert_allclose(grid.grad[0, :, 0, 0], [2.0, 0.0])


def test_double_backprop_is_an_error():
    x = Variable(numpy.ones((1, 1, 3, 3), numpy.float32))
    grid = Variable(numpy.full((1, 2, 1, 1), 0.3, numpy.float32))
    y = F.spatial_transformer_sampler(x, grid)
    gx, = dynet.grad([y], [x], enable_double_backprop=True)
    with pytest.raises(RuntimeError, match='double backpropagation'):
        F.sum(gx * gx).backward()


def test_bad_arguments():
    x = numpy.zeros((2, 1, 3, 3), numpy.float32)
    grid = numpy.zeros((2, 2, 2, 2), numpy.float32)
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)SpatialTransformerSampler.*x.shape\[0\] '
                             r'== grid.shape\[0\].*2 != 1'):
        F.spatial_transformer_sampler(x, grid[:1])
    with pytest.raises(type_check.InvalidType, match=r'grid.shape\[1\] == 2'):
        F.spatial_transformer_sampler(x, grid[:, :1])
    with pytest.raises(type_check.InvalidType, match='float32 != float64'):
        F.spatial_transformer_sampler(x, grid.astype(numpy.float64))
    with pytest.raises(ValueError, match='use_cudnn'):
        F.spatial_transformer_sampler(x, grid, use_cudnn=False)
