"""Stacked (bi-directional) LSTMs over variable-length sequences:
``F.n_step_lstm`` and ``F.n_step_bilstm``."""
from dynet.functions.rnn.n_step_rnn import _n_step, _parse_kwargs


def _interleave(mats):
    """Stacks the per-gate matrices (or vectors) ``[a, i, f, o]`` so that
    row ``4 k + j`` is row ``k`` of gate ``j``: the layout of
    :func:`~dynet.functions.lstm`'s input."""
    from dynet.functions.array.reshape import reshape
    from dynet.functions.array.stack import stack
    s = stack(mats, axis=1)
    return reshape(s, (s.shape[0] * s.shape[1],) + tuple(s.shape[2:]))


class _LSTMCell:
    n_weights = 8
    use_cell = True

    @staticmethod
    def prepare(w, b):
        from dynet.functions.connection.linear import linear
        from dynet.functions.rnn.lstm import lstm
        # Gate order of F.lstm is (a, i, f, o); W_0/W_4 feed the input
        # gate, W_1/W_5 the forget gate, W_2/W_6 the cell input and
        # W_3/W_7 the output gate.
        Wx = _interleave([w[2], w[0], w[1], w[3]])
        bx = _interleave([b[2], b[0], b[1], b[3]])
        Wh = _interleave([w[6], w[4], w[5], w[7]])
        bh = _interleave([b[6], b[4], b[5], b[7]])

        def step(xw, h, c):
            c, h = lstm(c, xw + linear(h, Wh, bh))
            return h, c
        return Wx, bx, step


def n_step_lstm_base(n_layers, dropout_ratio, hx, cx, ws, bs, xs,
                     use_bi_direction, **kwargs):
    """The common body of :func:`n_step_lstm` and :func:`n_step_bilstm`."""
    name = 'n_step_bilstm' if use_bi_direction else 'n_step_lstm'
    _parse_kwargs(name, kwargs)
    return _n_step(name, _LSTMCell, n_layers, dropout_ratio, hx, cx, ws, bs,
                   xs, use_bi_direction)


def n_step_lstm(n_layers, dropout_ratio, hx, cx, ws, bs, xs, **kwargs):
    """n_step_lstm(n_layers, dropout_ratio, hx, cx, ws, bs, xs)

    Stacked uni-directional LSTM over variable-length sequences.

    For each layer, with ``sigma`` the sigmoid:

    .. math::

        i_t &= \\sigma(W_0 x_t + W_4 h_{t-1} + b_0 + b_4) \\\\
        f_t &= \\sigma(W_1 x_t + W_5 h_{t-1} + b_1 + b_5) \\\\
        a_t &= \\tanh(W_2 x_t + W_6 h_{t-1} + b_2 + b_6) \\\\
        o_t &= \\sigma(W_3 x_t + W_7 h_{t-1} + b_3 + b_7) \\\\
        c_t &= f_t c_{t-1} + i_t a_t, \\qquad h_t = o_t \\tanh(c_t)

    (the weight roles of Chainer's implementation and of cuDNN; Chainer's
    documentation swaps the roles of ``W_2``/``W_3`` in its formula).
    Layer ``k > 0`` takes the hidden states of layer ``k - 1`` as ``x_t``,
    after ``dropout(x, dropout_ratio)`` in training mode.

    Args:
        n_layers (int): number of layers ``S``.
        dropout_ratio (float): dropout ratio of the inputs of layers > 0.
        hx (Variable or array): initial hidden states ``(S, B, N)``.
        cx (Variable or array): initial cell states ``(S, B, N)``.
        ws (list of lists of Variables): ``ws[i][j]`` is ``W_j`` of layer
            ``i``; ``ws[0][0..3]`` are ``(N, I)``, all others ``(N, N)``.
        bs (list of lists of Variables): ``bs[i][j]`` is ``b_j``, ``(N,)``.
        xs (list of Variables or arrays): time-major inputs: ``xs[t]`` of
            shape ``(B_t, I)`` holds step ``t`` of every sequence longer
            than ``t``, so ``B_0 >= B_1 >= ...`` (sort the sequences by
            decreasing length and apply
            :func:`~dynet.functions.transpose_sequence`); ``B_0 <= B``.
    Returns:
        tuple ``(hy, cy, ys)``: the last hidden and cell states of every
        sequence per layer (shapes of ``hx``/``cx``; rows past ``B_0`` are
        returned unchanged) and a tuple of Variables ``ys[t]`` of shape
        ``(B_t, N)``, the last layer's hidden states.
    """
    return n_step_lstm_base(n_layers, dropout_ratio, hx, cx, ws, bs, xs,
                            use_bi_direction=False, **kwargs)


def n_step_bilstm(n_layers, dropout_ratio, hx, cx, ws, bs, xs, **kwargs):
    """n_step_bilstm(n_layers, dropout_ratio, hx, cx, ws, bs, xs)

    Stacked bi-directional LSTM over variable-length sequences.

    Layer ``i`` runs a forward LSTM (``ws[2 i]``, ``bs[2 i]``, states
    ``hx[2 i]``, ``cx[2 i]``) over steps ``0 .. L_j - 1`` of each sequence
    and a backward LSTM (``ws[2 i + 1]``, ...) over ``L_j - 1 .. 0``, both
    with the cell of :func:`n_step_lstm`; its output at step ``t`` is
    ``concat([h^f_t, h^b_t], axis=1)``, the input of the next layer (after
    dropout in training mode).

    Args:
        n_layers (int): number of layers ``S``.
        dropout_ratio (float): dropout ratio of the inputs of layers > 0.
        hx, cx (Variable or array): initial states ``(2 S, B, N)``.
        ws (list of lists): ``ws[2 i + d][j]``; ``W_0 .. W_3`` are
            ``(N, I)`` in layer 0 and ``(N, 2 N)`` above; ``W_4 .. W_7``
            are ``(N, N)``.
        bs (list of lists): ``bs[2 i + d][j]`` of shape ``(N,)``.
        xs (list): time-major inputs ``xs[t]`` of shape ``(B_t, I)`` with
            ``B_0 >= B_1 >= ...`` (see :func:`n_step_lstm`).
    Returns:
        tuple ``(hy, cy, ys)``; ``ys[t]`` has shape ``(B_t, 2 N)``.
    """
    return n_step_lstm_base(n_layers, dropout_ratio, hx, cx, ws, bs, xs,
                            use_bi_direction=True, **kwargs)
