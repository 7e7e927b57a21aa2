"""Public names of this category (re-exported by dynet.functions)."""
from dynet.functions.array.as_strided import as_strided  # NOQA
from dynet.functions.array.axes import moveaxis, rollaxis, swapaxes  # NOQA
from dynet.functions.array.broadcast import broadcast, broadcast_to  # NOQA
from dynet.functions.array.cast import cast  # NOQA
from dynet.functions.array.col2im import col2im  # NOQA
from dynet.functions.array.concat import concat  # NOQA
from dynet.functions.array.copy import copy  # NOQA
from dynet.functions.array.depth2space import depth2space, space2depth  # NOQA
from dynet.functions.array.diagonal import diagonal  # NOQA
from dynet.functions.array.expand_dims import expand_dims  # NOQA
from dynet.functions.array.flatten import flatten  # NOQA
from dynet.functions.array.flip import flip, fliplr, flipud  # NOQA
from dynet.functions.array.get_item import get_item  # NOQA
from dynet.functions.array.pad import pad  # NOQA
from dynet.functions.array.pad_sequence import pad_sequence  # NOQA
from dynet.functions.array.permutate import permutate  # NOQA
from dynet.functions.array.repeat import repeat  # NOQA
from dynet.functions.array.reshape import reshape  # NOQA
from dynet.functions.array.resize_images import resize_images  # NOQA
from dynet.functions.array.scatter_add import scatter_add  # NOQA
from dynet.functions.array.select_item import select_item  # NOQA
from dynet.functions.array.spatial_transformer_grid import (  # NOQA
    spatial_transformer_grid)
from dynet.functions.array.spatial_transformer_sampler import (  # NOQA
    spatial_transformer_sampler)
from dynet.functions.array.split_axis import separate, split_axis  # NOQA
from dynet.functions.array.squeeze import squeeze  # NOQA
from dynet.functions.array.stack import dstack, hstack, stack, vstack  # NOQA
from dynet.functions.array.tile import tile  # NOQA
from dynet.functions.array.transpose import transpose  # NOQA
from dynet.functions.array.transpose_sequence import transpose_sequence  # NOQA
from dynet.functions.array.where import where  # NOQA

__all__ = [
    'as_strided', 'broadcast', 'broadcast_to', 'cast', 'col2im', 'concat',
    'copy', 'depth2space', 'diagonal', 'dstack', 'expand_dims', 'flatten',
    'flip', 'fliplr', 'flipud', 'get_item', 'hstack', 'moveaxis', 'pad',
    'pad_sequence', 'permutate', 'repeat', 'reshape', 'resize_images',
    'rollaxis', 'scatter_add', 'select_item', 'separate', 'space2depth',
    'spatial_transformer_grid', 'spatial_transformer_sampler',
    'split_axis', 'squeeze', 'stack', 'swapaxes', 'tile', 'transpose',
    'transpose_sequence', 'vstack', 'where']
