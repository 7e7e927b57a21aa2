"""Axis permutations: ``moveaxis``, ``rollaxis`` and ``swapaxes`` (NumPy
semantics). Each is a transpose; the gradient is the inverse transpose."""
import numpy

from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.array import _array_utils as _u


class _Permute(FunctionNode):
    """Applies ``self._permutation(ndim)`` (a tuple of axes) as a
    transpose."""

    def _permutation(self, ndim):
        raise NotImplementedError

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        self._permutation(in_data[0].ndim)

    def forward(self, inputs):
        x = inputs[0]
        self._axes = self._permutation(x.ndim)
        return x.transpose(self._axes),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.array.transpose import transpose
        inverse = tuple(int(i) for i in numpy.argsort(self._axes))
        return transpose(grad_outputs[0], inverse),


class Moveaxis(_Permute):

    def __init__(self, source, destination):
        self.source = _u.require_int_tuple(self, 'source', source)
        self.destination = _u.require_int_tuple(
            self, 'destination', destination)
        if len(self.source) != len(self.destination):
            raise ValueError('{}: source and destination must have the same '
                             'number of axes, got {} and {}'.format(
                                 self.label, source, destination))

    def _permutation(self, ndim):
        source = [_u.axis_in(self, 'source', a, ndim) for a in self.source]
        dest = [_u.axis_in(self, 'destination', a, ndim)
                for a in self.destination]
        if len(set(source)) != len(source) or len(set(dest)) != len(dest):
            raise ValueError('{}: repeated axis in source {} or destination '
                             '{}'.format(self.label, self.source,
                                         self.destination))
        order = [a for a in range(ndim) if a not in source]
        for d, s in sorted(zip(dest, source)):
            order.insert(d, s)
        return tuple(order)


class Rollaxis(_Permute):

    def __init__(self, axis, start=0):
        self.axis = _u.require_int(self, 'axis', axis)
        self.start = _u.require_int(self, 'start', start)

    def _permutation(self, ndim):
        axis = _u.axis_in(self, 'axis', self.axis, ndim)
        start = self.start
        if not -ndim <= start <= ndim:
            _check.fail(self, '{} <= start <= {} (x.ndim == {})'.format(
                -ndim, ndim, ndim), 'start == {}'.format(start))
        if start < 0:
            start += ndim
        if axis < start:
            start -= 1
        order = [a for a in range(ndim) if a != axis]
        order.insert(start, axis)
        return tuple(order)


class Swapaxes(_Permute):

    def __init__(self, axis1, axis2):
        self.axis1 = _u.require_int(self, 'axis1', axis1)
        self.axis2 = _u.require_int(self, 'axis2', axis2)

    def _permutation(self, ndim):
        a1 = _u.axis_in(self, 'axis1', self.axis1, ndim)
        a2 = _u.axis_in(self, 'axis2', self.axis2, ndim)
        order = list(range(ndim))
        order[a1], order[a2] = a2, a1
        return tuple(order)


def moveaxis(x, source, destination):
    """Moves axes of ``x`` to new positions (like ``numpy.moveaxis``).

    Args:
        x: Variable or array.
        source (int or tuple of ints): original positions of the axes.
        destination (int or tuple of ints): their positions in the output
            (same length as ``source``); the other axes keep their order.
    Returns:
        Variable (a transposed view).
    """
    return Moveaxis(source, destination).apply((x,))[0]


def rollaxis(x, axis, start=0):
    """Rolls ``axis`` backwards until it lies before position ``start``
    (like ``numpy.rollaxis``).

    Args:
        x: Variable or array.
        axis (int): the axis to roll, in ``[-x.ndim, x.ndim)``.
        start (int): the position it is rolled to, in
            ``[-x.ndim, x.ndim]``.
    Returns:
        Variable (a transposed view).
    """
    return Rollaxis(axis, start).apply((x,))[0]


def swapaxes(x, axis1, axis2):
    """Interchanges two axes of ``x`` (like ``numpy.swapaxes``).

    Args:
        x: Variable or array.
        axis1, axis2 (int): the axes to swap.
    Returns:
        Variable (a transposed view).
    """
    return Swapaxes(axis1, axis2).apply((x,))[0]
