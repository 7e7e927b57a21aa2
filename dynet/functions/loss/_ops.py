"""Private differentiable pieces the losses' backward passes are built from.

``sigmoid`` and ``softmax`` belong to the activation functions; these
private copies keep the losses independent of them. Their backward passes
are written with dynet functions, so they can be differentiated again.
"""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.loss import _util


class _Sigmoid(FunctionNode):

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])

    def forward(self, inputs):
        self.retain_outputs((0,))
        x, = inputs
        xp = backend.get_array_module(x)
        half = x.dtype.type(0.5)
        # 1 / (1 + exp(-x)) == (1 + tanh(x / 2)) / 2 without overflow.
        return (xp.tanh(x * half) * half + half).astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return grad_outputs[0] * (y * (1 - y)),


def sigmoid(x):
    """Logistic sigmoid, elementwise (private)."""
    return _Sigmoid().apply((x,))[0]


def softmax_array(x, axis):
    """Softmax of an array along ``axis``, accumulated in float32 at
    least, returned in that working dtype."""
    xp = backend.get_array_module(x)
    x = x.astype(_util.work_dtype(x.dtype), copy=False)
    e = xp.exp(x - x.max(axis=axis, keepdims=True))
    e /= e.sum(axis=axis, keepdims=True)
    return e


class _Softmax(FunctionNode):

    def __init__(self, axis):
        self.axis = axis

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])

    def forward(self, inputs):
        self.retain_outputs((0,))
        x, = inputs
        if x.size == 0:
            return x.copy(),
        return softmax_array(x, self.axis).astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.sum import sum as _sum
        y, = self.get_retained_outputs()
        gy = grad_outputs[0]
        gyy = gy * y
        return gyy - y * _sum(gyy, axis=self.axis, keepdims=True),


def softmax(x, axis=1):
    """Softmax along ``axis`` (private)."""
    return _Softmax(axis).apply((x,))[0]
