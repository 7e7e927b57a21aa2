"""Small helpers shared by the reduction and linear-algebra functions.

Private to ``dynet.functions.math``; not part of the public API.
"""
import numpy

from dynet.functions import _check


class Named:
    """Stands in for a function node where a wrapper checks its arguments
    before any node exists (``_check`` helpers only read ``label``)."""

    def __init__(self, label):
        self.label = label


def fail(label, expect, actual):
    """Raises ``InvalidType`` naming ``label``."""
    _check.fail(Named(label), expect, actual)


def all_axes(axes, ndim):
    """``axes`` as returned by ``_check.normalize_axis``, with None meaning
    every axis."""
    return tuple(range(ndim)) if axes is None else axes


def kept_shape(shape, axes):
    """``shape`` with the reduced ``axes`` set to 1 (``keepdims`` shape)."""
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def reduced_size(shape, axes):
    size = 1
    for a in axes:
        size *= shape[a]
    return size


def keepdims_array(y, shape, axes):
    """Reshapes a reduced array ``y`` to the keepdims shape."""
    return y.reshape(kept_shape(shape, axes))


def expand_reduced(gy, in_shape, axes, keepdims):
    """Broadcasts the gradient ``gy`` of a reduction over ``axes`` back to
    ``in_shape`` (a differentiable Variable expression)."""
    from dynet.functions.array.broadcast import broadcast_to
    from dynet.functions.array.reshape import reshape
    if not keepdims:
        gy = reshape(gy, kept_shape(in_shape, axes))
    return broadcast_to(gy, in_shape)


def int_or_none_axis(label, axis):
    """Validates an ``axis`` argument that must be None or one int."""
    if axis is None:
        return None
    if isinstance(axis, (bool, numpy.bool_)) or not isinstance(
            axis, (int, numpy.integer)):
        raise TypeError('{}: axis must be None or an int, got {!r}'.format(
            label, axis))
    return int(axis)


def check_axis_in_range(func, axis, ndim):
    """``axis`` (an int) in ``[-ndim, ndim)``; returns it non-negative."""
    if not -ndim <= axis < ndim:
        _check.fail(func, 'axis {} in range [-x.ndim, x.ndim)'.format(axis),
                    'x.ndim == {}'.format(ndim))
    return axis % ndim


def as_array(y, xp):
    """NumPy reductions may return scalars; functions return arrays."""
    if isinstance(y, numpy.generic):
        return numpy.asarray(y)
    return y if isinstance(y, xp.ndarray) else xp.asarray(y)
