"""The LSTM cell as an activation function: ``F.lstm(c_prev, x)``."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.rnn import _cell


def _gate_view(x):
    """``x`` (B, 4N, ...) seen as (B, N, 4, ...): gate ``j`` of unit ``k``
    is column ``4 k + j`` (the gates are interleaved)."""
    return x.reshape((x.shape[0], x.shape[1] // 4, 4) + x.shape[2:])


def _gates(x):
    r = _gate_view(x)
    return [r[:, :, j] for j in range(4)]


def _check_cell(func, c_name, x_name, c, x, n_gates):
    _check.float_kind(func, c_name, c)
    _check.same_dtype(func, (c_name, x_name), (c, x))
    _check.ndim_at_least(func, c_name, c, 2)
    _check.ndim_at_least(func, x_name, x, 2)
    if c.ndim != x.ndim:
        _check.fail(func, '{}.ndim == {}.ndim'.format(c_name, x_name),
                    '{} != {}'.format(c.ndim, x.ndim))
    if x.shape[1] != n_gates * c.shape[1]:
        _check.fail(func, '{}.shape[1] == {} * {}.shape[1]'.format(
            x_name, n_gates, c_name), '{} != {} * {}'.format(
                x.shape[1], n_gates, c.shape[1]))
    if x.shape[2:] != c.shape[2:]:
        _check.fail(func, '{}.shape[2:] == {}.shape[2:]'.format(
            x_name, c_name), '{} != {}'.format(x.shape[2:], c.shape[2:]))


class LSTM(FunctionNode):
    """LSTM cell with forget gate: inputs ``(c_prev, x)``, outputs
    ``(c, h)``."""

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        c, x = in_data
        _check_cell(self, 'c_prev', 'x', c, x, 4)
        if x.shape[0] > c.shape[0]:
            _check.fail(self, 'x.shape[0] <= c_prev.shape[0]',
                        '{} > {}'.format(x.shape[0], c.shape[0]))

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        c_prev, x = inputs
        xp = backend.get_array_module(c_prev, x)
        batch = x.shape[0]
        a, i, f, o = _gates(x)
        c, h = _cell.forward([a], [i], [f], [c_prev[:batch]], o)
        if batch == c_prev.shape[0]:
            c_next = c
        else:
            # Rows past x's batch keep their cell state.
            c_next = xp.empty(c_prev.shape, c_prev.dtype)
            c_next[:batch] = c
            c_next[batch:] = c_prev[batch:]
        return c_next, h

    def backward(self, indexes, grad_outputs):
        c_prev, x = self.get_retained_inputs()
        gc, gh = grad_outputs
        inputs = [c_prev, x]
        if gc is not None:
            inputs.append(gc)
        if gh is not None:
            inputs.append(gh)
        grads = LSTMGrad(gc is not None, gh is not None).apply(inputs)
        return tuple(grads[i] for i in indexes)


class LSTMGrad(FunctionNode):
    """Inputs ``(c_prev, x[, gc][, gh])``, outputs ``(gc_prev, gx)``."""

    def __init__(self, has_gc, has_gh):
        self.has_gc = has_gc
        self.has_gh = has_gh

    def _split(self, inputs):
        c_prev, x = inputs[:2]
        rest = list(inputs[2:])
        gc = rest.pop(0) if self.has_gc else None
        gh = rest.pop(0) if self.has_gh else None
        return c_prev, x, gc, gh

    def forward(self, inputs):
        self.retain_inputs(tuple(range(len(inputs))))
        c_prev, x, gc, gh = self._split(inputs)
        xp = backend.get_array_module(c_prev, x)
        batch = x.shape[0]
        a, i, f, o = _gates(x)
        gA, gI, gF, gC, gO = _cell.grad(
            [a], [i], [f], [c_prev[:batch]], o,
            None if gc is None else gc[:batch], gh)
        gx = xp.empty(x.shape, x.dtype)
        gx_gates = _gates(gx)
        for target, value in zip(gx_gates, (gA[0], gI[0], gF[0], gO)):
            target[...] = value
        if batch == c_prev.shape[0]:
            gc_prev = gC[0]
        else:
            gc_prev = xp.empty(c_prev.shape, c_prev.dtype)
            gc_prev[:batch] = gC[0]
            if gc is None:
                gc_prev[batch:] = 0
            else:
                gc_prev[batch:] = gc[batch:]
        return gc_prev, gx

    def backward(self, indexes, grad_outputs):
        from dynet.functions.array.get_item import get_item
        c_prev, x, gc, gh = self._split(self.get_retained_inputs())
        ggc_prev, ggx = grad_outputs
        batch = x.shape[0]
        full = c_prev.shape[0]

        def head(v):
            if v is None or batch == full:
                return v
            return get_item(v, slice(0, batch))

        pa, pi, pf, po = _gate_variables(x)
        ggA = ggI = ggF = ggO = None
        if ggx is not None:
            ggA, ggI, ggF, ggO = _gate_variables(ggx)
        gA, gI, gF, gC, gO, g_gc, g_gh = _cell.grad_grad(
            [pa], [pi], [pf], [head(c_prev)], po, head(gc), gh,
            [ggA], [ggI], [ggF], [head(ggc_prev)], ggO)
        xp = backend.get_array_module(x.array)
        result = []
        for index in indexes:
            if index == 0:
                result.append(_join_rows(gC[0], None, batch, full, c_prev,
                                         xp))
            elif index == 1:
                result.append(_merge_gates(
                    [gA[0], gI[0], gF[0], gO], x, xp))
            elif self.has_gc and index == 2:
                rest = None
                if batch != full and ggc_prev is not None:
                    rest = get_item(ggc_prev, slice(batch, None))
                result.append(_join_rows(g_gc, rest, batch, full, c_prev,
                                         xp))
            else:
                result.append(g_gh)
        return tuple(result)


def _gate_variables(x):
    """The four gates of ``x`` (a Variable) as Variables."""
    from dynet.functions.array.get_item import get_item
    from dynet.functions.array.reshape import reshape
    r = reshape(x, _gate_view_shape(x.shape))
    return [get_item(r, (slice(None), slice(None), j)) for j in range(4)]


def _gate_view_shape(shape):
    return (shape[0], shape[1] // 4, 4) + tuple(shape[2:])


def _merge_gates(gates, x, xp):
    """Interleaves four gate gradients (None means zero) into ``x``'s
    layout."""
    from dynet.functions.array.reshape import reshape
    from dynet.functions.array.stack import stack
    if all(g is None for g in gates):
        return None
    shape = (x.shape[0], x.shape[1] // 4) + tuple(x.shape[2:])
    gates = [g if g is not None else _zeros(xp, shape, x.dtype)
             for g in gates]
    return reshape(stack(gates, axis=2), x.shape)


def _join_rows(head, rest, batch, full, like, xp):
    """``head`` (rows ``:batch``) over ``rest`` (rows ``batch:full``) of an
    array shaped like ``like``; None stands for zeros (and is returned when
    both are None)."""
    from dynet.functions.array.concat import concat
    if batch == full:
        return head
    if head is None and rest is None:
        return None
    tail = tuple(like.shape[1:])
    if head is None:
        head = _zeros(xp, (batch,) + tail, like.dtype)
    if rest is None:
        rest = _zeros(xp, (full - batch,) + tail, like.dtype)
    return concat([head, rest], axis=0)


def _zeros(xp, shape, dtype):
    from dynet.variable import Variable
    return Variable(xp.zeros(shape, dtype), requires_grad=False)


def lstm(c_prev, x):
    """Long short-term memory unit with forget gate, as a function.

    ``x`` holds the pre-activations of four gates for each of the ``N``
    units of ``c_prev``, interleaved along the second axis: column
    ``4 k + j`` of ``x`` is gate ``j`` of unit ``k`` with ``j`` = 0 (``a``,
    cell input), 1 (``i``, input gate), 2 (``f``, forget gate), 3 (``o``,
    output gate). Then

    .. math::

        c = \\tanh(a) \\sigma(i) + \\sigma(f) c_{prev}, \\qquad
        h = \\sigma(o) \\tanh(c).

    Variable-length batches: ``x`` may have fewer rows than ``c_prev``
    (sequences sorted by decreasing length); then only ``c[:len(x)]`` is
    updated, ``c[len(x):] == c_prev[len(x):]``, and ``h`` has ``len(x)``
    rows.

    Args:
        c_prev (Variable or array): previous cell state, shape
            ``(B_c, N, ...)``, float16/32/64.
        x (Variable or array): gate pre-activations, shape
            ``(B, 4 N, ...)`` with ``B <= B_c``, same dtype and trailing
            shape as ``c_prev``.
    Returns:
        tuple ``(c, h)``: ``c`` of ``c_prev``'s shape, ``h`` of shape
        ``(B, N, ...)``. Gradients flow to both inputs; double backprop is
        supported.
    """
    return LSTM().apply((c_prev, x))
