"""Reshape without copying data."""
from dynet.function_node import FunctionNode
from dynet.functions import _check


def _resolve_shape(func, shape, size):
    """``shape`` with a single -1 resolved; a clear error if impossible."""
    shape = tuple(int(n) for n in shape)
    unknown = [i for i, n in enumerate(shape) if n == -1]
    if len(unknown) > 1 or any(n < -1 for n in shape):
        raise ValueError('{}: shape {} may hold at most one -1 and no other '
                         'negative size'.format(func.label, shape))
    known = 1
    for n in shape:
        if n != -1:
            known *= n
    if unknown:
        if known == 0 or size % known:
            _check.fail(func, 'x.size divisible into shape {}'.format(shape),
                        'x.size == {}'.format(size))
        shape = shape[:unknown[0]] + (size // known,) + shape[unknown[0] + 1:]
    elif known != size:
        _check.fail(func, 'x.size == {} (the size of shape {})'.format(
            known, shape), 'x.size == {}'.format(size))
    return shape


class Reshape(FunctionNode):

    def __init__(self, shape):
        self.shape = shape

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _resolve_shape(self, self.shape, in_data[0].size)

    def forward(self, inputs):
        return inputs[0].reshape(self.shape),

    def backward(self, indexes, grad_outputs):
        return reshape(grad_outputs[0], self.inputs[0].shape),


def reshape(x, shape):
    """Gives ``x`` a new shape with the same number of elements.

    One entry of ``shape`` may be -1 (inferred). Returns a view of ``x``'s
    data (no copy) when possible.
    """
    if isinstance(shape, int):
        shape = (shape,)
    if getattr(x, 'shape', None) == tuple(shape):
        from dynet.variable import as_variable
        return as_variable(x)
    return Reshape(shape).apply((x,))[0]
