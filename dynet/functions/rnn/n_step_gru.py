"""Stacked (bi-directional) GRUs over variable-length sequences:
``F.n_step_gru`` and ``F.n_step_bigru``."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions.rnn._cell import sigmoid as _sigmoid
from dynet.functions.rnn.n_step_rnn import _n_step, _parse_kwargs


def _thirds(v):
    n = v.shape[1] // 3
    return v[:, :n], v[:, n:2 * n], v[:, 2 * n:]


class GRUCell(FunctionNode):
    """One GRU step from projected inputs.

    Inputs ``(xw, hw, h)``: ``xw = x W_x^T + b_x`` and ``hw = h W_h^T +
    b_h`` of shape (B, 3N) with the blocks (r, z, n), and ``h`` (B, N).
    Output: ``(1 - z) * n + z * h`` with ``r = sigmoid(xw_r + hw_r)``,
    ``z = sigmoid(xw_z + hw_z)``, ``n = tanh(xw_n + r * hw_n)``.
    """

    def forward(self, inputs):
        self.retain_inputs((0, 1, 2))
        xw, hw, h = inputs
        xp = backend.get_array_module(xw)
        xr, xz, xn = _thirds(xw)
        hr, hz, hn = _thirds(hw)
        r = _sigmoid(xr + hr)
        z = _sigmoid(xz + hz)
        n = xp.tanh(xn + r * hn)
        one = xw.dtype.type(1)
        return (one - z) * n + z * h,

    def backward(self, indexes, grad_outputs):
        xw, hw, h = self.get_retained_inputs()
        grads = GRUCellGrad().apply((xw, hw, h, grad_outputs[0]))
        return tuple(grads[i] for i in indexes)


class GRUCellGrad(FunctionNode):
    """Inputs ``(xw, hw, h, gy)``, outputs the gradients of the first
    three."""

    def forward(self, inputs):
        self.retain_inputs((0, 1, 2, 3))
        xw, hw, h, gy = inputs
        xp = backend.get_array_module(xw)
        one = xw.dtype.type(1)
        xr, xz, xn = _thirds(xw)
        hr, hz, hn = _thirds(hw)
        r = _sigmoid(xr + hr)
        z = _sigmoid(xz + hz)
        n = xp.tanh(xn + r * hn)
        q = gy * (one - z) * (one - n * n)  # reaching the pre-activation of n
        s = q * hn * r * (one - r)          # ... of r
        w = gy * (h - n) * z * (one - z)    # ... of z
        gxw = xp.concatenate([s, w, q], axis=1)
        ghw = xp.concatenate([s, w, q * r], axis=1)
        return gxw, ghw, gy * z

    def backward(self, indexes, grad_outputs):
        from dynet.functions.activation.sigmoid import sigmoid
        from dynet.functions.activation.tanh import tanh
        from dynet.functions.array.concat import concat
        from dynet.functions.array.split_axis import split_axis
        from dynet.variable import Variable
        xw, hw, h, gy = self.get_retained_inputs()
        xp = backend.get_array_module(xw.array)
        gg = []
        for value, like in zip(grad_outputs, (xw, hw, h)):
            if value is None:
                value = Variable(xp.zeros(like.shape, like.dtype),
                                 requires_grad=False)
            gg.append(value)
        ggxr, ggxz, ggxn = split_axis(gg[0], 3, axis=1)
        gghr, gghz, gghn = split_axis(gg[1], 3, axis=1)
        ggh = gg[2]
        xr, xz, xn = split_axis(xw, 3, axis=1)
        hr, hz, hn = split_axis(hw, 3, axis=1)
        r = sigmoid(xr + hr)
        z = sigmoid(xz + hz)
        n = tanh(xn + r * hn)
        dr = r * (1 - r)
        dz = z * (1 - z)
        dn = 1 - n * n
        # L = <ggx, gxw> + <ggh_w, ghw> + <ggh, gh>
        #   = q M + S_z w + ggh gy z, with q = gy (1 - z) dn,
        #   w = gy (h - n) dz and M below.
        s_r = ggxr + gghr
        s_z = ggxz + gghz
        M = s_r * hn * dr + ggxn + gghn * r
        q = gy * (1 - z) * dn
        g_gy = (1 - z) * dn * M + s_z * (h - n) * dz + ggh * z
        g_h = s_z * gy * dz
        g_n = (-2 * n * gy * (1 - z) * M - s_z * gy * dz) * dn
        g_z = (-gy * dn * M + s_z * gy * (h - n) * (1 - 2 * z) +
               ggh * gy) * dz
        g_r = (q * (s_r * hn * (1 - 2 * r) + gghn) + g_n * hn) * dr
        g_hn = q * s_r * dr + g_n * r
        all_grads = (concat([g_r, g_z, g_n], axis=1),
                     concat([g_r, g_z, g_hn], axis=1), g_h, g_gy)
        return tuple(all_grads[i] for i in indexes)


class _GRUStep:
    n_weights = 6
    use_cell = False

    @staticmethod
    def prepare(w, b):
        from dynet.functions.array.concat import concat
        from dynet.functions.connection.linear import linear
        Wx = concat(list(w[0:3]), axis=0)
        bx = concat(list(b[0:3]), axis=0)
        Wh = concat(list(w[3:6]), axis=0)
        bh = concat(list(b[3:6]), axis=0)

        def step(xw, h, c):
            return GRUCell().apply((xw, linear(h, Wh, bh), h))[0], None
        return Wx, bx, step


def n_step_gru_base(n_layers, dropout_ratio, hx, ws, bs, xs,
                    use_bi_direction, **kwargs):
    """The common body of :func:`n_step_gru` and :func:`n_step_bigru`;
    returns ``(hy, ys)``."""
    name = 'n_step_bigru' if use_bi_direction else 'n_step_gru'
    _parse_kwargs(name, kwargs)
    hy, _, ys = _n_step(name, _GRUStep, n_layers, dropout_ratio, hx, None,
                        ws, bs, xs, use_bi_direction)
    return hy, ys


def n_step_gru(n_layers, dropout_ratio, hx, ws, bs, xs, **kwargs):
    """n_step_gru(n_layers, dropout_ratio, hx, ws, bs, xs)

    Stacked uni-directional GRU over variable-length sequences.

    For each layer, with ``sigma`` the sigmoid:

    .. math::

        r_t &= \\sigma(W_0 x_t + b_0 + W_3 h_{t-1} + b_3) \\\\
        z_t &= \\sigma(W_1 x_t + b_1 + W_4 h_{t-1} + b_4) \\\\
        \\tilde h_t &= \\tanh(W_2 x_t + b_2 + r_t (W_5 h_{t-1} + b_5)) \\\\
        h_t &= (1 - z_t) \\tilde h_t + z_t h_{t-1}

    Layer ``k > 0`` takes the hidden states of layer ``k - 1`` as ``x_t``,
    after ``dropout(x, dropout_ratio)`` in training mode.

    Args:
        n_layers (int): number of layers ``S``.
        dropout_ratio (float): dropout ratio of the inputs of layers > 0.
        hx (Variable or array): initial hidden states ``(S, B, N)``.
        ws (list of lists of Variables): ``ws[i][j]`` is ``W_j`` of layer
            ``i``; ``ws[0][0..2]`` are ``(N, I)``, all others ``(N, N)``.
        bs (list of lists of Variables): ``bs[i][j]`` is ``b_j``, ``(N,)``.
        xs (list of Variables or arrays): time-major inputs ``xs[t]`` of
            shape ``(B_t, I)`` with ``B_0 >= B_1 >= ...`` (sort the
            sequences by decreasing length and apply
            :func:`~dynet.functions.transpose_sequence`); ``B_0 <= B``.
    Returns:
        tuple ``(hy, ys)``: ``hy`` (shape of ``hx``) holds each sequence's
        last hidden state per layer; ``ys[t]`` of shape ``(B_t, N)`` the
        last layer's hidden states.
    """
    return n_step_gru_base(n_layers, dropout_ratio, hx, ws, bs, xs,
                           use_bi_direction=False, **kwargs)


def n_step_bigru(n_layers, dropout_ratio, hx, ws, bs, xs, **kwargs):
    """n_step_bigru(n_layers, dropout_ratio, hx, ws, bs, xs)

    Stacked bi-directional GRU over variable-length sequences.

    Layer ``i`` runs a forward GRU (``ws[2 i]``, ``hx[2 i]``) over steps
    ``0 .. L_j - 1`` of each sequence and a backward GRU (``ws[2 i + 1]``,
    ``hx[2 i + 1]``) over ``L_j - 1 .. 0``, both with the cell of
    :func:`n_step_gru`; the layer's output at step ``t`` is
    ``concat([h^f_t, h^b_t], axis=1)``.

    Args:
        n_layers (int): number of layers ``S``.
        dropout_ratio (float): dropout ratio of the inputs of layers > 0.
        hx (Variable or array): initial hidden states ``(2 S, B, N)``.
        ws (list of lists): ``ws[2 i + d][j]``; ``W_0 .. W_2`` are
            ``(N, I)`` in layer 0 and ``(N, 2 N)`` above, ``W_3 .. W_5``
            ``(N, N)``.
        bs (list of lists): ``bs[2 i + d][j]`` of shape ``(N,)``.
        xs (list): time-major inputs ``xs[t]`` of shape ``(B_t, I)`` with
            ``B_0 >= B_1 >= ...``.
    Returns:
        tuple ``(hy, ys)``; ``ys[t]`` has shape ``(B_t, 2 N)``.
    """
    return n_step_gru_base(n_layers, dropout_ratio, hx, ws, bs, xs,
                           use_bi_direction=True, **kwargs)
