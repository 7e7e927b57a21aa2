"""Removing length-1 axes."""
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.array import _array_utils as _u


class Squeeze(FunctionNode):

    def __init__(self, axis=None):
        if axis is None:
            self.axis = None
        else:
            self.axis = _u.require_int_tuple(self, 'axis', axis)

    def _axes(self, x):
        """The axes to remove, validated, as non-negative ints."""
        if self.axis is None:
            return tuple(i for i, n in enumerate(x.shape) if n == 1)
        axes = _check.normalize_axis(self, self.axis, x.ndim)
        for a in axes:
            if x.shape[a] != 1:
                _check.fail(self, 'x.shape[{}] == 1 (a squeezed axis)'.format(
                    a), 'x.shape == {}'.format(x.shape))
        return axes

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        self._axes(in_data[0])

    def forward(self, inputs):
        x = inputs[0]
        axes = self._axes(x)
        return x.reshape(tuple(n for i, n in enumerate(x.shape)
                               if i not in axes)),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.array.reshape import reshape
        return reshape(grad_outputs[0], self.inputs[0].shape),


def squeeze(x, axis=None):
    """Removes axes of length 1.

    Args:
        x: Variable or array.
        axis (None, int or tuple of ints): the axes to remove (each must
            have length 1); None removes every length-1 axis.
    Returns:
        Variable (a view of ``x``'s data).
    """
    return Squeeze(axis).apply((x,))[0]
