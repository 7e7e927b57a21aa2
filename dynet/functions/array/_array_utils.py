"""Private helpers of the array functions: argument validation and the
scatter-sum that is the adjoint of every "gather by an index map"."""
import numpy

from dynet import backend
from dynet.functions import _check
from dynet.variable import Variable


def is_int(value):
    """True for Python and NumPy integers (bools excluded)."""
    return isinstance(value, (int, numpy.integer)) and not isinstance(
        value, (bool, numpy.bool_))


def require_int(func, name, value):
    """``value`` as an int, or a TypeError naming ``func`` and ``name``."""
    if not is_int(value):
        raise TypeError('{}: {} must be an int, got {!r}'.format(
            _label(func), name, value))
    return int(value)


def require_int_tuple(func, name, value, allow_int=True):
    """``value`` (an int or a sequence of ints) as a tuple of ints."""
    if allow_int and is_int(value):
        return (int(value),)
    if isinstance(value, (tuple, list)) and all(is_int(v) for v in value):
        return tuple(int(v) for v in value)
    raise TypeError('{}: {} must be {}a tuple of ints, got {!r}'.format(
        _label(func), name, 'an int or ' if allow_int else '', value))


def axis_in(func, name, value, ndim, context=None):
    """Validates ``value`` as an axis of a ``ndim``-dimensional array and
    returns it in ``[0, ndim)``; raises InvalidType when out of range.
    ``context`` says where ``ndim`` comes from (default ``x.ndim == N``)."""
    if not -ndim <= value < ndim:
        if context is None:
            context = 'x.ndim == {}'.format(ndim)
        _check.fail(func, '{} <= {} < {} ({})'.format(
            -ndim, name, ndim, context), '{} == {}'.format(name, value))
    return value % ndim


def _label(func):
    return func if isinstance(func, str) else func.label


def zeros_variable(xp, shape, dtype):
    """A constant Variable of zeros (stands for a None gradient)."""
    return Variable(xp.zeros(shape, dtype), requires_grad=False)


def array_module_of(variables):
    """The array module of the first non-None Variable in ``variables``."""
    for v in variables:
        if v is not None:
            return backend.get_array_module(v.array)
    return numpy


def scatter_sum(values, index_map, size, dtype):
    """Sums ``values`` into a flat array of ``size`` elements at the flat
    positions ``index_map`` (same shape as ``values``; negative entries are
    dropped). Accumulates in float64 and returns ``dtype``."""
    xp = backend.get_array_module(values)
    index = index_map.ravel()
    weights = values.ravel().astype(numpy.float64)
    if index.size and int(index.min()) < 0:
        keep = index >= 0
        index = index[keep]
        weights = weights[keep]
    if size == 0:
        return xp.zeros(0, dtype)
    out = xp.bincount(index, weights=weights, minlength=size)
    return out.astype(dtype, copy=False)


def flat_index_map(xp, shape):
    """``arange(prod(shape)).reshape(shape)`` as an intp array."""
    size = 1
    for n in shape:
        size *= n
    return xp.arange(size, dtype=numpy.intp).reshape(shape)
