"""Indexing: ``x[slices]`` with NumPy's basic and advanced indexing."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.variable import Variable

_basic_types = (int, numpy.integer, slice, type(None), type(Ellipsis))


def _is_basic(slices):
    return all(isinstance(s, _basic_types) and not isinstance(s, bool)
               for s in slices)


def _normalize_slices(slices):
    if isinstance(slices, list):
        # As in Chainer: a list of integers (or bools) is one index array;
        # any other list is read as a tuple of indexes.
        if all(isinstance(s, (int, numpy.integer, numpy.bool_))
               for s in slices):
            slices = (slices,)
        else:
            slices = tuple(slices)
    elif not isinstance(slices, tuple):
        slices = (slices,)
    normalized = []
    for s in slices:
        if isinstance(s, Variable):
            s = s.array
        elif isinstance(s, list):
            s = numpy.asarray(s)
            if s.size == 0:
                s = s.astype(numpy.intp)  # [] selects nothing
        normalized.append(s)
    return tuple(normalized)


def _indexes_0_dim(s):
    return s is None or s is Ellipsis or isinstance(s, (bool, numpy.bool_))


class GetItem(FunctionNode):

    def __init__(self, slices):
        self.slices = _normalize_slices(slices)
        self._basic = _is_basic(self.slices)

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        ndim = in_data[0].ndim
        if ndim == 0 and not all(_indexes_0_dim(s) for s in self.slices):
            _check.fail(self, 'x.ndim >= 1 (an indexable array)',
                        'x.ndim == 0')

    def forward(self, inputs):
        x = inputs[0]
        try:
            y = x[self.slices]
        except IndexError as error:
            raise IndexError('get_item: index {!r} is invalid for an array '
                             'of shape {}: {}'.format(
                                 self.slices, x.shape, error)) from None
        xp = backend.get_array_module(x)
        if not isinstance(y, xp.ndarray):
            y = xp.asarray(y)
        return y,

    def backward(self, indexes, grad_outputs):
        node = self.inputs[0]
        return GetItemGrad(self.slices, self._basic, node.shape,
                           node.dtype).apply(grad_outputs)


class GetItemGrad(FunctionNode):
    """Scatters (adds) the output gradient into zeros of the input shape."""

    def __init__(self, slices, basic, shape, dtype):
        self.slices = slices
        self.basic = basic
        self.shape = shape
        self.dtype = dtype

    def forward(self, inputs):
        gy = inputs[0]
        xp = backend.get_array_module(gy)
        gx = xp.zeros(self.shape, gy.dtype)
        if self.basic:
            gx[self.slices] = gy
        elif xp is numpy:
            numpy.add.at(gx, self.slices, gy)
        else:
            _scatter_add_gpu(gx, self.slices, gy)
        return gx,

    def backward(self, indexes, grad_outputs):
        return get_item(grad_outputs[0], self.slices),


def _scatter_add_gpu(gx, slices, gy):
    xp = backend.get_array_module(gx)
    if hasattr(xp, 'add') and hasattr(xp.add, 'at'):
        xp.add.at(gx, slices, gy)
    else:
        import cupyx
        cupyx.scatter_add(gx, slices, gy)


def get_item(x, slices):
    """``x[slices]`` for ints, slices, None, Ellipsis, integer arrays and
    boolean masks (NumPy semantics); the gradient adds into repeated
    positions."""
    return GetItem(slices).apply((x,))[0]
