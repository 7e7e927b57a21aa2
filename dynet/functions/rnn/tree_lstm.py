"""N-ary TreeLSTM unit: ``F.tree_lstm(c_1, ..., c_N, x)``."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.rnn import _cell
from dynet.functions.rnn.lstm import _check_cell


def _blocks(x, n_blocks):
    """The ``n_blocks`` consecutive column blocks of ``x`` (B, n N, ...)."""
    r = x.reshape((x.shape[0], n_blocks, x.shape[1] // n_blocks) +
                  x.shape[2:])
    return [r[:, j] for j in range(n_blocks)]


def _block_variables(x, n_blocks):
    from dynet.functions.array.get_item import get_item
    from dynet.functions.array.reshape import reshape
    r = reshape(x, (x.shape[0], n_blocks, x.shape[1] // n_blocks) +
                tuple(x.shape[2:]))
    return [get_item(r, (slice(None), j)) for j in range(n_blocks)]


def _merge_blocks(blocks, x, xp):
    from dynet.functions.array.reshape import reshape
    from dynet.functions.array.stack import stack
    from dynet.variable import Variable
    if all(g is None for g in blocks):
        return None
    shape = (x.shape[0], x.shape[1] // len(blocks)) + tuple(x.shape[2:])
    blocks = [g if g is not None else
              Variable(xp.zeros(shape, x.dtype), requires_grad=False)
              for g in blocks]
    return reshape(stack(blocks, axis=1), x.shape)


class TreeLSTM(FunctionNode):
    """Inputs ``(c_1, ..., c_N, x)``, outputs ``(c, h)``."""

    def _check_inputs(self, in_data):
        if len(in_data) < 2:
            _check.fail(self, 'at least 2 inputs (c_1, ..., c_N, x)',
                        '{} input(s)'.format(len(in_data)))
        x = in_data[-1]
        n = len(in_data) - 1
        for k, c in enumerate(in_data[:-1]):
            _check_cell(self, 'cs[{}]'.format(k), 'x', c, x, 3 + n)
            _check.shape_prefix(self, ('cs[{}]'.format(k), 'x'), (c, x), 1)

    def forward(self, inputs):
        self.retain_inputs(tuple(range(len(inputs))))
        cs, x = list(inputs[:-1]), inputs[-1]
        gates = _blocks(x, 3 + len(cs))
        a, i, o = gates[:3]
        return _cell.forward([a], [i], gates[3:], cs, o)

    def backward(self, indexes, grad_outputs):
        inputs = list(self.get_retained_inputs())
        gc, gh = grad_outputs
        n = len(inputs) - 1
        if gc is not None:
            inputs.append(gc)
        if gh is not None:
            inputs.append(gh)
        grads = TreeLSTMGrad(n, gc is not None, gh is not None).apply(inputs)
        return tuple(grads[i] for i in indexes)


class TreeLSTMGrad(FunctionNode):
    """Inputs ``(c_1, ..., c_N, x[, gc][, gh])``, outputs the gradients of
    the first ``N + 1``."""

    def __init__(self, n, has_gc, has_gh):
        self.n = n
        self.has_gc = has_gc
        self.has_gh = has_gh

    def _split(self, inputs):
        n = self.n
        rest = list(inputs[n + 1:])
        gc = rest.pop(0) if self.has_gc else None
        gh = rest.pop(0) if self.has_gh else None
        return list(inputs[:n]), inputs[n], gc, gh

    def forward(self, inputs):
        self.retain_inputs(tuple(range(len(inputs))))
        cs, x, gc, gh = self._split(inputs)
        xp = backend.get_array_module(x)
        gates = _blocks(x, 3 + self.n)
        a, i, o = gates[:3]
        gA, gI, gF, gC, gO = _cell.grad([a], [i], gates[3:], cs, o, gc, gh)
        gx = xp.empty(x.shape, x.dtype)
        for target, value in zip(_blocks(gx, 3 + self.n),
                                 [gA[0], gI[0], gO] + gF):
            target[...] = value
        return tuple(gC) + (gx,)

    def backward(self, indexes, grad_outputs):
        cs, x, gc, gh = self._split(self.get_retained_inputs())
        n = self.n
        ggcs, ggx = list(grad_outputs[:n]), grad_outputs[n]
        gates = _block_variables(x, 3 + n)
        gg = _block_variables(ggx, 3 + n) if ggx is not None \
            else [None] * (3 + n)
        gA, gI, gF, gC, gO, g_gc, g_gh = _cell.grad_grad(
            [gates[0]], [gates[1]], gates[3:], cs, gates[2], gc, gh,
            [gg[0]], [gg[1]], gg[3:], ggcs, gg[2])
        xp = backend.get_array_module(x.array)
        all_grads = list(gC) + [
            _merge_blocks([gA[0], gI[0], gO] + gF, x, xp)]
        if self.has_gc:
            all_grads.append(g_gc)
        if self.has_gh:
            all_grads.append(g_gh)
        return tuple(all_grads[i] for i in indexes)


def tree_lstm(*inputs):
    """TreeLSTM unit (N-ary and Child-Sum TreeLSTM) as a function.

    The last argument ``x`` holds ``3 + N`` blocks of ``U`` columns each,
    in this order (contiguous blocks, unlike :func:`lstm`'s interleaved
    gates): ``a`` (cell input), ``i`` (input gate), ``o`` (output gate),
    ``f_1, ..., f_N`` (one forget gate per child). With ``sigma`` the
    sigmoid:

    .. math::

        c &= \\tanh(a) \\sigma(i) + \\sum_{k=1}^{N} \\sigma(f_k) c_k, \\\\
        h &= \\sigma(o) \\tanh(c).

    Args:
        inputs: ``c_1, ..., c_N, x``: the ``N >= 1`` children's cell
            states, each of shape ``(B, U, ...)``, and ``x`` of shape
            ``(B, (3 + N) U, ...)``; one float dtype.
    Returns:
        tuple ``(c, h)`` of Variables of shape ``(B, U, ...)``. Gradients
        flow to every input; double backprop is supported.
    """
    return TreeLSTM().apply(inputs)
