"""Adding values at indexed positions of a copy of an array."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.variable import Variable

_BASIC = (int, numpy.integer, slice, type(None), type(Ellipsis))


def _normalize_slices(slices):
    if isinstance(slices, list):
        # As in Chainer: a list of ints is one index array; any other list
        # is a tuple of indexes.
        if all(isinstance(s, (int, numpy.integer)) for s in slices):
            slices = (slices,)
        slices = tuple(slices)
    elif not isinstance(slices, tuple):
        slices = (slices,)
    result = []
    for s in slices:
        if isinstance(s, Variable):
            s = s.array
        elif isinstance(s, list):
            s = numpy.asarray(s)
            if s.size == 0:
                s = s.astype(numpy.intp)
        result.append(s)
    return tuple(result)


def _index_add(target, slices, values):
    """``target[slices] += values``, accumulating repeated indices."""
    xp = backend.get_array_module(target)
    if all(isinstance(s, _BASIC) and not isinstance(s, bool)
           for s in slices):
        target[slices] += values  # basic indexing never repeats an element
    elif xp is numpy:
        numpy.add.at(target, slices, values)
    elif hasattr(xp.add, 'at'):
        xp.add.at(target, slices, values)
    else:
        import cupyx
        cupyx.scatter_add(target, slices, values)


class ScatterAdd(FunctionNode):

    def __init__(self, slices):
        self.slices = _normalize_slices(slices)
        if sum(1 for s in self.slices if s is Ellipsis) > 1:
            raise ValueError('{}: slices may hold at most one Ellipsis'
                             .format(self.label))

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        _check.same_dtype(self, ('a', 'b'), in_data)

    def forward(self, inputs):
        a, b = inputs
        y = a.copy()
        try:
            target_shape = y[self.slices].shape
        except IndexError as error:
            raise IndexError('{}: slices {!r} are invalid for a of shape {}: '
                             '{}'.format(self.label, self.slices, a.shape,
                                         error)) from None
        if target_shape != b.shape:
            raise ValueError(
                '{}: b must have the shape of a[slices] (no broadcasting); '
                'expected {}, got b.shape == {}'.format(
                    self.label, target_shape, b.shape))
        _index_add(y, self.slices, b)
        return y,

    def backward(self, indexes, grad_outputs):
        from dynet.functions.array.get_item import get_item
        gy = grad_outputs[0]
        return tuple(gy if i == 0 else get_item(gy, self.slices)
                     for i in indexes)


def scatter_add(a, slices, b):
    """Returns a copy of ``a`` with ``b`` added at ``a[slices]``.

    Repeated indices in ``slices`` add repeatedly (``numpy.add.at``); ``a``
    itself is not modified. The gradient of ``a`` is the output gradient,
    that of ``b`` is the output gradient at ``slices``.

    Args:
        a: Variable or array.
        slices: int, slice, Ellipsis, None, integer or boolean array (or
            list), or a tuple of them, as for ``get_item``.
        b: Variable or array of ``a``'s dtype with exactly the shape of
            ``a[slices]``.
    Returns:
        Variable of ``a``'s shape and dtype.
    """
    return ScatterAdd(slices).apply((a, b))[0]
