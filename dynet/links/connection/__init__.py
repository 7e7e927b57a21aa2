"""Connection links."""
from dynet.links.connection.bias import Bias  # NOQA
from dynet.links.connection.bilinear import Bilinear  # NOQA
from dynet.links.connection.convolution_nd import (  # NOQA
    Convolution1D, Convolution2D, Convolution3D, ConvolutionND,
    Deconvolution1D, Deconvolution2D, Deconvolution3D, DeconvolutionND,
    DilatedConvolution2D)
from dynet.links.connection.deformable_convolution_2d import (  # NOQA
    DeformableConvolution2D)
from dynet.links.connection.depthwise_convolution_2d import (  # NOQA
    DepthwiseConvolution2D)
from dynet.links.connection.embed_id import EmbedID  # NOQA
from dynet.links.connection.highway import Highway  # NOQA
from dynet.links.connection.inception import Inception  # NOQA
from dynet.links.connection.inceptionbn import InceptionBN  # NOQA
from dynet.links.connection.linear import Linear  # NOQA
from dynet.links.connection.local_convolution_2d import (  # NOQA
    LocalConvolution2D)
from dynet.links.connection.mlp_convolution_2d import (  # NOQA
    MLPConvolution2D)
from dynet.links.connection.parameter import Parameter  # NOQA
from dynet.links.connection.scale import Scale  # NOQA

__all__ = ['Bias', 'Bilinear', 'Convolution1D', 'Convolution2D',
           'Convolution3D', 'ConvolutionND', 'Deconvolution1D',
           'Deconvolution2D', 'Deconvolution3D', 'DeconvolutionND',
           'DeformableConvolution2D', 'DepthwiseConvolution2D',
           'DilatedConvolution2D', 'EmbedID', 'Highway', 'Inception',
           'InceptionBN', 'Linear', 'LocalConvolution2D', 'MLPConvolution2D',
           'Parameter', 'Scale']
