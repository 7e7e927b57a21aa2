"""Tiling an array (``numpy.tile``)."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.array import _array_utils as _u


class Tile(FunctionNode):

    def __init__(self, reps):
        self.reps = _u.require_int_tuple(self, 'reps', reps)
        if any(r < 0 for r in self.reps):
            raise ValueError('{}: reps must be non-negative, got {}'.format(
                self.label, reps))

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)

    def forward(self, inputs):
        x = inputs[0]
        return backend.get_array_module(x).tile(x, self.reps),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.array.reshape import reshape
        from dynet.functions.math.sum import sum as sum_
        shape = self.inputs[0].shape
        reps = self.reps
        ndim = max(len(shape), len(reps))
        full_shape = (1,) * (ndim - len(shape)) + tuple(shape)
        reps = (1,) * (ndim - len(reps)) + reps
        # gy viewed as (r_0, n_0, r_1, n_1, ...): sum over the r axes.
        blocks = []
        for r, n in zip(reps, full_shape):
            blocks += [r, n]
        gx = sum_(reshape(grad_outputs[0], tuple(blocks)),
                  axis=tuple(range(0, 2 * ndim, 2)))
        return reshape(gx, shape),


def tile(x, reps):
    """Constructs an array by repeating ``x`` ``reps`` times (like
    ``numpy.tile``).

    Args:
        x: Variable or array.
        reps (int or tuple of ints): repetitions along each axis
            (non-negative); missing leading entries of either ``x.shape``
            or ``reps`` count as 1.
    Returns:
        Variable with ``max(x.ndim, len(reps))`` dimensions.
    """
    return Tile(reps).apply((x,))[0]
