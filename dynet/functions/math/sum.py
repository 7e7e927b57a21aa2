"""Sums: over axes (``sum``) and down to a broadcast-compatible shape
(``sum_to``)."""
import numpy

from dynet.function_node import FunctionNode
from dynet.functions import _check


class Sum(FunctionNode):

    def __init__(self, axis=None, keepdims=False):
        self.axis = axis
        self.keepdims = keepdims

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.normalize_axis(self, self.axis, in_data[0].ndim)

    def forward(self, inputs):
        x = inputs[0]
        # Computed here, not in _check_inputs, which is skipped when
        # config.type_check is off.
        self._axes = _check.normalize_axis(self, self.axis, x.ndim)
        y = x.sum(axis=self._axes, keepdims=self.keepdims)
        return numpy.asarray(y) if isinstance(y, numpy.generic) else y,

    def backward(self, indexes, grad_outputs):
        from dynet.functions.array.broadcast import broadcast_to
        from dynet.functions.array.reshape import reshape
        gy = grad_outputs[0]
        shape = self.inputs[0].shape
        if not self.keepdims:
            axes = self._axes if self._axes is not None else \
                tuple(range(len(shape)))
            kept = list(shape)
            for a in axes:
                kept[a] = 1
            gy = reshape(gy, tuple(kept))
        return broadcast_to(gy, shape),


def sum(x, axis=None, keepdims=False):
    """Sum of the elements of ``x`` over ``axis`` (None: all axes).

    Args:
        x: input Variable or array.
        axis (None, int or tuple of ints): axes to sum over; negative
            values count from the end.
        keepdims (bool): keep the summed axes with length 1.
    Returns:
        Variable of ``x``'s dtype.
    """
    return Sum(axis, keepdims).apply((x,))[0]


def _sum_to_array(x, shape):
    """Sums array ``x`` down to ``shape`` (NumPy broadcasting in reverse)."""
    lead = x.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and x.shape[lead + i]
        != 1)
    y = x.sum(axis=axes, keepdims=True) if axes else x
    if lead:
        y = y.reshape(shape)
    return y


class SumTo(FunctionNode):

    def __init__(self, shape):
        self.shape = tuple(shape)

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        x_shape = in_data[0].shape
        lead = len(x_shape) - len(self.shape)
        if lead < 0 or any(n != 1 and n != m for n, m in zip(
                self.shape, x_shape[lead:])):
            _check.fail(self, 'x.shape broadcastable to {}'.format(
                self.shape), 'x.shape == {}'.format(x_shape))

    def forward(self, inputs):
        x = inputs[0]
        if x.shape == self.shape:
            return x.copy(),
        return _sum_to_array(x, self.shape),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.array.broadcast import broadcast_to
        return broadcast_to(grad_outputs[0], self.inputs[0].shape),


def sum_to(x, shape):
    """Sums ``x`` over the axes along which ``shape`` was broadcast to
    ``x.shape`` (the adjoint of ``broadcast_to``)."""
    return SumTo(shape).apply((x,))[0]
