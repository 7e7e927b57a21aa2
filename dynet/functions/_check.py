"""Cheap input checks for dynet's own functions.

Each check is a plain comparison; the readable message is built only after
it fails. Failures raise ``type_check.InvalidType`` (a ``TypeError``) whose
message names the function, the argument, what was expected and what came.
"""
import numpy


def fail(func, expect, actual):
    """Raises InvalidType naming ``func`` (a node, or a function name for
    checks done in a wrapper)."""
    # Imported here: the type-check language is only needed on failure.
    from dynet.utils import type_check
    raise type_check.InvalidType(expect, actual).with_function_name(
        getattr(func, 'label', func))


def count(func, in_data, expected):
    if len(in_data) != expected:
        fail(func, '{} input(s)'.format(expected),
             '{} input(s)'.format(len(in_data)))


def float_kind(func, name, array):
    if array.dtype.kind != 'f':
        fail(func, '{}.dtype.kind == f (a floating-point array)'.format(name),
             '{}.dtype == {}'.format(name, array.dtype))


def same_dtype(func, names, arrays):
    first = arrays[0].dtype
    for name, array in zip(names[1:], arrays[1:]):
        if array.dtype != first:
            fail(func, '{}.dtype == {}.dtype'.format(names[0], name),
                 '{} != {}'.format(first, array.dtype))


def broadcastable(func, names, arrays):
    shapes = [a.shape for a in arrays]
    try:
        return numpy.broadcast_shapes(*shapes)
    except ValueError:
        fail(func, 'shapes of {} broadcastable'.format(', '.join(names)),
             ', '.join('{}.shape == {}'.format(n, s)
                       for n, s in zip(names, shapes)))


def ndim_at_least(func, name, array, minimum):
    if array.ndim < minimum:
        fail(func, '{}.ndim >= {}'.format(name, minimum),
             '{}.ndim == {}'.format(name, array.ndim))


def normalize_axis(func, axis, ndim):
    """Validates ``axis`` (an int, a tuple of ints or None) for ``ndim``
    dimensions and returns it as a sorted tuple of non-negative ints."""
    if axis is None:
        return None
    if isinstance(axis, (int, numpy.integer)):
        axes = (axis,)
    elif isinstance(axis, (tuple, list)):
        axes = tuple(axis)
    else:
        axes = (None,)  # reported as a wrong type below
    normalized = []
    for a in axes:
        if not isinstance(a, (int, numpy.integer)):
            raise TypeError('{}: axis must be an int, a tuple of ints or '
                            'None, got {!r}'.format(func.label, axis))
        if not -ndim <= a < ndim:
            fail(func, 'axis {} in range [-x.ndim, x.ndim)'.format(a),
                 'x.ndim == {}'.format(ndim))
        normalized.append(int(a) % ndim if ndim else 0)
    if len(set(normalized)) != len(normalized):
        raise ValueError('{}: duplicate value in axis {!r}'.format(
            func.label, axis))
    return tuple(sorted(normalized))


def ndim_equal(func, name, array, expected):
    if array.ndim != expected:
        fail(func, '{}.ndim == {}'.format(name, expected),
             '{}.ndim == {}'.format(name, array.ndim))


def int_kind(func, name, array):
    if array.dtype.kind not in 'iu':
        fail(func, '{}.dtype.kind in (i, u) (an integer array)'.format(name),
             '{}.dtype == {}'.format(name, array.dtype))


def same_shape(func, names, arrays):
    first = arrays[0].shape
    for name, array in zip(names[1:], arrays[1:]):
        if array.shape != first:
            fail(func, '{}.shape == {}.shape'.format(names[0], name),
                 '{} != {}'.format(first, array.shape))


def shape_prefix(func, names, arrays, length):
    """The first ``length`` axes of every array agree (e.g. batch axes)."""
    first = arrays[0].shape[:length]
    for name, array in zip(names[1:], arrays[1:]):
        if array.shape[:length] != first:
            fail(func, '{}.shape[:{}] == {}.shape[:{}]'.format(
                names[0], length, name, length),
                '{} != {}'.format(first, array.shape[:length]))
