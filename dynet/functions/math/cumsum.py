"""Cumulative sum along an axis."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.math import _reduction_util as _util


class Cumsum(FunctionNode):
    """``y[..., k, ...] = sum(x[..., :k+1, ...])`` along ``axis`` (an int);
    with ``reverse=True`` the sums run from the end: ``sum(x[k:])`` (the
    adjoint, used by backward)."""

    def __init__(self, axis, reverse=False):
        self.axis = axis
        self.reverse = reverse

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])
        _util.check_axis_in_range(self, self.axis, in_data[0].ndim)

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        axis = self.axis % x.ndim
        if self.reverse:
            y = xp.flip(xp.cumsum(xp.flip(x, axis), axis=axis), axis)
        else:
            y = xp.cumsum(x, axis=axis)
        return y.astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        return Cumsum(self.axis, not self.reverse).apply(grad_outputs)


def cumsum(x, axis=None):
    """Cumulative sum of ``x`` along ``axis``.

    Args:
        x: Variable or array of float16/32/64.
        axis (None or int): the axis to accumulate along; None flattens
            ``x`` first (the result is then 1-D).
    Returns:
        Variable of ``x``'s dtype: ``x``'s shape, or ``(x.size,)`` when
        ``axis`` is None. Double backprop is supported.
    """
    axis = _util.int_or_none_axis('cumsum', axis)
    if axis is None:
        from dynet.functions.array.reshape import reshape
        x = reshape(x, (-1,))
        axis = 0
    return Cumsum(axis).apply((x,))[0]
