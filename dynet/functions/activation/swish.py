"""Swish ``x * sigmoid(beta * x)``."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.activation.prelu import (
    _check_leading_param, _extended_shape, _reduction_axes)
from dynet.functions.activation.sigmoid import _sigmoid_array


class Swish(FunctionNode):

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        _check_leading_param(self, in_data[0], in_data[1], 'beta')

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, beta = inputs
        b = beta.reshape(_extended_shape(beta.shape, x.ndim))
        y = x * _sigmoid_array(x * b)
        xp = backend.get_array_module(x)
        return xp.asarray(y, dtype=x.dtype),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.activation.sigmoid import sigmoid
        from dynet.functions.array.reshape import reshape
        from dynet.functions.math.sum import sum as _sum
        x, beta = self.get_retained_inputs()
        gy = grad_outputs[0]
        b = reshape(beta, _extended_shape(beta.shape, x.ndim))
        s = sigmoid(x * b)
        y = x * s
        # d(y)/d(beta x) = x * s * (1 - s) = y * (1 - s)
        t = y * (1 - s)
        result = []
        if 0 in indexes:
            result.append(gy * (s + b * t))
        if 1 in indexes:
            result.append(_sum(gy * x * t,
                               axis=_reduction_axes(beta.ndim, x.ndim)))
        return tuple(result)


def swish(x, beta):
    """Swish ``x * sigmoid(beta * x)``, elementwise.

    ``beta`` covers the axes right after the batch axis: if ``beta.shape``
    is ``(s1, ..., sM)``, ``x`` must have shape ``(B, s1, ..., sM, ...)``
    and ``beta`` is shared over the batch and trailing axes (a 0-dim
    ``beta`` is one value for all).

    Args:
        x (Variable or array): float16/32/64 input with ``x.ndim >=
            beta.ndim + 1``.
        beta (Variable or array): the parameter, of ``x``'s dtype.
    Returns:
        Variable of ``x``'s shape and dtype. Gradients reach ``x`` and
        ``beta``; double backprop is supported.
    """
    return Swish().apply((x, beta))[0]
