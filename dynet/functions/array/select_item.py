"""Selecting one element per row: ``y[i] = x[i, t[i]]``."""
from dynet import backend
from dynet.config import config
from dynet.function_node import FunctionNode
from dynet.functions import _check


class SelectItem(FunctionNode):

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        x, t = in_data
        if t.dtype.kind != 'i':
            _check.fail(self, 't.dtype.kind == i (a signed integer array)',
                        't.dtype == {}'.format(t.dtype))
        _check.ndim_equal(self, 'x', x, 2)
        _check.ndim_equal(self, 't', t, 1)
        if x.shape[0] != t.shape[0]:
            _check.fail(self, 'x.shape[0] == t.shape[0]',
                        '{} != {}'.format(x.shape[0], t.shape[0]))

    def forward(self, inputs):
        x, t = inputs
        if config.debug and t.size and not bool(
                ((0 <= t) & (t < x.shape[1])).all()):
            raise ValueError('{}: every t[i] must satisfy 0 <= t[i] < '
                             'x.shape[1] == {}'.format(self.label,
                                                       x.shape[1]))
        self._t = t
        xp = backend.get_array_module(x)
        return x[xp.arange(t.shape[0]), t],

    def backward(self, indexes, grad_outputs):
        node = self.inputs[0]
        gx = SelectItemGrad(node.shape, self._t).apply(grad_outputs)[0]
        return gx, None


class SelectItemGrad(FunctionNode):
    """Zeros of ``x``'s shape with ``gy[i]`` at ``(i, t[i])``."""

    def __init__(self, shape, t):
        self.shape = shape
        self.t = t

    def forward(self, inputs):
        gy = inputs[0]
        xp = backend.get_array_module(gy)
        gx = xp.zeros(self.shape, gy.dtype)
        gx[xp.arange(self.t.shape[0]), self.t] = gy
        return gx,

    def backward(self, indexes, grad_outputs):
        return SelectItem().apply((grad_outputs[0], self.t))[0],


def select_item(x, t):
    """Selects one element of each row: ``y[i] == x[i, t[i]]``.

    Args:
        x: Variable or array of shape ``(B, N)``.
        t: signed-integer array (or Variable; it gets no gradient) of shape
            ``(B,)``; each entry indexes a column of ``x`` (checked to lie in
            ``[0, N)`` only in debug mode, as in Chainer).
    Returns:
        Variable of shape ``(B,)`` and ``x``'s dtype.
    """
    return SelectItem().apply((x, t))[0]
