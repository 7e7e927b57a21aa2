"""Inserting a length-1 axis."""
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.array import _array_utils as _u


class ExpandDims(FunctionNode):

    def __init__(self, axis):
        self.axis = _u.require_int(self, 'axis', axis)

    def _normalized_axis(self, x):
        return _u.axis_in(self, 'axis', self.axis, x.ndim + 1,
                          'x.ndim + 1 == {}'.format(x.ndim + 1))

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        self._normalized_axis(in_data[0])

    def forward(self, inputs):
        x = inputs[0]
        axis = self._normalized_axis(x)
        return x.reshape(x.shape[:axis] + (1,) + x.shape[axis:]),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.array.reshape import reshape
        return reshape(grad_outputs[0], self.inputs[0].shape),


def expand_dims(x, axis):
    """Inserts an axis of length 1 at position ``axis``.

    Args:
        x: Variable or array.
        axis (int): position of the new axis in the output, in
            ``[-x.ndim - 1, x.ndim]``.
    Returns:
        Variable of ``x.ndim + 1`` dimensions (a view of ``x``'s data).
    """
    return ExpandDims(axis).apply((x,))[0]
