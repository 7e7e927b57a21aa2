"""Tests of F.resize_images."""
import math

import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.testing import backend
from dynet.testing import function_link
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _source(i, out_size, in_size, mode, align_corners):
    """The (fractional) input coordinate sampled by output pixel ``i``."""
    if mode == 'nearest':
        return min(math.floor(i * in_size / out_size), in_size - 1)
    if align_corners:
        return i * (in_size - 1) / (out_size - 1) if out_size > 1 else 0.0
    return max((i + 0.5) * in_size / out_size - 0.5, 0.0)


def _reference_resize(x, out_shape, mode, align_corners):
    n, c, h, w = x.shape
    out_h, out_w = out_shape
    x = x.astype(numpy.float64)
    y = numpy.zeros((n, c, out_h, out_w))
    for i in range(out_h):
        sy = _source(i, out_h, h, mode, align_corners)
        y0 = int(math.floor(sy))
        y1 = min(y0 + 1, h - 1)
        wy = sy - y0
        for j in range(out_w):
            sx = _source(j, out_w, w, mode, align_corners)
            x0 = int(math.floor(sx))
            x1 = min(x0 + 1, w - 1)
            wx = sx - x0
            y[:, :, i, j] = ((1 - wy) * (1 - wx) * x[:, :, y0, x0] +
                             (1 - wy) * wx * x[:, :, y0, x1] +
                             wy * (1 - wx) * x[:, :, y1, x0] +
                             wy * wx * x[:, :, y1, x1])
    return y


@testing.parameterize(*testing.product({
    'shapes': [((2, 3, 4, 5), (6, 3)), ((0, 2, 3, 3), (2, 2)),
               ((1, 2, 1, 4), (3, 1)), ((1, 1, 4, 4), (1, 1)),
               ((1, 2, 2, 3), (5, 7))],
    'mode': ['bilinear', 'nearest'],
    'align_corners': [True, False],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestResizeImages(function_link.FunctionTestCase):

    def setUp(self):
        self.in_shape, self.out_shape = self.shapes
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 1e-3, 'rtol': 1e-3}
            self.check_backward_options = {'atol': 5e-3, 'rtol': 5e-3}
        elif self.dtype == numpy.float32:
            self.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
            self.check_backward_options = {'atol': 1e-5, 'rtol': 1e-5}
        else:
            self.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
            self.check_backward_options = {'atol': 1e-9, 'rtol': 1e-9}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.in_shape).astype(
            self.dtype),

    def forward(self, inputs, device):
        return F.resize_images(inputs[0], self.out_shape, mode=self.mode,
                               align_corners=self.align_corners),

    def forward_expected(self, inputs):
        return _reference_resize(inputs[0], self.out_shape, self.mode,
                                 self.align_corners).astype(self.dtype),


def test_resize_images_align_corners_keeps_the_corners():
    x = numpy.arange(6, dtype=numpy.float32).reshape(1, 1, 2, 3)
    y = F.resize_images(x, (3, 5)).array[0, 0]
    numpy.testing.assert_allclose(y, [[0, 0.5, 1, 1.5, 2],
                                      [1.5, 2, 2.5, 3, 3.5],
                                      [3, 3.5, 4, 4.5, 5]])


def test_resize_images_without_align_corners_as_opencv():
    # Half-pixel centres: doubling [0, 1] gives [0, 0.25, 0.75, 1].
    x = numpy.array([[[[0.0, 1.0]]]], numpy.float32)
    y = F.resize_images(x, (1, 4), align_corners=False)
    numpy.testing.assert_allclose(y.array[0, 0, 0], [0, 0.25, 0.75, 1])


def test_resize_images_nearest():
    x = numpy.arange(4, dtype=numpy.float32).reshape(1, 1, 1, 4)
    y = F.resize_images(x, (2, 2), mode='nearest')
    numpy.testing.assert_array_equal(y.array[0, 0], [[0, 2], [0, 2]])
    y = F.resize_images(x, (1, 8), mode='nearest')
    numpy.testing.assert_array_equal(y.array[0, 0, 0],
                                     [0, 0, 1, 1, 2, 2, 3, 3])


def test_resize_images_gradient_follows_the_weights():
    x = Variable(numpy.zeros((1, 1, 1, 2)))
    y = F.resize_images(x, (1, 3))  # samples 0, 0.5, 1
    y.grad = numpy.array([[[[1.0, 2.0, 4.0]]]])
    y.backward()
    numpy.testing.assert_allclose(x.grad[0, 0, 0], [1 + 1, 1 + 4])


def test_resize_images_mode_and_align_corners_are_keyword_only():
    x = numpy.zeros((1, 1, 2, 2), numpy.float32)
    with pytest.raises(TypeError):
        F.resize_images(x, (3, 3), 'nearest')


@pytest.mark.parametrize('shape,dtype,expect', [
    ((1, 2, 3), numpy.float32, 'x.ndim == 4'),
    ((1, 1, 2, 2), numpy.int32, 'int32'),
    ((1, 1, 0, 2), numpy.float32, 'x.shape[2] > 0'),
])
def test_resize_images_bad_input(shape, dtype, expect):
    with pytest.raises(type_check.InvalidType) as info:
        F.resize_images(numpy.zeros(shape, dtype), (2, 2))
    message = str(info.value)
    assert 'ResizeImages' in message and expect in message


def test_resize_images_bad_arguments():
    x = numpy.zeros((1, 1, 2, 2), numpy.float32)
    with pytest.raises(ValueError, match="ResizeImages.*'bicubic'"):
        F.resize_images(x, (3, 3), mode='bicubic')
    with pytest.raises(ValueError, match='ResizeImages.*output_shape'):
        F.resize_images(x, (3, 3, 3))
    with pytest.raises(ValueError, match='ResizeImages.*output_shape'):
        F.resize_images(x, (3, -1))
    with pytest.raises(TypeError, match='ResizeImages.*output_shape'):
        F.resize_images(x, 3)
