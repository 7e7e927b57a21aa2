"""Small array utilities used by functions (``chainer.utils`` API).

Importing this package needs NumPy only; CuPy arrays are recognised by the
module their type comes from, never by importing CuPy.
"""
import math

import numpy

from dynet.utils import type_check  # NOQA
from dynet.utils.sparse import CooMatrix, get_order, to_coo  # NOQA
from dynet.utils.walker_alias import WalkerAlias  # NOQA


_PYTHON_SCALARS = (bool, int, float, complex)


def _is_device_array(x):
    """True for CuPy (or ChainerX) arrays, detected without importing them."""
    root = type(x).__module__.partition('.')[0]
    return root == 'cupy' or root == 'chainerx'


def force_array(x, dtype=None):
    """Returns ``x`` as an array (a 0-dim ``ndarray`` for scalars).

    NumPy operations that reduce to 0 dimensions return NumPy scalars
    (``numpy.float32(1.0)``), while a function's ``forward`` must return
    arrays; this wraps such values (and Python numbers) into 0-dim arrays.
    NumPy and CuPy arrays are returned as they are.

    Args:
        x: An array, a NumPy scalar or a Python number.
        dtype: If given, the result has this dtype (converted without a copy
            when it already has it).

    Returns:
        numpy.ndarray or cupy.ndarray
    """
    if isinstance(x, numpy.ndarray) or _is_device_array(x):
        if dtype is None:
            return x
        return x.astype(dtype, copy=False)
    return numpy.asarray(x, dtype=dtype)


def force_type(dtype, value):
    """Returns ``value`` converted to ``dtype``.

    Scalars (Python or NumPy) become NumPy scalars of ``dtype``; arrays are
    converted with ``astype(dtype, copy=False)``, i.e. returned as they are
    when they already have that dtype.
    """
    dtype = numpy.dtype(dtype)
    if numpy.isscalar(value):
        return dtype.type(value)
    if value.dtype != dtype:
        return value.astype(dtype, copy=False)
    return value


def size_of_shape(shape):
    """Number of elements of an array of ``shape`` (a Python ``int``).

    ``size_of_shape(())`` is 1.
    """
    return int(math.prod(shape))


def sum_to(x, shape):
    """Sums a broadcast array back to ``shape`` (NumPy broadcasting rules).

    This is the reverse of ``broadcast_to(y, x.shape)`` for a ``y`` of
    ``shape``: leading axes that ``shape`` lacks, and axes where ``shape``
    has 1 but ``x`` does not, are summed.  Works on NumPy and CuPy arrays.

    Args:
        x (numpy.ndarray or cupy.ndarray): The array to reduce.
        shape (int or tuple of int): Target shape; it must broadcast to
            ``x.shape``.

    Returns:
        An array of ``shape`` with ``x``'s dtype (bool arrays are summed to
        integers, as NumPy does).  ``x`` itself is returned when it already
        has ``shape``.

    Raises:
        ValueError: If ``shape`` does not broadcast to ``x.shape``.
    """
    if isinstance(shape, (int, numpy.integer)):
        shape = (int(shape),)
    else:
        shape = tuple(shape)
    x_shape = x.shape
    if x_shape == shape:
        return x
    lead = len(x_shape) - len(shape)
    if lead < 0:
        raise ValueError(
            'cannot sum an array of shape {} to shape {}: the target has '
            'more dimensions'.format(x_shape, shape))
    axes = list(range(lead))
    for i, size in enumerate(shape):
        x_size = x_shape[lead + i]
        if size == x_size:
            continue
        if size != 1:
            raise ValueError(
                'cannot sum an array of shape {} to shape {}: {} does not '
                'broadcast to {}'.format(x_shape, shape, shape, x_shape))
        axes.append(lead + i)
    if x.dtype.kind == 'b':
        y = x.sum(axis=tuple(axes), keepdims=True)
    else:
        y = x.sum(axis=tuple(axes), dtype=x.dtype, keepdims=True)
    return y.reshape(shape)
