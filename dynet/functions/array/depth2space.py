"""Rearranging channels into spatial blocks (``depth2space``) and back
(``space2depth``); each is the other's inverse and adjoint."""
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.array import _array_utils as _u


def _block_size(func, r):
    r = _u.require_int(func, 'r', r)
    if r < 1:
        raise ValueError('{}: r must be a positive int, got {}'.format(
            func.label, r))
    return r


class Depth2Space(FunctionNode):

    def __init__(self, r):
        self.r = _block_size(self, r)

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        x = in_data[0]
        _check.float_kind(self, 'X', x)
        _check.ndim_equal(self, 'X', x, 4)
        if x.shape[1] % (self.r * self.r):
            _check.fail(self, 'X.shape[1] % (r * r) == 0 (r == {})'.format(
                self.r), 'X.shape[1] == {}'.format(x.shape[1]))

    def forward(self, inputs):
        x = inputs[0]
        r = self.r
        b, c, h, w = x.shape
        c //= r * r
        # Channel (i * r + j) * c + k goes to pixel (h * r + i, w * r + j)
        # of output channel k.
        y = x.reshape(b, r, r, c, h, w).transpose(0, 3, 4, 1, 5, 2)
        return y.reshape(b, c, h * r, w * r),

    def backward(self, indexes, grad_outputs):
        return space2depth(grad_outputs[0], self.r),


class Space2Depth(FunctionNode):

    def __init__(self, r):
        self.r = _block_size(self, r)

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        x = in_data[0]
        _check.float_kind(self, 'X', x)
        _check.ndim_equal(self, 'X', x, 4)
        for axis in (2, 3):
            if x.shape[axis] % self.r:
                _check.fail(self, 'X.shape[{}] % r == 0 (r == {})'.format(
                    axis, self.r), 'X.shape[{}] == {}'.format(
                        axis, x.shape[axis]))

    def forward(self, inputs):
        x = inputs[0]
        r = self.r
        b, c, h, w = x.shape
        h //= r
        w //= r
        y = x.reshape(b, c, h, r, w, r).transpose(0, 3, 5, 1, 2, 4)
        return y.reshape(b, r * r * c, h, w),

    def backward(self, indexes, grad_outputs):
        return depth2space(grad_outputs[0], self.r),


def depth2space(X, r):
    """Moves channel blocks into ``r x r`` spatial blocks.

    ``y[b, k, h * r + i, w * r + j] == X[b, (i * r + j) * C + k, h, w]``
    where ``C = X.shape[1] // r**2`` (TensorFlow's depth_to_space order).

    Args:
        X: Variable or array of shape ``(B, r * r * C, H, W)``, float.
        r (int): the block size.
    Returns:
        Variable of shape ``(B, C, H * r, W * r)``.
    """
    return Depth2Space(r).apply((X,))[0]


def space2depth(X, r):
    """Moves ``r x r`` spatial blocks into channels (inverse of
    ``depth2space``).

    ``y[b, (i * r + j) * C + k, h, w] == X[b, k, h * r + i, w * r + j]``.

    Args:
        X: Variable or array of shape ``(B, C, H * r, W * r)``, float.
        r (int): the block size.
    Returns:
        Variable of shape ``(B, r * r * C, H, W)``.
    """
    return Space2Depth(r).apply((X,))[0]
