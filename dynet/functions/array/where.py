"""Elementwise choice between two arrays by a boolean condition."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.variable import Variable


class Where(FunctionNode):

    def __init__(self, condition):
        self.condition = condition

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        condition = self.condition
        if condition.dtype != numpy.bool_:
            _check.fail(self, 'condition.dtype == bool',
                        'condition.dtype == {}'.format(condition.dtype))
        _check.same_dtype(self, ('x', 'y'), in_data)
        _check.broadcastable(self, ('condition', 'x', 'y'),
                             (condition,) + tuple(in_data))

    def forward(self, inputs):
        x, y = inputs
        xp = backend.get_array_module(x, y, self.condition)
        out = xp.where(self.condition, x, y)
        return out.astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.sum import sum_to
        gy = grad_outputs[0]
        xp = backend.get_array_module(gy.array)
        zero = xp.zeros((), gy.dtype)
        result = []
        for i in indexes:
            pair = (gy, zero) if i == 0 else (zero, gy)
            g = Where(self.condition).apply(pair)[0]
            shape = self.inputs[i].shape
            result.append(g if g.shape == shape else sum_to(g, shape))
        return tuple(result)


def where(condition, x, y):
    """Chooses ``x`` where ``condition`` holds and ``y`` elsewhere.

    ``condition``, ``x`` and ``y`` broadcast together (NumPy rules). The
    gradient flows to ``x`` where the condition holds and to ``y``
    elsewhere (summed over broadcast axes); ``condition`` gets none.

    Args:
        condition: boolean array or Variable.
        x, y: Variables or arrays of one dtype.
    Returns:
        Variable of the broadcast shape and ``x``'s dtype.
    """
    if isinstance(condition, Variable):
        condition = condition.array
    if not hasattr(condition, 'dtype'):
        raise TypeError('where: condition must be a boolean array or '
                        'Variable, got {}'.format(type(condition).__name__))
    return Where(condition).apply((x, y))[0]
