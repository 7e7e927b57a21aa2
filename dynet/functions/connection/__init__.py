"""Connection functions (linear, convolution, embedding, ...)."""
from dynet.functions.connection.convolution_nd import (  # NOQA
    convolution_1d, convolution_2d, convolution_3d, convolution_nd,
    deconvolution_1d, deconvolution_2d, deconvolution_3d, deconvolution_nd)
from dynet.functions.connection.linear import linear  # NOQA

__all__ = ['convolution_1d', 'convolution_2d', 'convolution_3d',
           'convolution_nd', 'deconvolution_1d', 'deconvolution_2d',
           'deconvolution_3d', 'deconvolution_nd', 'linear']
