"""Diagonals of (stacks of) matrices."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.array import _array_utils as _u


class Diagonal(FunctionNode):

    def __init__(self, offset=0, axis1=0, axis2=1):
        self.offset = _u.require_int(self, 'offset', offset)
        self.axis1 = _u.require_int(self, 'axis1', axis1)
        self.axis2 = _u.require_int(self, 'axis2', axis2)

    def _axes(self, x):
        if x.ndim < 2:
            _check.ndim_at_least(self, 'x', x, 2)
        a1 = _u.axis_in(self, 'axis1', self.axis1, x.ndim)
        a2 = _u.axis_in(self, 'axis2', self.axis2, x.ndim)
        if a1 == a2:
            _check.fail(self, 'axis1 and axis2 different axes',
                        'axis1 == {}, axis2 == {} (x.ndim == {})'.format(
                            self.axis1, self.axis2, x.ndim))
        return a1, a2

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        self._axes(in_data[0])

    def forward(self, inputs):
        x = inputs[0]
        self._axes(x)
        # NumPy's diagonal is a read-only view; the output owns its data.
        return x.diagonal(self.offset, self.axis1, self.axis2).copy(),

    def backward(self, indexes, grad_outputs):
        node = self.inputs[0]
        return DiagonalGrad(node.shape, self.offset, self.axis1,
                            self.axis2).apply(grad_outputs)


class DiagonalGrad(FunctionNode):
    """Zeros of the input shape with ``gy`` written on the diagonal."""

    def __init__(self, shape, offset, axis1, axis2):
        self.shape = shape
        self.offset = offset
        ndim = len(shape)
        self.axis1 = axis1 % ndim
        self.axis2 = axis2 % ndim

    def forward(self, inputs):
        gy = inputs[0]
        xp = backend.get_array_module(gy)
        gx = xp.zeros(self.shape, gy.dtype)
        # Move the two axes last (a view of gx), then write the diagonal.
        view = xp.moveaxis(gx, (self.axis1, self.axis2), (-2, -1))
        n = gy.shape[-1]
        rows = xp.arange(n) + max(-self.offset, 0)
        cols = xp.arange(n) + max(self.offset, 0)
        view[..., rows, cols] = gy
        return gx,

    def backward(self, indexes, grad_outputs):
        return diagonal(grad_outputs[0], self.offset, self.axis1,
                        self.axis2),


def diagonal(x, offset=0, axis1=0, axis2=1):
    """Takes diagonals, like ``numpy.diagonal``.

    ``y[..., i] == x[..., i, i + offset, ...]`` on the axes ``axis1`` and
    ``axis2``; those two axes are removed and the diagonal becomes the
    last axis.

    Args:
        x: Variable or array with ``ndim >= 2``.
        offset (int): offset from the main diagonal (positive: above).
        axis1, axis2 (int): the two (different) axes of the matrices.
    Returns:
        Variable of ``x``'s dtype.
    """
    return Diagonal(offset, axis1, axis2).apply((x,))[0]
