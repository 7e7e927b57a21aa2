"""Initializers that fill with fixed values: Identity, Constant, Zero, One,
NaN."""
import numpy

from dynet import backend
from dynet.initializers._base import Initializer, _check_dtype


def _is_array(value):
    return isinstance(value, backend.get_array_types())


class Identity(Initializer):
    """Fills a square matrix with ``scale`` times the identity.

    Args:
        scale (scalar): the value put on the diagonal.
        dtype: data type specifier.

    Raises (on call):
        ValueError: the array is not 2-D and square.
    """

    def __init__(self, scale=1.0, dtype=None):
        self.scale = scale
        super().__init__(dtype)

    def __call__(self, array):
        _check_dtype(self, array)
        shape = array.shape
        if len(shape) != 2 or shape[0] != shape[1]:
            raise ValueError(
                'Identity: can only fill a 2-D square matrix, got an array '
                'of shape {}'.format(shape))
        xp = backend.get_array_module(array)
        array[...] = 0
        xp.fill_diagonal(array, self.scale)


class _Constant(Initializer):
    """Fills with ``self.fill_value``: a scalar, or an array broadcast to the
    target shape (and moved to its device)."""

    fill_value = None

    def __init__(self, dtype=None):
        if not (_is_array(self.fill_value) or
                numpy.isscalar(self.fill_value)):
            raise ValueError(
                '{}: fill_value must be a scalar, a numpy.ndarray or a '
                'cupy.ndarray, got {}'.format(
                    type(self).__name__, type(self.fill_value).__name__))
        super().__init__(dtype)

    def __call__(self, array):
        _check_dtype(self, array)
        value = self.fill_value
        if _is_array(value):
            # Moved to the array's device, then broadcast and cast on
            # assignment (like a scalar fill, any cast is allowed).
            array[...] = backend.get_device_from_array(array).send(value)
        else:
            xp = backend.get_array_module(array)
            array[...] = xp.asarray(value)


class Constant(_Constant):
    """Fills with ``fill_value``.

    Args:
        fill_value (scalar, numpy.ndarray or cupy.ndarray): the value; an
            array is broadcast to the target shape.
        dtype: data type specifier.
    """

    def __init__(self, fill_value, dtype=None):
        self.fill_value = fill_value
        super().__init__(dtype)


class Zero(_Constant):
    """Fills with 0.

    Args:
        dtype: data type specifier.
    """

    fill_value = 0.0


class One(_Constant):
    """Fills with 1.

    Args:
        dtype: data type specifier.
    """

    fill_value = 1.0


class NaN(_Constant):
    """Fills with NaN (used for parameters whose values must be set before
    use).

    Args:
        dtype: data type specifier.
    """

    fill_value = numpy.nan
