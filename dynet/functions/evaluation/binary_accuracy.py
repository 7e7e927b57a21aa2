"""Binary classification accuracy."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.evaluation import _util

_IGNORE = -1


class BinaryAccuracy(_util.NonDifferentiable, FunctionNode):

    ignore_label = _IGNORE

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        y, t = in_data
        _check.float_kind(self, 'y', y)
        _check.int_kind(self, 't', t)
        _check.same_shape(self, ('y', 't'), in_data)

    def forward(self, inputs):
        y, t = inputs
        xp = backend.get_array_module(y)
        correct = int(((y >= 0) == t).sum())
        count = max(int((t != _IGNORE).sum()), 1)
        return xp.asarray(correct / count, dtype=y.dtype),


def binary_accuracy(y, t):
    """Binary classification accuracy.

    The prediction is 1 where ``y >= 0`` and 0 elsewhere; positions with
    ``t == -1`` are ignored (accuracy 0 if all are).

    Args:
        y: Variable or array of scores (float16/32/64), any shape.
        t: Variable or int array of labels 0, 1 or -1 of ``y``'s shape.
    Returns:
        0-dim Variable of ``y``'s dtype. Not differentiable.
    """
    return BinaryAccuracy().apply((y, t))[0]
