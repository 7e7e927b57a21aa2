import numpy
import pytest

import dynet.functions as F
import dynet.links as L


def _x(*shape):
    return numpy.random.uniform(-1, 1, shape).astype(numpy.float32)


def test_convolution_2d_matches_function_and_infers_channels():
    link = L.Convolution2D(6, 3, stride=2, pad=1)
    assert link.W.array is None
    x = _x(2, 4, 7, 7)
    y = link(x)
    assert link.W.shape == (6, 4, 3, 3) and link.in_channels == 4
    expected = F.convolution_2d(x, link.W.array, link.b.array, 2, 1)
    numpy.testing.assert_allclose(y.array, expected.array, rtol=1e-6)


def test_convolution_2d_groups_dilate_nobias():
    link = L.Convolution2D(4, 6, 3, groups=2, dilate=2, nobias=True)
    assert link.W.shape == (6, 2, 3, 3) and link.b is None
    assert link(_x(1, 4, 9, 9)).shape == (1, 6, 5, 5)
    with pytest.raises(ValueError, match='divisible by groups'):
        L.Convolution2D(3, 6, 3, groups=2)


def test_convolution_nd_1d_3d():
    assert L.Convolution1D(2, 3, 2)(_x(1, 2, 5)).shape == (1, 3, 4)
    assert L.Convolution3D(2, 3, 2)(_x(1, 2, 3, 3, 3)).shape == \
        (1, 3, 2, 2, 2)
    link = L.ConvolutionND(2, 2, 3, 3, cover_all=True, stride=2)
    assert link(_x(1, 2, 6, 6)).shape == (1, 3, 3, 3)


def test_deconvolution_2d():
    link = L.Deconvolution2D(4, 2, stride=2)
    y = link(_x(1, 3, 4, 4))
    assert link.W.shape == (3, 4, 2, 2) and y.shape == (1, 4, 8, 8)
    link = L.Deconvolution2D(3, 4, 3, stride=2, pad=1, outsize=(8, 8))
    assert link(_x(1, 3, 4, 4)).shape == (1, 4, 8, 8)


def test_dilated_convolution_2d_and_gradients():
    link = L.DilatedConvolution2D(2, 3, 3, dilate=2)
    y = link(_x(1, 2, 7, 7))
    assert y.shape == (1, 3, 3, 3)
    F.sum(y).backward()
    assert link.W.grad.shape == link.W.shape
    numpy.testing.assert_allclose(link.b.grad, [9, 9, 9])


def test_repr():
    assert repr(L.Convolution2D(1, 2, 3)) == (
        'Convolution2D(in_channels=1, out_channels=2, ksize=(3, 3), '
        'stride=1, pad=0, dilate=1, groups=1, nobias=False)')
