"""Public names of this category (re-exported by dynet.functions)."""
from dynet.functions.pooling.average_pooling_nd import (  # NOQA
    average_pooling_1d, average_pooling_2d, average_pooling_3d,
    average_pooling_nd)
from dynet.functions.pooling.max_pooling_nd import (  # NOQA
    max_pooling_1d, max_pooling_2d, max_pooling_3d, max_pooling_nd)
from dynet.functions.pooling.roi_average_align_2d import (  # NOQA
    roi_average_align_2d)
from dynet.functions.pooling.roi_average_pooling_2d import (  # NOQA
    roi_average_pooling_2d)
from dynet.functions.pooling.roi_max_align_2d import roi_max_align_2d  # NOQA
from dynet.functions.pooling.roi_max_pooling_2d import (  # NOQA
    roi_max_pooling_2d)
from dynet.functions.pooling.roi_pooling_2d import roi_pooling_2d  # NOQA
from dynet.functions.pooling.spatial_pyramid_pooling_2d import (  # NOQA
    spatial_pyramid_pooling_2d)
from dynet.functions.pooling.unpooling_nd import (  # NOQA
    unpooling_1d, unpooling_2d, unpooling_3d, unpooling_nd)
from dynet.functions.pooling.upsampling_2d import upsampling_2d  # NOQA

__all__ = ['average_pooling_1d', 'average_pooling_2d', 'average_pooling_3d',
           'average_pooling_nd', 'max_pooling_1d', 'max_pooling_2d',
           'max_pooling_3d', 'max_pooling_nd', 'roi_average_align_2d',
           'roi_average_pooling_2d', 'roi_max_align_2d',
           'roi_max_pooling_2d', 'roi_pooling_2d',
           'spatial_pyramid_pooling_2d', 'unpooling_1d', 'unpooling_2d',
           'unpooling_3d', 'unpooling_nd', 'upsampling_2d']
