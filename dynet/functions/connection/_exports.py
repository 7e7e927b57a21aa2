"""Public names of this category (re-exported by dynet.functions)."""
from dynet.functions.connection.bilinear import bilinear  # NOQA
from dynet.functions.connection.convolution_nd import (  # NOQA
    convolution_1d, convolution_2d, convolution_3d, convolution_nd,
    deconvolution_1d, deconvolution_2d, deconvolution_3d, deconvolution_nd)
from dynet.functions.connection.deformable_convolution_2d_sampler import (  # NOQA
    deformable_convolution_2d_sampler)
from dynet.functions.connection.depthwise_convolution_2d import (  # NOQA
    depthwise_convolution_2d)
from dynet.functions.connection.dilated_convolution_2d import (  # NOQA
    dilated_convolution_2d)
from dynet.functions.connection.embed_id import embed_id  # NOQA
from dynet.functions.connection.im2col import im2col  # NOQA
from dynet.functions.connection.linear import linear  # NOQA
from dynet.functions.connection.local_convolution_2d import (  # NOQA
    local_convolution_2d)
from dynet.functions.connection.shift import shift  # NOQA

__all__ = ['bilinear', 'convolution_1d', 'convolution_2d', 'convolution_3d',
           'convolution_nd', 'deconvolution_1d', 'deconvolution_2d',
           'deconvolution_3d', 'deconvolution_nd',
           'deformable_convolution_2d_sampler', 'depthwise_convolution_2d',
           'dilated_convolution_2d', 'embed_id', 'im2col', 'linear',
           'local_convolution_2d', 'shift']
