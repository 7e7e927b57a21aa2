"""The initializer protocol and array generation from an initializer."""
import numpy

from dynet import backend
from dynet.config import get_dtype


class Initializer:
    """Fills an array in place: ``initializer(array)``.

    Args:
        dtype: the dtype of arrays this initializer generates by default;
            None means ``config.dtype``.
    """

    def __init__(self, dtype=None):
        self.dtype = None if dtype is None else numpy.dtype(dtype)

    def __call__(self, array):
        raise NotImplementedError


def dtype_of(initializer):
    """The dtype ``generate_array`` would use for this initializer."""
    dtype = getattr(initializer, 'dtype', None)
    return get_dtype(dtype)


def generate_array(initializer, shape, xp, dtype=None, device=None):
    """Creates an array of ``shape`` and fills it with ``initializer``.

    The dtype is ``dtype`` if given, else the initializer's own, else
    ``config.dtype``; the two must agree when both are given.
    """
    own_dtype = getattr(initializer, 'dtype', None)
    if dtype is not None and own_dtype is not None and \
            numpy.dtype(dtype) != numpy.dtype(own_dtype):
        raise ValueError(
            'generate_array: dtype {} disagrees with the initializer\'s '
            'dtype {}'.format(numpy.dtype(dtype), numpy.dtype(own_dtype)))
    dtype = get_dtype(dtype if dtype is not None else own_dtype)
    if isinstance(shape, int):
        shape = (shape,)
    if device is None:
        device = backend.get_device(xp) if xp is numpy else \
            backend.GpuDevice(xp.cuda.Device())
    array = device.xp.empty(tuple(shape), dtype=dtype)
    with device:
        initializer(array)
    return array
