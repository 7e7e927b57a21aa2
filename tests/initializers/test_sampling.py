"""UpsamplingDeconvFilter and DownsamplingConvFilter."""
import numpy
import pytest

from dynet import initializers

DTYPES = [numpy.float16, numpy.float32, numpy.float64]

PROFILE = {  # 1-D linear interpolation weights by kernel size
    1: [1.],
    2: [0.5, 0.5],
    3: [0.5, 1., 0.5],
    4: [0.25, 0.75, 0.75, 0.25],
    5: [1 / 3, 2 / 3, 1., 2 / 3, 1 / 3],
}


def _kernel(ksize, ndim):
    k = numpy.array(PROFILE[ksize])
    out = k
    for _ in range(ndim - 1):
        out = numpy.multiply.outer(out, k)
    return out


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('ksize', [1, 2, 3, 4, 5])
@pytest.mark.parametrize('ndim', [1, 2, 3])
def test_upsampling(dtype, ksize, ndim):
    shape = (3, 3) + (ksize,) * ndim
    a = numpy.full(shape, 7, dtype)
    initializers.UpsamplingDeconvFilter()(a)
    expected = numpy.zeros(shape)
    for c in range(3):
        expected[c, c] = _kernel(ksize, ndim)
    rtol = 1e-3 if dtype == numpy.float16 else 1e-6
    numpy.testing.assert_allclose(a, expected, rtol=rtol)
    assert (a[~numpy.eye(3, dtype=bool)] == 0).all()


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('ksize', [2, 3, 4])
def test_downsampling_is_normalized(dtype, ksize):
    shape = (2, 2, ksize, ksize)
    a = numpy.full(shape, 7, dtype)
    initializers.DownsamplingConvFilter(dtype=dtype)(a)
    k = _kernel(ksize, 2)
    expected = numpy.zeros(shape)
    expected[0, 0] = expected[1, 1] = k / k.sum()
    rtol = 1e-3 if dtype == numpy.float16 else 1e-6
    numpy.testing.assert_allclose(a, expected, rtol=rtol)
    assert abs(float(a[0, 0].astype(numpy.float64).sum()) - 1) < 1e-3


def test_single_output_channel():
    a = numpy.empty((4, 1, 3, 3), numpy.float32)
    initializers.UpsamplingDeconvFilter()(a)
    for c in range(4):
        numpy.testing.assert_array_equal(a[c, 0], _kernel(3, 2))


def test_defaults():
    init = initializers.UpsamplingDeconvFilter()
    assert init.interpolation == 'linear' and init.dtype is None
    init = initializers.DownsamplingConvFilter(dtype=numpy.float16)
    assert init.dtype is numpy.float16


@pytest.mark.parametrize('cls', [initializers.UpsamplingDeconvFilter,
                                 initializers.DownsamplingConvFilter])
def test_errors(cls):
    with pytest.raises(ValueError, match='interpolation'):
        cls(interpolation='nearest')
    with pytest.raises(AssertionError):
        cls()(numpy.empty((2, 3, 3, 3), numpy.float32))
    with pytest.raises(ValueError, match='kernel sizes'):
        cls()(numpy.empty((2, 2, 3, 4), numpy.float32))
    with pytest.raises(ValueError, match='shape'):
        cls()(numpy.empty((2, 2), numpy.float32))
    with pytest.raises(AssertionError, match='float32.*float64'):
        cls(dtype=numpy.float64)(numpy.empty((2, 2, 3, 3), numpy.float32))
