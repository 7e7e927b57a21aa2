"""Maxout: the maximum over groups of ``pool_size`` channels."""
import numpy

from dynet.function_node import FunctionNode
from dynet.functions import _check


def _pooled_shape(shape, axis, pool_size):
    return shape[:axis] + (shape[axis] // pool_size, pool_size) + \
        shape[axis + 1:]


class Maxout(FunctionNode):

    def __init__(self, pool_size, axis):
        self.pool_size = pool_size
        self.axis = axis

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        x = in_data[0]
        _check.float_kind(self, 'x', x)
        axis, = _check.normalize_axis(self, self.axis, x.ndim)
        if x.shape[axis] % self.pool_size != 0:
            _check.fail(self, 'x.shape[{}] % pool_size == 0'.format(axis),
                        '{} % {} != 0'.format(x.shape[axis],
                                              self.pool_size))

    def forward(self, inputs):
        x = inputs[0]
        axis = self.axis % x.ndim
        pooled = x.reshape(_pooled_shape(x.shape, axis, self.pool_size))
        y = pooled.max(axis=axis + 1, keepdims=True)
        # Every maximal element of a group receives the gradient (ties
        # included), as in Chainer.
        self._argmax = pooled == y
        self._axis = axis
        return y.reshape(y.shape[:axis + 1] + y.shape[axis + 2:]),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.array.broadcast import broadcast_to
        from dynet.functions.array.reshape import reshape
        gy = grad_outputs[0]
        axis = self._axis
        pooled_shape = self._argmax.shape
        gy = reshape(gy, gy.shape[:axis + 1] + (1,) + gy.shape[axis + 1:])
        gx = broadcast_to(gy, pooled_shape) * self._argmax
        return reshape(gx, self.inputs[0].shape),


def maxout(x, pool_size, axis=1):
    """Maxout activation.

    The ``axis`` dimension of ``x`` (of size ``M * pool_size``) is split
    into ``(M, pool_size)`` and the maximum is taken over each group of
    ``pool_size`` consecutive entries.

    Args:
        x (Variable or array): float16/32/64 input.
        pool_size (int): the group size (positive).
        axis (int): the axis to pool over (negative counts from the end);
            its size must be a multiple of ``pool_size``.
    Returns:
        Variable of ``x``'s dtype and shape except that ``axis`` has size
        ``M``. The gradient goes to every maximal element of a group.
    """
    if not isinstance(pool_size, (int, numpy.integer)) or isinstance(
            pool_size, bool):
        raise TypeError('maxout: pool_size must be an int, got {!r}'.format(
            pool_size))
    if pool_size <= 0:
        raise ValueError('maxout: pool_size must be a positive integer, got '
                         '{}'.format(pool_size))
    if not isinstance(axis, (int, numpy.integer)) or isinstance(axis, bool):
        raise TypeError('maxout: axis must be an int, got {!r}'.format(axis))
    return Maxout(int(pool_size), int(axis)).apply((x,))[0]
