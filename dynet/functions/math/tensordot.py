"""Tensor dot product along chosen axes (an einsum with generated
subscripts)."""
import numpy

from dynet.functions.math.einsum import SYMBOLS, EinSum


class TensorDot(EinSum):
    """Sum-product of ``a`` and ``b`` over paired axes; the result has
    ``a``'s remaining axes followed by ``b``'s."""


def _is_int(value):
    return isinstance(value, (int, numpy.integer)) and not isinstance(
        value, (bool, numpy.bool_))


def _axis_list(value, ndim, name):
    values = [value] if _is_int(value) else value
    if not isinstance(values, (tuple, list)) or not all(
            _is_int(v) for v in values):
        raise TypeError('tensordot: {} must be an int or a sequence of '
                        'ints, got {!r}'.format(name, value))
    normalized = []
    for v in values:
        if not -ndim <= v < ndim:
            raise ValueError('tensordot: axis {} in {} is out of range for '
                             'an array of ndim {}'.format(v, name, ndim))
        normalized.append(int(v) % ndim)
    if len(set(normalized)) != len(normalized):
        raise ValueError('tensordot: repeated axis in {} == {!r}'.format(
            name, value))
    return normalized


def _ndim(x, name):
    ndim = getattr(x, 'ndim', None)
    if ndim is None:
        raise TypeError('tensordot: {} must be a Variable or an array, got '
                        '{}'.format(name, type(x).__name__))
    return ndim


def tensordot(a, b, axes=2):
    """Tensor dot product of ``a`` and ``b``, as ``numpy.tensordot``.

    Args:
        a, b: Variables or arrays of one float dtype.
        axes: an int ``N`` (the last ``N`` axes of ``a`` with the first
            ``N`` of ``b``, in order) or a pair ``(a_axes, b_axes)`` of
            ints or equally long sequences of ints, paired in order.
    Returns:
        Variable whose shape is ``a``'s remaining axes followed by ``b``'s
        (in their original order). Both inputs receive gradients; double
        backprop is supported.
    """
    a_ndim, b_ndim = _ndim(a, 'a'), _ndim(b, 'b')
    if _is_int(axes):
        if not 0 <= axes <= min(a_ndim, b_ndim):
            raise ValueError(
                'tensordot: axes == {} must be in [0, min(a.ndim, b.ndim)] '
                '== [0, {}]'.format(axes, min(a_ndim, b_ndim)))
        a_axes = list(range(a_ndim - axes, a_ndim))
        b_axes = list(range(axes))
    elif isinstance(axes, (tuple, list)):
        if len(axes) != 2:
            raise ValueError('tensordot: axes must be an int or a pair '
                             '(a_axes, b_axes), got {!r}'.format(axes))
        a_axes = _axis_list(axes[0], a_ndim, 'axes[0]')
        b_axes = _axis_list(axes[1], b_ndim, 'axes[1]')
        if len(a_axes) != len(b_axes):
            raise ValueError('tensordot: axes[0] and axes[1] must have the '
                             'same length, got {!r}'.format(axes))
    else:
        raise TypeError('tensordot: axes must be an int or a pair of '
                        'sequences of ints, got {!r}'.format(axes))
    if a_ndim + b_ndim > len(SYMBOLS):
        raise ValueError('tensordot: at most {} axes in all are supported'
                         .format(len(SYMBOLS)))
    a_sub = SYMBOLS[:a_ndim]
    b_sub = [None] * b_ndim
    for i, j in zip(a_axes, b_axes):
        b_sub[j] = a_sub[i]
    spare = iter(SYMBOLS[a_ndim:])
    b_sub = ''.join(c if c is not None else next(spare) for c in b_sub)
    out = ''.join(a_sub[i] for i in range(a_ndim) if i not in a_axes) + \
        ''.join(b_sub[j] for j in range(b_ndim) if j not in b_axes)
    return TensorDot((a_sub, b_sub), out).apply((a, b))[0]
