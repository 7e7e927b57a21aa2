"""Multi-layer (and bi-directional) RNNs over variable-length sequences:
``F.n_step_rnn`` and ``F.n_step_birnn``, and the machinery shared with
``n_step_lstm`` and ``n_step_gru``.

The sequences come time-major, as Chainer takes them: ``xs[t]`` holds step
``t`` of every sequence longer than ``t``, so ``xs[t].shape[0]`` never
increases with ``t`` (``F.transpose_sequence`` of sequences sorted by
decreasing length gives exactly this).

Each layer and direction projects the inputs of all steps with one
matrix product, then runs the recurrence step by step on the rows that
are still active; a row whose sequence has ended (or, going backwards, not
yet begun) keeps its state.
"""
import numbers

import numpy

from dynet.functions import _check


class _Named:
    """Stands for a function in ``_check`` messages."""

    def __init__(self, label):
        self.label = label


def _fail(name, expect, actual):
    _check.fail(_Named(name), expect, actual)


def _parse_kwargs(name, kwargs):
    """Chainer v1's ``train``/``use_cudnn`` arguments are errors, as in
    Chainer v7; any other keyword argument is a TypeError."""
    if not kwargs:
        return
    messages = {
        'train': "the train argument was removed in Chainer v2; use "
                 "using_config('train', ...) instead",
        'use_cudnn': "the use_cudnn argument was removed in Chainer v2; "
                     "use using_config('use_cudnn', ...) instead",
    }
    for key in kwargs:
        if key in messages:
            raise ValueError('{}: {}'.format(name, messages[key]))
    raise TypeError('{}() got unexpected keyword argument(s) {}'.format(
        name, ', '.join(sorted(kwargs))))


def _shape(v):
    return tuple(v.shape)


def _validate(name, n_weights, n_layers, directions, hx, cx, ws, bs, xs,
              use_cell):
    """Checks the arguments; returns ``(batches, in_size, out_size)``."""
    if not isinstance(n_layers, numbers.Integral) or isinstance(
            n_layers, bool) or n_layers < 1:
        raise ValueError('{}: n_layers must be a positive int, got {!r}'
                         .format(name, n_layers))
    if not isinstance(xs, (list, tuple)):
        raise TypeError('{}: xs must be a list or tuple of Variables or '
                        'arrays, got {}'.format(name, type(xs).__name__))
    if len(xs) == 0:
        raise ValueError('{}: xs must hold at least one time step'.format(
            name))
    n_cells = n_layers * directions
    for arg, value in (('ws', ws), ('bs', bs)):
        if not isinstance(value, (list, tuple)) or len(value) != n_cells:
            raise ValueError(
                '{}: {} must be a list of {} lists (n_layers * directions), '
                'got {}'.format(name, arg, n_cells,
                                len(value) if isinstance(value, (list, tuple))
                                else type(value).__name__))
        for i, item in enumerate(value):
            if not isinstance(item, (list, tuple)) or \
                    len(item) != n_weights:
                raise ValueError('{}: {}[{}] must be a list of {} {}'.format(
                    name, arg, i, n_weights,
                    'matrices' if arg == 'ws' else 'vectors'))
    for arg, value in (('hx', hx), ('cx', cx)) if use_cell else \
            (('hx', hx),):
        if value is None or not hasattr(value, 'shape'):
            raise TypeError('{}: {} must be a Variable or an array, got {}'
                            .format(name, arg, type(value).__name__))
    first = xs[0]
    dtype = first.dtype
    if dtype.kind != 'f':
        _fail(name, 'xs[0].dtype.kind == f (a floating-point array)',
              'xs[0].dtype == {}'.format(dtype))
    batches = []
    for t, x in enumerate(xs):
        if x.ndim != 2:
            _fail(name, 'xs[{}].ndim == 2'.format(t),
                  'xs[{}].ndim == {}'.format(t, x.ndim))
        if x.dtype != dtype:
            _fail(name, 'xs[{}].dtype == xs[0].dtype'.format(t),
                  '{} != {}'.format(x.dtype, dtype))
        if x.shape[1] != first.shape[1]:
            _fail(name, 'xs[{}].shape[1] == xs[0].shape[1]'.format(t),
                  '{} != {}'.format(x.shape[1], first.shape[1]))
        if batches and x.shape[0] > batches[-1]:
            raise ValueError(
                '{}: xs must be time-major with a non-increasing batch size '
                '(sort the sequences by decreasing length, then '
                'transpose_sequence them): xs[{}].shape[0] == {} > '
                'xs[{}].shape[0] == {}'.format(
                    name, t, x.shape[0], t - 1, batches[-1]))
        batches.append(x.shape[0])

    in_size = first.shape[1]
    w_in = _shape(ws[0][0])[1] if len(_shape(ws[0][0])) == 2 else None
    if w_in != in_size:
        raise ValueError('{}: the input size of xs ({}) differs from the '
                         'input size of the weights ws[0][0] ({})'.format(
                             name, in_size, w_in))
    out_size = _shape(ws[0][0])[0]
    half = n_weights // 2
    for layer in range(n_layers):
        for d in range(directions):
            idx = layer * directions + d
            for j in range(n_weights):
                if j < half:
                    cols = in_size if layer == 0 else out_size * directions
                else:
                    cols = out_size
                w, b = ws[idx][j], bs[idx][j]
                if _shape(w) != (out_size, cols):
                    _fail(name, 'ws[{}][{}].shape == {}'.format(
                        idx, j, (out_size, cols)),
                        'ws[{}][{}].shape == {}'.format(idx, j, _shape(w)))
                if _shape(b) != (out_size,):
                    _fail(name, 'bs[{}][{}].shape == {}'.format(
                        idx, j, (out_size,)),
                        'bs[{}][{}].shape == {}'.format(idx, j, _shape(b)))
                for arg, v in (('ws', w), ('bs', b)):
                    if v.dtype != dtype:
                        _fail(name, '{}[{}][{}].dtype == xs[0].dtype'.format(
                            arg, idx, j), '{} != {}'.format(v.dtype, dtype))
    for arg, value in (('hx', hx), ('cx', cx)) if use_cell else \
            (('hx', hx),):
        shape = _shape(value)
        if len(shape) != 3 or shape[0] != n_cells or shape[2] != out_size \
                or shape[1] < batches[0]:
            _fail(name, '{}.shape == ({}, B, {}) with B >= xs[0].shape[0] '
                  '== {}'.format(arg, n_cells, out_size, batches[0]),
                  '{}.shape == {}'.format(arg, shape))
        if value.dtype != dtype:
            _fail(name, '{}.dtype == xs[0].dtype'.format(arg),
                  '{} != {}'.format(value.dtype, dtype))
    return batches, in_size, out_size


class _RowState:
    """A recurrent state of ``full`` rows of which the first ``n`` are
    active (updated by the current step).

    The state starts as ``initial`` (all rows untouched). ``take(batch)``
    makes rows ``[0, batch)`` active, splitting finished rows off when the
    batch shrinks and joining untouched initial rows when it grows;
    ``final()`` reassembles all rows in order. Splits are made lazily, so
    a constant batch costs no node at all.
    """

    def __init__(self, initial):
        self.active = None
        self.n = 0
        # (start, end, Variable) pieces not currently active.
        self.pieces = [(0, initial.shape[0], initial)]

    def take(self, batch):
        from dynet.functions.array.concat import concat
        from dynet.functions.array.split_axis import split_axis
        if self.active is None and batch == 0:
            # An empty step before any row is active: an empty slice.
            k = next(i for i, p in enumerate(self.pieces) if p[0] == 0)
            start, end, value = self.pieces.pop(k)
            self.active, rest = split_axis(value, [0], axis=0)
            self.pieces.append((0, end, rest))
        elif batch < self.n:
            head, tail = split_axis(self.active, [batch], axis=0)
            self.pieces.append((batch, self.n, tail))
            self.active, self.n = head, batch
        elif batch > self.n:
            parts = [] if self.active is None else [self.active]
            while self.n < batch:
                k = next(i for i, p in enumerate(self.pieces)
                         if p[0] == self.n)
                start, end, value = self.pieces.pop(k)
                if end > batch:
                    value, rest = split_axis(value, [batch - start], axis=0)
                    self.pieces.append((batch, end, rest))
                    end = batch
                parts.append(value)
                self.n = end
            self.active = parts[0] if len(parts) == 1 else \
                concat(parts, axis=0)
        return self.active

    def put(self, value):
        self.active = value

    def final(self):
        from dynet.functions.array.concat import concat
        parts = sorted(self.pieces, key=lambda p: p[0])
        values = [p[2] for p in parts]
        if self.active is not None and self.n > 0:
            values.insert(0, self.active)
        elif self.active is not None and not values:
            values = [self.active]
        return values[0] if len(values) == 1 else concat(values, axis=0)


def _n_step(name, cell, n_layers, dropout_ratio, hx, cx, ws, bs, xs,
            use_bi_direction):
    """Runs the stacked recurrence; returns ``(hy, cy, ys)``.

    ``cell`` describes the recurrence: ``cell.n_weights``,
    ``cell.use_cell`` (LSTM), and ``cell.prepare(w, b)`` giving
    ``(Wx, bx, step)``: the inputs are projected with ``linear(x, Wx, bx)``
    and ``step(projected_x, h, c)`` returns the new ``(h, c)``.
    """
    from dynet.functions.array.concat import concat
    from dynet.functions.array.split_axis import separate, split_axis
    from dynet.functions.array.stack import stack
    from dynet.functions.connection.linear import linear
    from dynet.functions.noise.dropout import dropout

    directions = 2 if use_bi_direction else 1
    xs = list(xs)
    batches, _, _ = _validate(name, cell.n_weights, n_layers, directions,
                              hx, cx, ws, bs, xs, cell.use_cell)
    offsets = list(numpy.cumsum(batches[:-1]))
    hxs = separate(hx, axis=0)
    cxs = separate(cx, axis=0) if cell.use_cell else [None] * len(hxs)

    def join_steps(values):
        return values[0] if len(values) == 1 else concat(values, axis=0)

    def split_steps(value):
        if len(batches) == 1:
            return [value]
        return list(split_axis(value, offsets, axis=0))

    layer_in = join_steps(xs)
    hy, cy = [], []
    outputs = None
    for layer in range(n_layers):
        outputs = []
        for d in range(directions):
            idx = layer * directions + d
            x = layer_in if layer == 0 else dropout(layer_in, dropout_ratio)
            Wx, bx, step = cell.prepare(ws[idx], bs[idx])
            projected = split_steps(linear(x, Wx, bx))
            h_state = _RowState(hxs[idx])
            c_state = _RowState(cxs[idx]) if cell.use_cell else None
            hs = [None] * len(batches)
            order = range(len(batches))
            if d == 1:
                order = reversed(order)
            for t in order:
                h = h_state.take(batches[t])
                c = c_state.take(batches[t]) if c_state else None
                h, c = step(projected[t], h, c)
                h_state.put(h)
                if c_state:
                    c_state.put(c)
                hs[t] = h
            hy.append(h_state.final())
            if c_state:
                cy.append(c_state.final())
            outputs.append(hs)
        if directions == 1:
            layer_out = outputs[0]
            if layer + 1 < n_layers:
                layer_in = join_steps(layer_out)
        else:
            layer_in = concat([join_steps(outputs[0]),
                               join_steps(outputs[1])], axis=1)
    if directions == 1:
        ys = tuple(outputs[0])
    else:
        ys = tuple(split_steps(layer_in))
    hy = stack(hy)
    cy = stack(cy) if cell.use_cell else None
    return hy, cy, ys


class _RNNCell:
    n_weights = 2
    use_cell = False

    def __init__(self, activation):
        self.activation = activation

    def prepare(self, w, b):
        from dynet.functions.activation.relu import relu
        from dynet.functions.activation.tanh import tanh
        from dynet.functions.connection.linear import linear
        act = tanh if self.activation == 'tanh' else relu
        Wh, bh = w[1], b[1]

        def step(xw, h, c):
            return act(xw + linear(h, Wh, bh)), None
        return w[0], b[0], step


def _check_activation(name, activation):
    if activation not in ('tanh', 'relu'):
        raise ValueError("{}: activation must be 'tanh' or 'relu', got {!r}"
                         .format(name, activation))


def n_step_rnn_base(n_layers, dropout_ratio, hx, ws, bs, xs, activation,
                    use_bi_direction, **kwargs):
    """The common body of :func:`n_step_rnn` and :func:`n_step_birnn`;
    returns ``(hy, ys)``."""
    name = 'n_step_birnn' if use_bi_direction else 'n_step_rnn'
    _parse_kwargs(name, kwargs)
    _check_activation(name, activation)
    hy, _, ys = _n_step(name, _RNNCell(activation), n_layers, dropout_ratio,
                        hx, None, ws, bs, xs, use_bi_direction)
    return hy, ys


def n_step_rnn(n_layers, dropout_ratio, hx, ws, bs, xs, activation='tanh',
               **kwargs):
    """n_step_rnn(n_layers, dropout_ratio, hx, ws, bs, xs, activation='tanh')

    Stacked uni-directional Elman RNN over variable-length sequences:

    .. math::

        h_t = f(W_0 x_t + b_0 + W_1 h_{t-1} + b_1)

    for every layer, where ``f`` is ``tanh`` or ``relu``; layer ``k > 0``
    takes the hidden states of layer ``k - 1`` as its ``x_t``, after
    ``dropout(x, dropout_ratio)`` (in training mode, as
    :func:`~dynet.functions.dropout` does).

    Args:
        n_layers (int): number of layers ``S``.
        dropout_ratio (float): dropout ratio of the inputs of layers
            ``1 .. S-1``.
        hx (Variable or array): initial hidden states, shape ``(S, B, N)``.
        ws (list of lists of Variables): ``ws[i] = [W_0, W_1]`` for layer
            ``i``; ``ws[0][0]`` has shape ``(N, I)``, all others ``(N, N)``.
        bs (list of lists of Variables): ``bs[i] = [b_0, b_1]``, each of
            shape ``(N,)``.
        xs (list of Variables or arrays): time-major inputs: ``xs[t]`` of
            shape ``(B_t, I)`` holds step ``t`` of the sequences longer
            than ``t``, so ``B_0 >= B_1 >= ...`` (sort the sequences by
            decreasing length and apply
            :func:`~dynet.functions.transpose_sequence`). ``B_0 <= B``.
        activation (str): ``'tanh'`` or ``'relu'``.
    Returns:
        tuple ``(hy, ys)``: ``hy`` (shape of ``hx``) holds each sequence's
        last hidden state per layer; ``ys`` is a tuple of Variables,
        ``ys[t]`` of shape ``(B_t, N)``: the last layer's hidden states.
        Rows of ``hx`` past ``B_0`` are returned unchanged in ``hy``.
    """
    return n_step_rnn_base(n_layers, dropout_ratio, hx, ws, bs, xs,
                           activation, use_bi_direction=False, **kwargs)


def n_step_birnn(n_layers, dropout_ratio, hx, ws, bs, xs, activation='tanh',
                 **kwargs):
    """n_step_birnn(n_layers, dropout_ratio, hx, ws, bs, xs, activation='tanh')

    Stacked bi-directional Elman RNN over variable-length sequences.

    Each layer runs a forward RNN (weights ``ws[2 i]``, states ``hx[2 i]``)
    over the steps ``0 .. L_j - 1`` of every sequence and a backward RNN
    (``ws[2 i + 1]``, ``hx[2 i + 1]``) over ``L_j - 1 .. 0``, each with
    :math:`h_t = f(W_0 x_t + b_0 + W_1 h_{t-1} + b_1)`; the layer's output
    at step ``t`` is ``concat([h^f_t, h^b_t], axis=1)``, the input of the
    next layer (after dropout in training mode).

    Args:
        n_layers (int): number of layers ``S``.
        dropout_ratio (float): dropout ratio of the inputs of layers > 0.
        hx (Variable or array): initial hidden states ``(2 S, B, N)``.
        ws (list of lists): ``ws[2 i + d] = [W_0, W_1]``; ``W_0`` is
            ``(N, I)`` in layer 0 and ``(N, 2 N)`` above, ``W_1`` is
            ``(N, N)``.
        bs (list of lists): ``bs[2 i + d] = [b_0, b_1]``, each ``(N,)``.
        xs (list): time-major inputs ``xs[t]`` of shape ``(B_t, I)`` with
            ``B_0 >= B_1 >= ...`` (see :func:`n_step_rnn`).
        activation (str): ``'tanh'`` or ``'relu'``.
    Returns:
        tuple ``(hy, ys)``: ``hy`` of ``hx``'s shape; ``ys[t]`` of shape
        ``(B_t, 2 N)``.
    """
    return n_step_rnn_base(n_layers, dropout_ratio, hx, ws, bs, xs,
                           activation, use_bi_direction=True, **kwargs)
