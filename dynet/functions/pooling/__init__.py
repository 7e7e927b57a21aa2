"""Pooling functions."""
from dynet.functions.pooling.average_pooling_nd import (  # NOQA
    average_pooling_1d, average_pooling_2d, average_pooling_3d,
    average_pooling_nd)
from dynet.functions.pooling.max_pooling_nd import (  # NOQA
    max_pooling_1d, max_pooling_2d, max_pooling_3d, max_pooling_nd)

__all__ = ['average_pooling_1d', 'average_pooling_2d', 'average_pooling_3d',
           'average_pooling_nd', 'max_pooling_1d', 'max_pooling_2d',
           'max_pooling_3d', 'max_pooling_nd']
