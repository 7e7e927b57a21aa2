"""Connection links."""
from dynet.links.connection.convolution_nd import (  # NOQA
    Convolution1D, Convolution2D, Convolution3D, ConvolutionND,
    Deconvolution1D, Deconvolution2D, Deconvolution3D, DeconvolutionND,
    DilatedConvolution2D)
from dynet.links.connection.linear import Linear  # NOQA

__all__ = ['Convolution1D', 'Convolution2D', 'Convolution3D',
           'ConvolutionND', 'Deconvolution1D', 'Deconvolution2D',
           'Deconvolution3D', 'DeconvolutionND', 'DilatedConvolution2D',
           'Linear']
