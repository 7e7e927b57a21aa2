"""Cumulative product along an axis.

The gradient never divides by ``x``, so it is exact where ``x`` has zeros:
``d y[i] / d x[k] = prod(x[j] for j <= i, j != k)`` for ``i >= k``, hence
``gx[k] = excl[k] * r[k]`` with the exclusive product
``excl[k] = prod(x[:k])`` and ``r[k] = sum(gy[i] * prod(x[k+1:i+1]) for
i >= k)``, a first-order linear recurrence ``r[k] = gy[k] + x[k+1] *
r[k+1]`` computed by the private ``_Scan`` node. Every piece is a
FunctionNode whose backward is again made of these pieces, so
differentiation can be repeated.
"""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.math import _reduction_util as _util


def _index(axis, key):
    """Index selecting ``key`` (an int or slice) along ``axis``."""
    return (slice(None),) * axis + (key,)


class _Shift(FunctionNode):
    """Moves ``x`` by one position along ``axis``: ``offset=1`` gives
    ``y[0] = fill, y[k] = x[k-1]``; ``offset=-1`` gives ``y[k] = x[k+1],
    y[-1] = fill``."""

    def __init__(self, axis, offset, fill):
        self.axis = axis
        self.offset = offset
        self.fill = fill

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        y = xp.empty_like(x)
        n = x.shape[self.axis]
        if n:
            if self.offset == 1:
                y[_index(self.axis, slice(1, None))] = \
                    x[_index(self.axis, slice(None, -1))]
                y[_index(self.axis, 0)] = self.fill
            else:
                y[_index(self.axis, slice(None, -1))] = \
                    x[_index(self.axis, slice(1, None))]
                y[_index(self.axis, -1)] = self.fill
        return y,

    def backward(self, indexes, grad_outputs):
        return _shift(grad_outputs[0], self.axis, -self.offset, 0),


def _shift(x, axis, offset, fill):
    return _Shift(axis, offset, fill).apply((x,))[0]


class _Scan(FunctionNode):
    """First-order linear recurrence along ``axis`` for inputs ``(a, b)``.

    Forward direction: ``r[0] = b[0]``, ``r[k] = b[k] + a[k] * r[k-1]``
    (``a[0]`` is unused). Reverse direction: ``r[n-1] = b[n-1]``,
    ``r[k] = b[k] + a[k] * r[k+1]`` (``a[n-1]`` is unused).
    """

    def __init__(self, axis, reverse):
        self.axis = axis
        self.reverse = reverse

    def forward(self, inputs):
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        a, b = inputs
        xp = backend.get_array_module(a, b)
        r = xp.empty_like(b)
        n = b.shape[self.axis]
        order = range(n - 1, -1, -1) if self.reverse else range(n)
        total = None
        for k in order:
            index = _index(self.axis, k)
            if total is None:
                total = b[index].copy()
            else:
                total = b[index] + a[index] * total
            r[index] = total
        return r,

    def backward(self, indexes, grad_outputs):
        # The adjoint of a recurrence is the recurrence run the other way
        # with the coefficients moved by one place.
        a, = self.get_retained_inputs()
        r, = self.get_retained_outputs()
        g = grad_outputs[0]
        step = -1 if self.reverse else 1
        s = _Scan(self.axis, not self.reverse).apply(
            (_shift(a, self.axis, -step, 0), g))[0]
        result = []
        for i in indexes:
            if i == 0:
                result.append(s * _shift(r, self.axis, step, 0))
            else:
                result.append(s)
        return tuple(result)


class Cumprod(FunctionNode):
    """``y[k] = prod(x[:k+1])`` along ``axis`` (an int); with
    ``reverse=True``, ``y[k] = prod(x[k:])``."""

    def __init__(self, axis, reverse=False):
        self.axis = axis
        self.reverse = reverse

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])
        _util.check_axis_in_range(self, self.axis, in_data[0].ndim)

    def forward(self, inputs):
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        x, = inputs
        xp = backend.get_array_module(x)
        axis = self.axis % x.ndim
        if self.reverse:
            y = xp.flip(xp.cumprod(xp.flip(x, axis), axis=axis), axis)
        else:
            y = xp.cumprod(x, axis=axis)
        return y.astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        y, = self.get_retained_outputs()
        gy = grad_outputs[0]
        axis = self.axis % x.ndim
        # step points from k towards the elements multiplied before x[k].
        step = -1 if self.reverse else 1
        exclusive = _shift(y, axis, step, 1)
        r = _Scan(axis, not self.reverse).apply(
            (_shift(x, axis, -step, 0), gy))[0]
        return exclusive * r,


def cumprod(x, axis=None):
    """Cumulative product of ``x`` along ``axis``.

    Args:
        x: Variable or array of float16/32/64.
        axis (None or int): the axis to accumulate along; None flattens
            ``x`` first (the result is then 1-D).
    Returns:
        Variable of ``x``'s dtype: ``x``'s shape, or ``(x.size,)`` when
        ``axis`` is None. The gradient is exact when ``x`` holds zeros (no
        division by ``x``); double backprop is supported.
    """
    axis = _util.int_or_none_axis('cumprod', axis)
    if axis is None:
        from dynet.functions.array.reshape import reshape
        x = reshape(x, (-1,))
        axis = 0
    return Cumprod(axis).apply((x,))[0]
