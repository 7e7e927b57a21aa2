"""Squared L2 norm of each sample of a batch."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.math import _reduction_util as _util


class BatchL2NormSquared(FunctionNode):

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])
        _check.ndim_at_least(self, 'x', in_data[0], 2)

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        xp = backend.get_array_module(x)
        rows = x.reshape(x.shape[0], _util.reduced_size(
            x.shape, range(1, x.ndim)))
        # float16 squares are summed in float32 and rounded once.
        acc = numpy.float32 if x.dtype == numpy.float16 else x.dtype
        rows = rows.astype(acc, copy=False)
        y = (rows * rows).sum(axis=1)
        return _util.as_array(y, xp).astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gy = _util.expand_reduced(grad_outputs[0], x.shape,
                                  tuple(range(1, x.ndim)), False)
        return gy * (x * 2.0),


def batch_l2_norm_squared(x):
    """Squared L2 norm of each sample: ``y[i] = sum(x[i] ** 2)``.

    The first axis is the batch; all the others are summed over (as if
    flattened). No reduction is done along the batch axis.

    Args:
        x: Variable or array of float16/32/64 with ``x.ndim >= 2``.
    Returns:
        Variable of shape ``(x.shape[0],)`` and ``x``'s dtype. Double
        backprop is supported.
    """
    return BatchL2NormSquared().apply((x,))[0]
