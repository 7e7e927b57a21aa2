"""Elementwise sum with Caffe-style broadcasting along chosen axes."""
import numbers

import numpy

from dynet.utils import type_check


def broadcast_along(x, y, axis, name):
    """``y`` reshaped and broadcast so that its axes line up with the axes
    ``axis, axis + 1, ...`` of ``x`` (a Variable of ``x``'s shape).

    Validates the arguments for the function ``name`` (``bias`` or
    ``scale``).
    """
    from dynet.functions.array.broadcast import broadcast_to
    from dynet.functions.array.reshape import reshape
    for arg, arg_name in ((x, 'x'), (y, 'y')):
        if not hasattr(arg, 'shape') or not hasattr(arg, 'dtype'):
            raise TypeError('{}: {} must be a Variable or an array, got {}'
                            .format(name, arg_name, type(arg).__name__))
    if not isinstance(axis, (numbers.Integral, numpy.integer)) or \
            isinstance(axis, (bool, numpy.bool_)):
        raise TypeError('{}: axis must be an int, got {!r}'.format(
            name, axis))
    x_shape = tuple(x.shape)
    y_shape = tuple(y.shape)
    axis = int(axis)
    if not 0 <= axis <= len(x_shape) - len(y_shape):
        raise ValueError(
            '{}: axis must satisfy 0 <= axis <= x.ndim - y.ndim = {}, got '
            '{} (x.shape == {}, y.shape == {})'.format(
                name, len(x_shape) - len(y_shape), axis, x_shape, y_shape))
    if x_shape[axis:axis + len(y_shape)] != y_shape:
        raise type_check.InvalidType(
            'x.shape[{0}:{0} + y.ndim] == y.shape'.format(axis),
            '{} != {}'.format(x_shape[axis:axis + len(y_shape)], y_shape),
        ).with_function_name(name)
    lead = (1,) * axis
    trail = (1,) * (len(x_shape) - axis - len(y_shape))
    y = reshape(y, lead + y_shape + trail)
    return broadcast_to(y, x_shape)


def bias(x, y, axis=1):
    """Elementwise sum ``x + y`` where ``y``'s axes match the axes of
    ``x`` starting at ``axis`` (Caffe's Bias layer broadcasting).

    For ``x`` of shape ``(100, 3, 40, 5, 6)``, ``y`` of shape ``(3, 40)``
    and ``axis=1``, ``y`` is treated as shape ``(1, 3, 40, 1, 1)`` and
    broadcast to ``x``'s shape. Note that ``axis`` is where ``y`` starts
    in ``x``, unlike NumPy's trailing-axes broadcasting.

    Args:
        x (Variable or array): float input of any shape.
        y (Variable or array): same dtype; its shape must equal
            ``x.shape[axis:axis + y.ndim]``.
        axis (int): the first axis of ``x`` along which ``y`` is applied.
    Returns:
        Variable of ``x``'s shape and dtype. ``y``'s gradient is the
        output gradient summed over the broadcast axes.
    """
    return x + broadcast_along(x, y, axis, 'bias')
