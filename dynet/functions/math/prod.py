"""Product over axes."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.math import _reduction_util as _util


class Prod(FunctionNode):
    """Product of the elements of ``x`` over ``axis``."""

    def __init__(self, axis=None, keepdims=False):
        self.axis = axis
        self.keepdims = keepdims

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])
        _check.normalize_axis(self, self.axis, in_data[0].ndim)

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        xp = backend.get_array_module(x)
        self._axes = _check.normalize_axis(self, self.axis, x.ndim)
        y = x.prod(axis=self._axes, keepdims=self.keepdims)
        return _util.as_array(y, xp).astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        # d prod / d x[k] = prod of the other elements = (product of those
        # before k) * (product of those after k) along the flattened
        # reduced axes: exact when x holds zeros, no division.
        from dynet.functions.array.reshape import reshape
        from dynet.functions.array.transpose import transpose
        from dynet.functions.math.cumprod import Cumprod, _shift
        x, = self.get_retained_inputs()
        shape = x.shape
        axes = _util.all_axes(self._axes, x.ndim)
        kept = tuple(i for i in range(x.ndim) if i not in axes)
        order = axes + kept
        moved = x if order == tuple(range(x.ndim)) else transpose(x, order)
        moved_shape = moved.shape
        flat = reshape(moved, (_util.reduced_size(shape, axes),) +
                       tuple(shape[i] for i in kept))
        before = _shift(Cumprod(0).apply((flat,))[0], 0, 1, 1)
        after = _shift(Cumprod(0, reverse=True).apply((flat,))[0], 0, -1, 1)
        others = reshape(before * after, moved_shape)
        if order != tuple(range(x.ndim)):
            others = transpose(others, tuple(numpy.argsort(order)))
        gy = _util.expand_reduced(grad_outputs[0], shape, axes, self.keepdims)
        return others * gy,


def prod(x, axis=None, keepdims=False):
    """Product of the elements of ``x`` over ``axis``.

    Args:
        x: Variable or array of float16/32/64.
        axis (None, int or tuple of ints): axes to multiply over (None:
            all); negative values count from the end.
        keepdims (bool): keep the reduced axes with length 1.
    Returns:
        Variable of ``x``'s dtype. The gradient of each element is the
        product of the other elements (exact with zeros in ``x``); double
        backprop is supported.
    """
    return Prod(axis, keepdims).apply((x,))[0]
