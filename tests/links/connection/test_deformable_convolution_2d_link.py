"""Tests of L.DeformableConvolution2D."""
import numpy
import pytest

import dynet.links as L
from dynet import gradient_check
from dynet import initializers
from dynet import testing


def _x(*shape, scale=1.0):
    return (numpy.random.uniform(-1, 1, shape) * scale).astype(
        numpy.float32)


def _conv(x, w, b, stride, pad):
    """Plain convolution by explicit loops over kernel taps."""
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    (sy, sx), (ph, pw) = stride, pad
    xp = numpy.pad(x.astype(numpy.float64),
                   ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    oh, ow = (h + 2 * ph - kh) // sy + 1, (wd + 2 * pw - kw) // sx + 1
    y = numpy.zeros((n, o, oh, ow))
    for p in range(kh):
        for q in range(kw):
            patch = xp[:, :, p:p + sy * (oh - 1) + 1:sy,
                       q:q + sx * (ow - 1) + 1:sx]
            y += numpy.einsum('nchw,oc->nohw', patch, w[:, :, p, q])
    return y + b.reshape(1, -1, 1, 1)


def _bilinear(image, y, x):
    """image (c, H, W) read at (y, x); pixels outside count as zero."""
    height, width = image.shape[1:]
    y0, x0 = int(numpy.floor(y)), int(numpy.floor(x))
    value = numpy.zeros(image.shape[0])
    for yy in (y0, y0 + 1):
        for xx in (x0, x0 + 1):
            if 0 <= yy < height and 0 <= xx < width:
                weight = (1 - abs(y - yy)) * (1 - abs(x - xx))
                value += weight * image[:, yy, xx]
    return value


def _deformable_reference(link, x):
    """Offsets from offset_conv, then each output sums W times the padded
    input read at (i s + p + dy, j s + q + dx)."""
    conv = link.offset_conv
    sampler = link.deform_conv
    stride, pad = sampler.stride, sampler.pad
    offset = _conv(x, conv.W.array, conv.b.array, stride, pad)
    w = sampler.W.array.astype(numpy.float64)
    o, c, kh, kw = w.shape
    xp = numpy.pad(x.astype(numpy.float64),
                   ((0, 0), (0, 0), (pad[0],) * 2, (pad[1],) * 2))
    n, _, oh, ow = offset.shape
    y = numpy.zeros((n, o, oh, ow))
    for b in range(n):
        for i in range(oh):
            for j in range(ow):
                for p in range(kh):
                    for q in range(kw):
                        k = p * kw + q
                        value = _bilinear(
                            xp[b], i * stride[0] + p + offset[b, kh * kw + k,
                                                              i, j],
                            j * stride[1] + q + offset[b, k, i, j])
                        y[b, :, i, j] += w[:, :, p, q] @ value
    return y + sampler.b.array.reshape(1, -1, 1, 1)


@testing.fix_random()
def test_structure_and_default_initializers():
    link = L.DeformableConvolution2D(3, 4, (2, 3))
    assert {name: tuple(p.shape) for name, p in link.namedparams()} == {
        '/offset_conv/W': (12, 3, 2, 3), '/offset_conv/b': (12,),
        '/deform_conv/W': (4, 3, 2, 3), '/deform_conv/b': (4,)}
    # The deformed convolution starts at zero (Chainer's default), the
    # offset convolution with the default (LeCunNormal) weights.
    numpy.testing.assert_array_equal(link.deform_conv.W.array, 0)
    numpy.testing.assert_array_equal(link.deform_conv.b.array, 0)
    numpy.testing.assert_array_equal(link.offset_conv.b.array, 0)
    assert link.offset_conv.W.array.std() > 0.1
    nobias = L.DeformableConvolution2D(3, 4, 2, offset_nobias=True,
                                       deform_nobias=True)
    assert sorted(name for name, _ in nobias.namedparams()) == [
        '/deform_conv/W', '/offset_conv/W']


@pytest.mark.parametrize('stride, pad', [(1, 0), (2, 1), ((1, 2), (1, 0))])
@testing.fix_random()
def test_forward_against_reference(stride, pad):
    link = L.DeformableConvolution2D(
        2, 3, 3, stride, pad, offset_initialW=initializers.Uniform(0.3),
        offset_initial_bias=initializers.Uniform(0.5),
        deform_initialW=initializers.Uniform(1.0), deform_initial_bias=0.5)
    x = _x(2, 2, 5, 6)
    y = link(x)
    expected = _deformable_reference(link, x)
    assert y.shape == expected.shape and y.dtype == numpy.float32
    numpy.testing.assert_allclose(y.array, expected, rtol=1e-4, atol=1e-4)


@testing.fix_random()
def test_deferred_in_channels_and_gradients():
    link = L.DeformableConvolution2D(
        None, 2, 2, pad=1, offset_initialW=initializers.Uniform(0.3),
        deform_initialW=initializers.Uniform(1.0))
    assert link.deform_conv.W.array is None
    x = _x(1, 3, 3, 4)
    y = link(x)
    assert link.deform_conv.W.shape == (2, 3, 2, 2)
    assert link.offset_conv.W.shape == (8, 3, 2, 2)
    numpy.testing.assert_allclose(y.array, _deformable_reference(link, x),
                                  rtol=1e-4, atol=1e-4)
    gradient_check.check_backward(
        link, x, _x(*y.shape), params=list(link.params()),
        dtype=numpy.float64, atol=1e-3, rtol=1e-2)


@testing.fix_random()
def test_serialization_round_trip():
    src = L.DeformableConvolution2D(2, 3, 2, deform_initialW=1.5)
    dst = L.DeformableConvolution2D(2, 3, 2)
    testing.save_and_load_npz(src, dst)
    for (name, a), (_, b) in zip(sorted(src.namedparams()),
                                 sorted(dst.namedparams())):
        numpy.testing.assert_array_equal(a.array, b.array, err_msg=name)
    dst.to_device('@numpy')
    x = _x(1, 2, 4, 4)
    numpy.testing.assert_array_equal(dst(x).array, src(x).array)


def test_bad_input_names_the_function():
    link = L.DeformableConvolution2D(2, 3, 2)
    # The offset convolution sees the wrong channel count first.
    with pytest.raises(TypeError, match='(?s)Convolution2D.*Actual: 3 != 2'):
        link(_x(1, 3, 4, 4))
    with pytest.raises(TypeError, match='(?s)deformable_convolution_2d_'
                       'sampler.*Expect: x.shape\\[1\\] == W.shape\\[1\\]'
                       '.*Actual: 3 != 2'):
        link.deform_conv(_x(1, 3, 4, 4), _x(1, 8, 3, 3))
    with pytest.raises(ValueError, match='deformable_convolution_2d_sampler: '
                       'offset.shape\\[1\\] must be 2 \\* kh \\* kw == 8'):
        link.deform_conv(_x(1, 2, 4, 4), _x(1, 6, 3, 3))
