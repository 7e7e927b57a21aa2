"""Fully connected layer: ``y = x W^T + b``."""
import math

from dynet.function_node import FunctionNode
from dynet.functions import _check


class LinearFunction(FunctionNode):
    """``x`` (N, I), ``W`` (O, I), optional ``b`` (O,) -> (N, O)."""

    def _check_inputs(self, in_data):
        n = len(in_data)
        if n not in (2, 3):
            _check.fail(self, '2 or 3 inputs (x, W[, b])',
                        '{} input(s)'.format(n))
        x, w = in_data[:2]
        names = ('x', 'W', 'b')[:n]
        _check.float_kind(self, 'x', x)
        _check.same_dtype(self, names, in_data)
        _check.ndim_equal(self, 'x', x, 2)
        _check.ndim_equal(self, 'W', w, 2)
        if x.shape[1] != w.shape[1]:
            _check.fail(self, 'x.shape[1] == W.shape[1]',
                        '{} != {}'.format(x.shape[1], w.shape[1]))
        if n == 3:
            b = in_data[2]
            _check.ndim_equal(self, 'b', b, 1)
            if b.shape[0] != w.shape[0]:
                _check.fail(self, 'b.shape[0] == W.shape[0]',
                            '{} != {}'.format(b.shape[0], w.shape[0]))

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, w = inputs[:2]
        y = x.dot(w.T)
        if len(inputs) == 3:
            y += inputs[2]
        return y.astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.matmul import matmul
        from dynet.functions.math.sum import sum as sum_
        x, w = self.get_retained_inputs()
        gy = grad_outputs[0]
        result = []
        for i in indexes:
            if i == 0:
                result.append(matmul(gy, w))
            elif i == 1:
                result.append(matmul(gy, x, transa=True))
            else:
                result.append(sum_(gy, axis=0))
        return tuple(result)


def linear(x, W, b=None, n_batch_axes=1):
    """Linear function ``y = x W^T + b``.

    Args:
        x: input of shape ``(s_1, ..., s_k, d_1, ..., d_m)`` where the first
            ``n_batch_axes`` axes are batch axes; the rest is flattened
            into ``I = d_1 * ... * d_m`` features.
        W: weight of shape (O, I).
        b: optional bias of shape (O,).
        n_batch_axes (int): number of leading batch axes (>= 1).
    Returns:
        Variable of shape ``(s_1, ..., s_k, O)`` and ``x``'s dtype.
    """
    from dynet.functions.array.reshape import reshape
    if n_batch_axes <= 0:
        raise ValueError('linear: n_batch_axes must be positive, got {}'
                         .format(n_batch_axes))
    shape = x.shape
    if len(shape) < n_batch_axes:
        raise ValueError('linear: x has {} axes, fewer than n_batch_axes={}'
                         .format(len(shape), n_batch_axes))
    batch_shape = shape[:n_batch_axes]
    batch_size = 1
    for n in batch_shape:
        batch_size *= n
    if len(shape) != 2 or n_batch_axes != 1:
        x = reshape(x, (batch_size, -1) if batch_size else
                    (0, math.prod(shape[n_batch_axes:])))
    inputs = (x, W) if b is None else (x, W, b)
    y = LinearFunction().apply(inputs)[0]
    if n_batch_axes > 1:
        y = reshape(y, batch_shape + (y.shape[1],))
    return y
