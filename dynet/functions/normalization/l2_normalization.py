"""L2 normalization along axes: ``x / (||x||_2 + eps)``."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.normalization import _util


class NormalizeL2(FunctionNode):

    def __init__(self, eps=1e-5, axis=1):
        self.eps = eps
        self.axis = axis

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])
        _check.normalize_axis(self, self.axis, in_data[0].ndim)

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        xp = backend.get_array_module(x)
        self.axes = _check.normalize_axis(self, self.axis, x.ndim)
        dtype = _util.stat_dtype(x.dtype)
        xw = x.astype(dtype, copy=False)
        norm = xp.sqrt(xp.square(xw).sum(axis=self.axes, keepdims=True))
        norm += dtype.type(self.eps)
        return (xw / norm).astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        # gx = gy / (r + eps) - x Sum(x gy) / (r (r + eps)^2), r = ||x||.
        # The second term vanishes where r = 0; the norm is computed as
        # sqrt(where(r > 0, r^2, 1)) there, so that no infinite derivative
        # of sqrt at 0 turns into NaN in double backward.
        from dynet.functions.array.where import where
        from dynet.functions.math.sqrt import sqrt
        from dynet.functions.math.sum import sum as sum_
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        axes = self.axes
        dtype = _util.stat_dtype(x.dtype)
        xw = _util.to_dtype(x, dtype)
        g = _util.to_dtype(gy, dtype)
        squared = sum_(xw * xw, axis=axes, keepdims=True)
        nonzero = squared.array > 0
        one = backend.get_array_module(nonzero).ones((), dtype)
        safe_norm = sqrt(where(nonzero, squared, one))
        norm = safe_norm * nonzero.astype(dtype) + self.eps
        x_gy = sum_(xw * g, axis=axes, keepdims=True)
        gx = g / norm - xw * (x_gy / (safe_norm * norm * norm))
        return _util.to_dtype(gx, x.dtype),


def normalize(x, eps=1e-5, axis=1):
    """L2 normalization: ``y = x / (||x||_2 + eps)``, the norm taken over
    ``axis`` (the other axes index independent vectors).

    Args:
        x: Variable or array of float16/32/64, any shape (float16 is
            computed in float32, so that the squares cannot overflow).
        eps (float): added to the norm (the result is 0 for a zero vector,
            and its gradient ``gy / eps``).
        axis (int or tuple of ints): the axes of each vector; negative
            values count from the end.
    Returns:
        Variable of ``x``'s shape and dtype; differentiable to any order.
    """
    return NormalizeL2(eps, axis).apply((x,))[0]
