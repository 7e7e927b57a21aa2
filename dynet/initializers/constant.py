"""Initializers that fill with a fixed value."""
import numpy

from dynet.backend import get_array_module
from dynet.initializers._base import Initializer


class Constant(Initializer):
    """Fills with ``fill_value`` (a scalar or an array broadcast to the
    target shape)."""

    def __init__(self, fill_value, dtype=None):
        super().__init__(dtype)
        self.fill_value = fill_value

    def __call__(self, array):
        if self.dtype is not None and array.dtype != self.dtype:
            raise ValueError(
                'Constant initializer: array dtype {} differs from the '
                'initializer dtype {}'.format(array.dtype, self.dtype))
        xp = get_array_module(array)
        value = self.fill_value
        if not numpy.isscalar(value):
            value = xp.asarray(value)
        array[...] = xp.broadcast_to(xp.asarray(value, dtype=array.dtype),
                                     array.shape)


class Zero(Constant):
    """Fills with 0."""

    def __init__(self, dtype=None):
        super().__init__(0.0, dtype=dtype)


class One(Constant):
    """Fills with 1."""

    def __init__(self, dtype=None):
        super().__init__(1.0, dtype=dtype)


class NaN(Constant):
    """Fills with NaN, so that using an unset value is never silent."""

    def __init__(self, dtype=None):
        super().__init__(numpy.nan, dtype=dtype)
