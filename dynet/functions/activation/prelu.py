"""Parametric rectifier."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


def _extended_shape(w_shape, x_ndim):
    """``W``'s shape padded to broadcast against ``x``: the batch axis in
    front and the trailing axes of ``x`` behind."""
    return (1,) + tuple(w_shape) + (1,) * (x_ndim - len(w_shape) - 1)


def _reduction_axes(w_ndim, x_ndim):
    return (0,) + tuple(range(1 + w_ndim, x_ndim))


def _check_leading_param(func, x, w, name):
    """``w`` matches the axes of ``x`` right after the batch axis."""
    _check.float_kind(func, 'x', x)
    _check.same_dtype(func, ('x', name), (x, w))
    _check.ndim_at_least(func, 'x', x, w.ndim + 1)
    if x.shape[1:1 + w.ndim] != w.shape:
        _check.fail(func, 'x.shape[1:1 + {0}.ndim] == {0}.shape'.format(name),
                    '{} != {}'.format(x.shape[1:1 + w.ndim], w.shape))


class PReLUFunction(FunctionNode):

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        _check_leading_param(self, in_data[0], in_data[1], 'W')

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, W = inputs
        xp = backend.get_array_module(x)
        self._nonnegative = x >= x.dtype.type(0)
        w = W.reshape(_extended_shape(W.shape, x.ndim))
        return xp.where(self._nonnegative, x, x * w),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.array.reshape import reshape
        from dynet.functions.math.sum import sum as _sum
        x, W = self.get_retained_inputs()
        gy = grad_outputs[0]
        negative = ~self._nonnegative
        result = []
        if 0 in indexes:
            w = reshape(W, _extended_shape(W.shape, x.ndim))
            # 1 where x >= 0, W where x < 0.
            result.append(gy * (w * negative + self._nonnegative))
        if 1 in indexes:
            gw = _sum(gy * x * negative,
                      axis=_reduction_axes(W.ndim, x.ndim))
            result.append(gw)
        return tuple(result)


def prelu(x, W):
    """Parametric ReLU: ``x`` for ``x >= 0`` and ``W * x`` otherwise.

    ``W`` covers the axes right after the batch axis: if ``W.shape`` is
    ``(s1, ..., sM)``, ``x`` must have shape ``(B, s1, ..., sM, ...)``
    and ``W`` is shared over the batch and the trailing axes.

    Args:
        x (Variable or array): float16/32/64 input with ``x.ndim >=
            W.ndim + 1``.
        W (Variable or array): the slopes, of ``x``'s dtype.
    Returns:
        Variable of ``x``'s shape and dtype. Gradients reach ``x`` and
        ``W`` (at ``x == 0`` the gradient is that of the identity part);
        double backprop is supported.
    """
    return PReLUFunction().apply((x, W))[0]
