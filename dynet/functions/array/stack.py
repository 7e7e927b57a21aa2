"""Joining arrays: ``stack`` along a new axis, ``hstack``, ``vstack`` and
``dstack`` (NumPy semantics)."""
from dynet.functions.array import _array_utils as _u
from dynet.functions.array.concat import _Join


class Stack(_Join):

    def __init__(self, axis=0):
        self.axis = _u.require_int(self, 'axis', axis)

    def _join_axis(self, ndim):
        # The new axis is an axis of the (ndim + 1)-dimensional output.
        return _u.axis_in(self, 'axis', self.axis, ndim + 1,
                          'xs[0].ndim == {}'.format(ndim))

    def _promote(self, shape):
        axis = self._join_axis(len(shape))
        return shape[:axis] + (1,) + shape[axis:]


class Hstack(_Join):

    def _join_axis(self, ndim):
        return 0 if ndim <= 1 else 1

    def _promote(self, shape):
        return shape if shape else (1,)


class Vstack(_Join):

    def _join_axis(self, ndim):
        return 0

    def _promote(self, shape):
        if len(shape) >= 2:
            return shape
        return (1,) * (2 - len(shape)) + shape


class Dstack(_Join):

    def _join_axis(self, ndim):
        return 2

    def _promote(self, shape):
        if len(shape) == 0:
            return (1, 1, 1)
        if len(shape) == 1:
            return (1,) + shape + (1,)
        if len(shape) == 2:
            return shape + (1,)
        return shape


def stack(xs, axis=0):
    """Stacks Variables of one shape along a new axis.

    Args:
        xs: a list or tuple of Variables or arrays, all of the same shape
            and dtype.
        axis (int): position of the new axis in the output, in
            ``[-ndim - 1, ndim]``.
    Returns:
        Variable of ``ndim + 1`` dimensions with ``len(xs)`` along ``axis``.
    """
    return Stack(axis).apply(tuple(xs))[0]


def hstack(xs):
    """Concatenates Variables horizontally (like ``numpy.hstack``).

    Inputs of ``ndim <= 1`` are joined along axis 0 (0-dim ones count as
    one element), others along axis 1.

    Args:
        xs: a list or tuple of Variables or arrays of one dtype and ndim.
    Returns:
        Variable.
    """
    return Hstack().apply(tuple(xs))[0]


def vstack(xs):
    """Concatenates Variables vertically (like ``numpy.vstack``).

    1-d inputs of shape ``(N,)`` are rows ``(1, N)``, 0-dim inputs
    ``(1, 1)``; then everything is joined along axis 0.

    Args:
        xs: a list or tuple of Variables or arrays of one dtype and ndim.
    Returns:
        Variable with ``ndim >= 2``.
    """
    return Vstack().apply(tuple(xs))[0]


def dstack(xs):
    """Concatenates Variables along the third axis (like ``numpy.dstack``).

    Inputs are promoted to 3-d first: ``()`` to ``(1, 1, 1)``, ``(N,)`` to
    ``(1, N, 1)``, ``(M, N)`` to ``(M, N, 1)``; then joined along axis 2.

    Args:
        xs: a list or tuple of Variables or arrays of one dtype and ndim.
    Returns:
        Variable with ``ndim >= 3``.
    """
    return Dstack().apply(tuple(xs))[0]
