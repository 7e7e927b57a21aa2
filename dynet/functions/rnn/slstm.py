"""S-LSTM, the LSTM unit of a binary tree node: ``F.slstm``."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.rnn import _cell
from dynet.functions.rnn.lstm import (
    _check_cell, _gate_variables, _gates, _merge_gates)

_NAMES = ('c_prev1', 'c_prev2', 'x1', 'x2')


class SLSTM(FunctionNode):
    """Inputs ``(c_prev1, c_prev2, x1, x2)``, outputs ``(c, h)``."""

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 4)
        c1, c2, x1, x2 = in_data
        _check_cell(self, 'c_prev1', 'x1', c1, x1, 4)
        _check_cell(self, 'c_prev2', 'x2', c2, x2, 4)
        _check.same_dtype(self, _NAMES, in_data)
        _check.same_shape(self, ('c_prev1', 'c_prev2'), (c1, c2))
        _check.same_shape(self, ('x1', 'x2'), (x1, x2))
        _check.shape_prefix(self, ('c_prev1', 'x1'), (c1, x1), 1)

    def forward(self, inputs):
        self.retain_inputs((0, 1, 2, 3))
        c1, c2, x1, x2 = inputs
        a1, i1, f1, o1 = _gates(x1)
        a2, i2, f2, o2 = _gates(x2)
        return _cell.forward([a1, a2], [i1, i2], [f1, f2], [c1, c2], o1 + o2)

    def backward(self, indexes, grad_outputs):
        inputs = list(self.get_retained_inputs())
        gc, gh = grad_outputs
        if gc is not None:
            inputs.append(gc)
        if gh is not None:
            inputs.append(gh)
        grads = SLSTMGrad(gc is not None, gh is not None).apply(inputs)
        return tuple(grads[i] for i in indexes)


class SLSTMGrad(FunctionNode):
    """Inputs ``(c_prev1, c_prev2, x1, x2[, gc][, gh])``, outputs the
    gradients of the first four."""

    def __init__(self, has_gc, has_gh):
        self.has_gc = has_gc
        self.has_gh = has_gh

    def _split(self, inputs):
        rest = list(inputs[4:])
        gc = rest.pop(0) if self.has_gc else None
        gh = rest.pop(0) if self.has_gh else None
        return tuple(inputs[:4]) + (gc, gh)

    def forward(self, inputs):
        self.retain_inputs(tuple(range(len(inputs))))
        c1, c2, x1, x2, gc, gh = self._split(inputs)
        xp = backend.get_array_module(x1)
        a1, i1, f1, o1 = _gates(x1)
        a2, i2, f2, o2 = _gates(x2)
        gA, gI, gF, gC, gO = _cell.grad(
            [a1, a2], [i1, i2], [f1, f2], [c1, c2], o1 + o2, gc, gh)
        gxs = []
        for k, x in enumerate((x1, x2)):
            gx = xp.empty(x.shape, x.dtype)
            for target, value in zip(_gates(gx), (gA[k], gI[k], gF[k], gO)):
                target[...] = value
            gxs.append(gx)
        return gC[0], gC[1], gxs[0], gxs[1]

    def backward(self, indexes, grad_outputs):
        c1, c2, x1, x2, gc, gh = self._split(self.get_retained_inputs())
        ggc1, ggc2, ggx1, ggx2 = grad_outputs
        a1, i1, f1, o1 = _gate_variables(x1)
        a2, i2, f2, o2 = _gate_variables(x2)
        gg1 = _gate_variables(ggx1) if ggx1 is not None else [None] * 4
        gg2 = _gate_variables(ggx2) if ggx2 is not None else [None] * 4
        ggO = _cell._sum(gg1[3], gg2[3])
        gA, gI, gF, gC, gO, g_gc, g_gh = _cell.grad_grad(
            [a1, a2], [i1, i2], [f1, f2], [c1, c2], o1 + o2, gc, gh,
            [gg1[0], gg2[0]], [gg1[1], gg2[1]], [gg1[2], gg2[2]],
            [ggc1, ggc2], ggO)
        xp = backend.get_array_module(x1.array)
        all_grads = [gC[0], gC[1],
                     _merge_gates([gA[0], gI[0], gF[0], gO], x1, xp),
                     _merge_gates([gA[1], gI[1], gF[1], gO], x2, xp)]
        if self.has_gc:
            all_grads.append(g_gc)
        if self.has_gh:
            all_grads.append(g_gh)
        return tuple(all_grads[i] for i in indexes)


def slstm(c_prev1, c_prev2, x1, x2):
    """S-LSTM unit: an LSTM cell merging the states of two child nodes.

    ``x1`` and ``x2`` hold, like the input of :func:`lstm`, four gates per
    unit interleaved along the second axis (column ``4 k + j`` is gate
    ``j`` of unit ``k``: ``a``, ``i``, ``f``, ``o``). With ``sigma`` the
    sigmoid:

    .. math::

        c &= \\tanh(a_1) \\sigma(i_1) + \\tanh(a_2) \\sigma(i_2)
             + \\sigma(f_1) c_{prev1} + \\sigma(f_2) c_{prev2}, \\\\
        h &= \\sigma(o_1 + o_2) \\tanh(c).

    (These are the numbers Chainer v7 computes; its documentation writes
    the cell input as ``tanh(a1 + a2) sigma(i1 + i2)``, which its code
    does not do.)

    Args:
        c_prev1, c_prev2 (Variable or array): the children's cell states,
            shape ``(B, N, ...)``, float16/32/64.
        x1, x2 (Variable or array): gate pre-activations from each child,
            shape ``(B, 4 N, ...)``, same dtype.
    Returns:
        tuple ``(c, h)`` of Variables of shape ``(B, N, ...)``. Double
        backprop is supported.
    """
    return SLSTM().apply((c_prev1, c_prev2, x1, x2))
