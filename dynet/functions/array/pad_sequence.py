"""Padding variable-length sequences into one batch array."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.array import _array_utils as _u


class PadSequence(FunctionNode):

    def __init__(self, length, padding):
        if length is not None:
            length = _u.require_int(self, 'length', length)
            if length < 0:
                raise ValueError('{}: length must be non-negative, got {}'
                                 .format(self.label, length))
        self.length = length
        self.padding = padding

    def _check_inputs(self, in_data):
        if not in_data:
            _check.fail(self, 'at least one input', 'no inputs')
        first = in_data[0]
        for i, x in enumerate(in_data):
            name = 'xs[{}]'.format(i)
            _check.ndim_at_least(self, name, x, 1)
            if x.shape[1:] != first.shape[1:]:
                _check.fail(self, '{}.shape[1:] == xs[0].shape[1:]'.format(
                    name), '{} != {}'.format(x.shape[1:], first.shape[1:]))
            if x.dtype != first.dtype:
                _check.fail(self, '{}.dtype == xs[0].dtype'.format(name),
                            '{} != {}'.format(x.dtype, first.dtype))
            if self.length is not None and x.shape[0] > self.length:
                _check.fail(self, '{}.shape[0] <= length (length == {})'
                            .format(name, self.length),
                            '{}.shape[0] == {}'.format(name, x.shape[0]))

    def forward(self, inputs):
        xp = backend.get_array_module(*inputs)
        longest = max(len(x) for x in inputs)
        length = longest if self.length is None else self.length
        if longest > length:
            raise ValueError('{}: a sequence of length {} is longer than '
                             'length == {}'.format(self.label, longest,
                                                   length))
        first = inputs[0]
        y = xp.empty((len(inputs), length) + first.shape[1:], first.dtype)
        for i, x in enumerate(inputs):
            n = len(x)
            y[i, :n] = x
            y[i, n:] = self.padding
        return y,

    def backward(self, indexes, grad_outputs):
        from dynet.functions.array.get_item import get_item
        gy = grad_outputs[0]
        return tuple(get_item(gy, (i, slice(0, self.inputs[i].shape[0])))
                     for i in indexes)


def pad_sequence(xs, length=None, padding=0):
    """Pads sequences of different lengths into one array.

    ``y[i, :len(xs[i])] == xs[i]`` and ``y[i, len(xs[i]):] == padding``.

    Args:
        xs: a list or tuple of Variables or arrays of shapes ``(L_i, ...)``
            with one dtype and equal trailing shapes.
        length (int or None): the padded length; None uses the longest
            ``L_i``. No sequence may be longer.
        padding (scalar): the fill value (receives no gradient).
    Returns:
        Variable of shape ``(len(xs), length) + xs[0].shape[1:]``.
    """
    return PadSequence(length, padding).apply(tuple(xs))[0]
