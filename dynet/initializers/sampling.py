"""Fixed (bi/tri)linear resampling filters for (de)convolution weights:
UpsamplingDeconvFilter and DownsamplingConvFilter.

Reference: Long et al., https://arxiv.org/abs/1411.4038
"""
import numpy

from dynet import backend
from dynet.initializers._base import (
    Initializer, _check_dtype, _InitializerCheckError)


def _linear_kernel(ksize, ndim, normalize):
    """The separable linear-interpolation kernel of side ``ksize`` in
    ``ndim`` dimensions (float64, on the host).

    Along each axis the weight at ``i`` is ``1 - |i - c| / f`` with
    ``f = (ksize + 1) // 2`` and ``c`` the kernel's center
    (``f - 1`` for odd sizes, ``f - 0.5`` for even ones). With
    ``normalize`` the kernel is scaled to sum to 1 (downsampling).
    """
    factor = (ksize + 1) // 2
    center = factor - 1. if ksize % 2 == 1 else factor - 0.5
    profile = 1. - numpy.abs(numpy.arange(ksize) - center) / factor
    kernel = numpy.ones((ksize,) * ndim)
    for axis in range(ndim):
        shape = [1] * ndim
        shape[axis] = ksize
        kernel = kernel * profile.reshape(shape)
    if normalize:
        kernel = kernel / kernel.sum()
    return kernel


class _ResamplingFilter(Initializer):

    _normalize = False

    def __init__(self, interpolation='linear', dtype=None):
        if interpolation != 'linear':
            raise ValueError(
                '{}: unsupported interpolation method {!r} (only '
                '\'linear\')'.format(type(self).__name__, interpolation))
        self.interpolation = interpolation
        super().__init__(dtype)

    def __call__(self, array):
        _check_dtype(self, array)
        name = type(self).__name__
        if array.ndim < 3:
            raise ValueError(
                '{}: needs a filter array of shape (in_channels, '
                'out_channels, k, k, ...), got shape {}'.format(
                    name, array.shape))
        c_in, c_out = array.shape[:2]
        if not (c_in == c_out or c_out == 1):
            raise _InitializerCheckError(
                '{}: the first two axes must be equal or the second must be '
                '1, got shape {}'.format(name, array.shape))
        ksizes = set(array.shape[2:])
        if len(ksizes) != 1:
            raise ValueError(
                '{}: all kernel sizes must be the same, got shape {}'.format(
                    name, array.shape))
        kernel = _linear_kernel(
            array.shape[2], array.ndim - 2, self._normalize)
        xp = backend.get_array_module(array)
        kernel = xp.asarray(kernel)
        array[...] = 0
        channels = xp.arange(c_in)
        if c_out == 1:
            array[channels, 0, ...] = kernel
        else:
            array[channels, channels, ...] = kernel


class UpsamplingDeconvFilter(_ResamplingFilter):
    """Fills a deconvolution weight with a linear upsampling filter.

    Each channel is mapped to itself (or, with one output channel, every
    channel to it) by the separable linear-interpolation kernel; meant for
    a ``DeconvolutionND`` with ``stride == (ksize + 1) // 2``.

    Args:
        interpolation (str): only ``'linear'``.
        dtype: data type specifier.
    """

    _normalize = False


class DownsamplingConvFilter(_ResamplingFilter):
    """Fills a convolution weight with a linear downsampling filter.

    Like :class:`UpsamplingDeconvFilter` but the kernel is normalized to sum
    to 1; meant for a ``ConvolutionND`` with
    ``stride == (ksize + 1) // 2``.

    Args:
        interpolation (str): only ``'linear'``.
        dtype: data type specifier.
    """

    _normalize = True
