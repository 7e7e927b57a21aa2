"""Means: plain (``Mean``) and weighted (``average`` with ``weights``)."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.math import _reduction_util as _util


class Mean(FunctionNode):
    """Arithmetic mean of ``x`` over ``axis``."""

    def __init__(self, axis=None, keepdims=False):
        self.axis = axis
        self.keepdims = keepdims

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])
        _check.normalize_axis(self, self.axis, in_data[0].ndim)

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        self._axes = _check.normalize_axis(self, self.axis, x.ndim)
        axes = _util.all_axes(self._axes, x.ndim)
        count = _util.reduced_size(x.shape, axes)
        if count == 0:
            # The mean of nothing is NaN (NumPy's value, without its
            # warning).
            shape = _util.kept_shape(x.shape, axes)
            y = xp.full(shape, float('nan'), dtype=x.dtype)
            if not self.keepdims:
                y = y.reshape(tuple(n for i, n in enumerate(x.shape)
                                    if i not in axes))
            return y,
        # NumPy and CuPy accumulate float16 in float32 here.
        y = x.mean(axis=self._axes, keepdims=self.keepdims)
        return _util.as_array(y, xp).astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        shape = self.inputs[0].shape
        axes = _util.all_axes(self._axes, len(shape))
        count = _util.reduced_size(shape, axes)
        gy = grad_outputs[0] * (1.0 / count if count else 0.0)
        return _util.expand_reduced(gy, shape, axes, self.keepdims),


def average(x, axis=None, weights=None, keepdims=False):
    """Weighted average of the elements of ``x`` over ``axis``.

    Without ``weights`` this is the mean ``sum(x) / n`` over the reduced
    elements. With ``weights`` it is ``sum(x * w, axis) / sum(w)``.

    Args:
        x: Variable or array of float16/32/64.
        axis (None, int or tuple of ints): axes to average over (None:
            all). With ``weights`` a tuple may hold only one axis.
        weights (None, Variable or array): weights of ``x``'s dtype. When
            ``axis`` is None they have ``x``'s shape; when ``axis`` is one
            axis they are 1-D with ``weights.shape == (x.shape[axis],)``.
            They receive a gradient when they are a Variable.
        keepdims (bool): keep the averaged axes with length 1.
    Returns:
        Variable of ``x``'s dtype.
    """
    if weights is None:
        return Mean(axis, keepdims).apply((x,))[0]

    from dynet.functions.array.broadcast import broadcast_to
    from dynet.functions.array.reshape import reshape
    from dynet.functions.math.sum import sum as _sum
    from dynet.variable import as_variable
    x = as_variable(x)
    weights = as_variable(weights)
    ndim = x.ndim
    if axis is None:
        if weights.shape != x.shape:
            _util.fail('average', 'weights.shape == x.shape when axis is '
                       'None', 'weights.shape == {}, x.shape == {}'.format(
                           weights.shape, x.shape))
    else:
        axes = _check.normalize_axis(_util.Named('average'), axis, ndim)
        if len(axes) != 1:
            raise ValueError('average: weights need a single axis, got axis '
                             '== {!r}'.format(axis))
        a = axes[0]
        if weights.shape != (x.shape[a],):
            _util.fail('average', 'weights.shape == (x.shape[{}],) == '
                       '({},)'.format(a, x.shape[a]),
                       'weights.shape == {}'.format(weights.shape))
        w_shape = tuple(n if i == a else 1 for i, n in enumerate(x.shape))
        weights_total = weights
        weights = broadcast_to(reshape(weights, w_shape), x.shape)
        total = _sum(x * weights, axis=a, keepdims=keepdims)
        return total / broadcast_to(_sum(weights_total), total.shape)
    total = _sum(x * weights, axis=None, keepdims=keepdims)
    return total / broadcast_to(_sum(weights), total.shape)


def mean(x, axis=None, weights=None, keepdims=False):
    """Mean of ``x`` over ``axis``: the same function as :func:`average`
    (same arguments, same results).

    Args:
        x: Variable or array of float16/32/64.
        axis (None, int or tuple of ints): axes to average over.
        weights (None, Variable or array): optional weights, as in
            :func:`average`.
        keepdims (bool): keep the averaged axes with length 1.
    Returns:
        Variable of ``x``'s dtype.
    """
    return average(x, axis=axis, weights=weights, keepdims=keepdims)
