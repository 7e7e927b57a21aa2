"""Logarithm of the softmax along one axis."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.activation.softmax import _check_axis_type


def _log_softmax_array(x, axis):
    """``x - logsumexp(x, axis)`` computed stably, in ``x``'s dtype."""
    if x.size == 0:
        return x.copy()
    xp = backend.get_array_module(x)
    shifted = x - x.max(axis=axis, keepdims=True)
    log_z = xp.log(xp.exp(shifted).sum(axis=axis, keepdims=True))
    shifted -= log_z
    return shifted


class LogSoftmax(FunctionNode):

    def __init__(self, axis=1):
        self.axis = axis

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])
        _check.normalize_axis(self, self.axis, in_data[0].ndim)

    def forward(self, inputs):
        self.retain_outputs((0,))
        return _log_softmax_array(inputs[0], self.axis),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.exponential import exp
        from dynet.functions.math.sum import sum as _sum
        y, = self.get_retained_outputs()
        gy = grad_outputs[0]
        return gy - exp(y) * _sum(gy, axis=self.axis, keepdims=True),


def log_softmax(x, axis=1):
    """``log(softmax(x, axis))``, computed as ``x - logsumexp(x, axis)``.

    Numerically stable: the maximum along ``axis`` is subtracted before
    exponentiating, so logits of any magnitude (e.g. ``±1e4``) give finite
    results, unlike ``log(softmax(x))`` which underflows to ``-inf``.

    Args:
        x (Variable or array): float16/32/64 input with ``x.ndim >= 1``.
        axis (int): the axis to normalize over (negative counts from the
            end).
    Returns:
        Variable of ``x``'s shape and dtype. Double backprop is supported.
    """
    _check_axis_type('log_softmax', axis)
    return LogSoftmax(axis).apply((x,))[0]
