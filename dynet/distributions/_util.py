"""Helpers shared by the distributions: turning arguments into Variables,
broadcasting parameters, checking values, and a few safe formulas."""
import numbers

import numpy

from dynet import backend
from dynet import functions as F
from dynet.variable import Variable


def _is_array(value):
    return isinstance(value, numpy.ndarray) or backend.is_cupy_array(value)


def _float_dtype_of(value):
    array = value.array if isinstance(value, Variable) else value
    if _is_array(array) and array.dtype.kind == 'f':
        return array.dtype
    return None


def params_to_variables(owner, **named):
    """Converts the parameters of ``owner`` (a class name) to Variables.

    Variables pass unchanged (gradients flow to them); arrays are wrapped;
    Python numbers and lists become arrays of the parameters' common float
    dtype (float32 when no parameter is an array). All parameters must be
    floating point and of one dtype.

    Returns:
        dict name -> Variable, in the order given.
    """
    dtype = None
    for value in named.values():
        dtype = _float_dtype_of(value)
        if dtype is not None:
            break
    if dtype is None:
        dtype = numpy.dtype(numpy.float32)
    result = {}
    for name, value in named.items():
        result[name] = _to_variable(owner, name, value, dtype)
    dtypes = {name: v.dtype for name, v in result.items()}
    if len(set(dtypes.values())) > 1:
        raise TypeError('{}: the parameters must share one dtype, got {}'
                        .format(owner, ', '.join(
                            '{}.dtype == {}'.format(n, d)
                            for n, d in dtypes.items())))
    return result


def _to_variable(owner, name, value, dtype):
    if isinstance(value, Variable):
        variable = value
    elif _is_array(value):
        variable = Variable(value, requires_grad=False)
    elif _is_number_like(value):
        array = numpy.asarray(value)
        if array.dtype.kind not in 'iuf':
            raise TypeError('{}: {} must be a Variable, an array or '
                            'numbers, got {!r}'.format(owner, name, value))
        variable = Variable(array.astype(dtype), requires_grad=False)
    else:
        raise TypeError('{}: {} must be a Variable or an array, got {}'
                        .format(owner, name, type(value).__name__))
    if variable.array is None:
        raise ValueError('{}: {} is a Variable without data'.format(
            owner, name))
    if variable.dtype.kind != 'f':
        raise TypeError('{}: {} must be a floating-point array, got dtype '
                        '{}'.format(owner, name, variable.dtype))
    return variable


def broadcast_shapes(owner, named_shapes):
    """The broadcast of the given shapes, or a ValueError naming them."""
    try:
        return tuple(numpy.broadcast_shapes(*named_shapes.values()))
    except ValueError:
        raise ValueError('{}: the shapes of {} do not broadcast together: {}'
                         .format(owner, ', '.join(named_shapes), ', '.join(
                             '{}.shape == {}'.format(n, s)
                             for n, s in named_shapes.items()))) from None


def broadcast_params(owner, variables):
    """Broadcasts the Variables of ``variables`` (a dict) to one shape
    (keeping the graph); returns a new dict."""
    shape = broadcast_shapes(owner, {n: v.shape for n, v in
                                     variables.items()})
    return {n: v if v.shape == shape else F.broadcast_to(v, shape)
            for n, v in variables.items()}


def _check_value_shape(dist, where, x):
    full = tuple(dist.batch_shape) + tuple(dist.event_shape)
    try:
        numpy.broadcast_shapes(x.shape, full)
    except ValueError:
        raise ValueError('{}: x.shape must broadcast with batch_shape + '
                         'event_shape == {}, got x.shape == {}'.format(
                             where, full, x.shape)) from None


def _is_number_like(x):
    return isinstance(x, (numbers.Real, list, tuple)) and not isinstance(
        x, (bool, numpy.bool_))


def value_to_variable(dist, method, x):
    """``x`` (Variable, array or numbers) as a Variable of the
    distribution's dtype (cast if needed; gradients still reach a Variable
    ``x``), checked to broadcast with ``batch_shape + event_shape``."""
    dtype = dist_dtype(dist)
    where = '{}.{}'.format(type(dist).__name__, method)
    if isinstance(x, Variable):
        if x.array is None:
            raise ValueError('{}: x is a Variable without data'.format(where))
        if x.dtype != dtype:
            x = F.cast(x, dtype)
    elif _is_array(x):
        x = Variable(x.astype(dtype, copy=False), requires_grad=False)
    elif _is_number_like(x):
        x = Variable(dist.xp.asarray(numpy.asarray(x, dtype=dtype)),
                     requires_grad=False)
    else:
        raise TypeError('{}: x must be a Variable or an array, got {}'
                        .format(where, type(x).__name__))
    _check_value_shape(dist, where, x)
    return x


def value_array(dist, method, x):
    """The array of ``x`` (treated as data: no gradient), checked to
    broadcast with ``batch_shape + event_shape``."""
    where = '{}.{}'.format(type(dist).__name__, method)
    if isinstance(x, Variable):
        x = x.array
    elif _is_number_like(x):
        x = dist.xp.asarray(numpy.asarray(x))
    elif not _is_array(x):
        raise TypeError('{}: x must be a Variable or an array, got {}'
                        .format(where, type(x).__name__))
    _check_value_shape(dist, where, x)
    return x


def dist_dtype(dist):
    """The float dtype of the distribution's parameters."""
    param = dist._reference_param()
    return numpy.dtype(param.dtype if param is not None else numpy.float32)


def check_n(dist, n):
    """Validates the ``n`` of ``sample_n``."""
    if (not isinstance(n, numbers.Integral)
            or isinstance(n, (bool, numpy.bool_)) or n < 0):
        raise ValueError('{}.sample_n: n must be a non-negative int, got {!r}'
                         .format(type(dist).__name__, n))
    return int(n)


def const(xp, value, dtype):
    """A 0-dim array (functions take arrays, not NumPy scalars)."""
    return xp.asarray(value, dtype=dtype)


def full_like(variable, value):
    """A constant array shaped like ``variable``."""
    xp = backend.get_array_module(variable)
    return xp.full(variable.shape, value, dtype=variable.dtype)


def broadcast_to(x, shape):
    """``F.broadcast_to`` that skips the no-op."""
    return x if x.shape == tuple(shape) else F.broadcast_to(x, shape)


def where_finite(condition, x, fill):
    """``x`` where ``condition`` holds, the constant ``fill`` elsewhere,
    broadcast together."""
    xp = backend.get_array_module(x)
    return F.where(condition, x, const(xp, fill, x.dtype))


def xlogy(x, y):
    """``x * log(y)`` with ``0 * log(0) == 0``.

    ``x`` is data (an array); where it is 0, ``y`` is replaced by 1 before
    the log, so neither the value nor the gradient become NaN there.
    """
    xp = backend.get_array_module(y)
    zero = x == 0
    if not bool(zero.any()):
        return x * F.log(y)
    safe_y = F.where(zero, const(xp, 1, y.dtype), y)
    return F.where(zero, const(xp, 0, y.dtype), x * F.log(safe_y))


def xlogx(p):
    """``p * log(p)`` with ``0 * log(0) == 0`` (``p`` a Variable)."""
    xp = backend.get_array_module(p)
    zero = p.array == 0
    if not bool(zero.any()):
        return p * F.log(p)
    safe_p = F.where(zero, const(xp, 1, p.dtype), p)
    return F.where(zero, const(xp, 0, p.dtype), p * F.log(safe_p))


def log_beta(a, b):
    """``log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b)``."""
    return F.lgamma(a) + F.lgamma(b) - F.lgamma(a + b)


def sum_last(x, ndim):
    """Sum over the last ``ndim`` axes (the identity when ``ndim == 0``)."""
    if ndim == 0:
        return x
    return F.sum(x, axis=tuple(range(-ndim, 0)))


def prod_last(x, ndim):
    """Product over the last ``ndim`` axes."""
    if ndim == 0:
        return x
    return F.prod(x, axis=tuple(range(-ndim, 0)))


def random_variable(xp, array, dtype):
    """Wraps a random draw as a Variable of ``dtype`` without gradient."""
    return Variable(xp.asarray(array).astype(dtype, copy=False),
                    requires_grad=False)
