"""Matrix products with NumPy's ``matmul`` broadcasting of batch axes."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


def _swap_last(x):
    """Transposes the last two axes of an array."""
    return x.swapaxes(-1, -2)


class MatMul(FunctionNode):
    """``op(a) @ op(b)`` for arrays of ndim >= 2, where ``op`` optionally
    transposes the last two axes."""

    def __init__(self, transa=False, transb=False):
        self.transa = transa
        self.transb = transb

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        a, b = in_data
        _check.same_dtype(self, ('a', 'b'), in_data)
        _check.ndim_at_least(self, 'a', a, 2)
        _check.ndim_at_least(self, 'b', b, 2)
        a_inner = a.shape[-2] if self.transa else a.shape[-1]
        b_inner = b.shape[-1] if self.transb else b.shape[-2]
        if a_inner != b_inner:
            _check.fail(self, 'inner dimensions of a{} and b{} equal'.format(
                '.T' if self.transa else '', '.T' if self.transb else ''),
                'a.shape == {}, b.shape == {}'.format(a.shape, b.shape))
        try:
            numpy.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        except ValueError:
            _check.fail(self, 'batch axes of a and b broadcastable',
                        'a.shape == {}, b.shape == {}'.format(
                            a.shape, b.shape))

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        a, b = inputs
        if self.transa:
            a = _swap_last(a)
        if self.transb:
            b = _swap_last(b)
        xp = backend.get_array_module(a)
        return xp.matmul(a, b),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.basic_math import _sum_to
        gy = grad_outputs[0]
        a, b = self.get_retained_inputs()
        result = []
        for i in indexes:
            if i == 0:
                # d(op(a)) = gy @ op(b)^T; undo op on a.
                if self.transa:
                    ga = matmul(b, gy, transa=self.transb, transb=True)
                else:
                    ga = matmul(gy, b, transb=not self.transb)
                result.append(_sum_to(ga, a.shape))
            else:
                if self.transb:
                    gb = matmul(gy, a, transa=True, transb=self.transa)
                else:
                    gb = matmul(a, gy, transa=not self.transa)
                result.append(_sum_to(gb, b.shape))
        return tuple(result)


def matmul(a, b, transa=False, transb=False):
    """Matrix product of ``a`` and ``b``.

    Arrays of ndim >= 2 are stacks of matrices with NumPy broadcasting of
    the leading axes; 1-D arrays are treated as a row (``a``) or a column
    (``b``) vector, and that axis is removed from the result, as in
    ``numpy.matmul``. ``transa``/``transb`` transpose the last two axes
    first (ignored for 1-D inputs).
    """
    from dynet.functions.array.reshape import reshape
    a_vector = getattr(a, 'ndim', 2) == 1
    b_vector = getattr(b, 'ndim', 2) == 1
    if a_vector:
        a = reshape(a, (1, -1))
        transa = False
    if b_vector:
        b = reshape(b, (-1, 1))
        transb = False
    y = MatMul(transa, transb).apply((a, b))[0]
    if a_vector and b_vector:
        return reshape(y, ())
    if a_vector:
        return reshape(y, y.shape[:-2] + y.shape[-1:])
    if b_vector:
        return reshape(y, y.shape[:-1])
    return y
