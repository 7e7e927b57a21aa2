"""Log-sum-exp over axes, computed stably."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.math import _reduction_util as _util


class LogSumExp(FunctionNode):

    def __init__(self, axis=None):
        self.axis = axis

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])
        _check.normalize_axis(self, self.axis, in_data[0].ndim)

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        xp = backend.get_array_module(x)
        self._axes = _check.normalize_axis(self, self.axis, x.ndim)
        axes = _util.all_axes(self._axes, x.ndim)
        out_shape = tuple(n for i, n in enumerate(x.shape) if i not in axes)
        if _util.reduced_size(x.shape, axes) == 0:
            # log(sum of nothing) = log(0)
            return xp.full(out_shape, -numpy.inf, dtype=x.dtype),
        # float16 is summed in float32 (and rounded once at the end).
        work = x.astype(numpy.float32) if x.dtype == numpy.float16 else x
        m = work.max(axis=axes, keepdims=True)
        # Shift by the maximum so that exp never overflows; an infinite
        # maximum (all -inf, or some +inf) is not subtracted, which gives
        # -inf and +inf respectively instead of NaN.
        m = xp.where(xp.isfinite(m), m, 0)
        total = xp.exp(work - m).sum(axis=axes)
        with numpy.errstate(divide='ignore'):  # log(0) = -inf is intended
            y = xp.log(total) + m.reshape(out_shape)
        return _util.as_array(y, xp).astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        # d y / d x = softmax(x) along the axes. It is computed from x
        # shifted by its (constant) maximum rather than as exp(x - y): y is
        # rounded to x's dtype, and for large |x| (float16 spacing is 8 at
        # 1e4) exp(x - y) would be far off. Differentiable again.
        from dynet.functions.array.broadcast import broadcast_to
        from dynet.functions.math.exponential import exp
        from dynet.functions.math.sum import sum as _sum
        x, = self.get_retained_inputs()
        xp = backend.get_array_module(x.array)
        axes = _util.all_axes(self._axes, x.ndim)
        if _util.reduced_size(x.shape, axes) == 0:
            m = xp.zeros(_util.kept_shape(x.shape, axes), x.dtype)
        else:
            m = x.array.max(axis=axes, keepdims=True)
            m = xp.where(xp.isfinite(m), m, 0)
        e = exp(x - m)
        softmax = e / broadcast_to(_sum(e, axis=axes, keepdims=True),
                                   x.shape)
        gy = _util.expand_reduced(grad_outputs[0], x.shape, axes, False)
        return gy * softmax,


def logsumexp(x, axis=None):
    """``log(sum(exp(x)))`` over ``axis``, without overflow or underflow.

    The maximum over the reduced axes is subtracted before exponentiation,
    so inputs like ``+-1e4`` give finite, accurate results; all ``-inf``
    gives ``-inf`` and an empty reduction gives ``-inf`` (log 0).

    Args:
        x: Variable or array of float16/32/64.
        axis (None, int or tuple of ints): axes to reduce (None: all).
    Returns:
        Variable of ``x``'s dtype with the reduced axes removed. Its
        gradient is ``softmax(x)`` along the axes; double backprop is
        supported.
    """
    return LogSumExp(axis).apply((x,))[0]
