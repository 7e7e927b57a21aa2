"""TreeLSTM links: ``ChildSumTreeLSTM`` and ``NaryTreeLSTM``. Both are
stateless: a call combines the children's states into the parent's."""
from dynet import link
from dynet.functions.activation.sigmoid import sigmoid
from dynet.functions.activation.tanh import tanh
from dynet.functions.array.concat import concat
from dynet.functions.array.split_axis import split_axis
from dynet.functions.rnn.tree_lstm import tree_lstm
from dynet.links.connection.linear import Linear


def _zero_input(owner, cs, hs, in_size):
    """Zeros standing for a missing ``x``, shaped after any given state."""
    for v in list(cs) + list(hs):
        if v is not None:
            return owner.xp.zeros((v.shape[0], in_size), dtype=v.dtype)
    raise ValueError('{}: all inputs (cs, hs, x) are None'.format(
        type(owner).__name__))


def _fill_none(owner, values, shape, dtype):
    """``values`` with None replaced by zero arrays."""
    if all(v is not None for v in values):
        return tuple(values)
    zero = owner.xp.zeros(shape, dtype=dtype)
    return tuple(zero if v is None else v for v in values)


class ChildSumTreeLSTM(link.Chain):
    """Child-Sum TreeLSTM unit (Tai et al., 2015), stateless.

    ``forward(c_1, ..., c_K, h_1, ..., h_K, x)`` (any number ``K >= 0`` of
    children, in any order) returns the parent's ``(c, h)``:

    .. math::

        [a; i; o] &= W_x^{aio} x + W_{h,aio} \\sum_k h_k, \\qquad
        f_k = W_x^{f} x + W_{h,f} h_k, \\\\
        c &= \\tanh(a) \\sigma(i) + \\sum_k \\sigma(f_k) c_k, \\qquad
        h = \\sigma(o) \\tanh(c),

    computed with :func:`~dynet.functions.tree_lstm`. ``W_x`` (with bias)
    gives ``4 N`` columns: the blocks ``a, i, o`` then ``f``. A None child
    state counts as zeros; a None ``x`` as zeros.

    Args:
        in_size (int or None): input size.
        out_size (int): cell and output size ``N``.

    Attributes:
        W_x (Linear): ``in_size -> 4 N``.
        W_h_aio (Linear): ``N -> 3 N``, no bias, applied to the sum of the
            children's outputs.
        W_h_f (Linear): ``N -> N``, no bias, applied to each child's
            output.
    """

    def __init__(self, in_size, out_size):
        super().__init__()
        with self.init_scope():
            self.W_x = Linear(in_size, 4 * out_size)
            self.W_h_aio = Linear(out_size, 3 * out_size, nobias=True)
            self.W_h_f = Linear(out_size, out_size, nobias=True)
        self.in_size = in_size
        self.state_size = out_size

    def forward(self, *cshsx):
        """forward(self, c_1, ..., c_K, h_1, ..., h_K, x)

        Returns the new ``(c, h)``.
        """
        if len(cshsx) % 2 != 1:
            raise TypeError(
                'ChildSumTreeLSTM: expected c_1..c_K, h_1..h_K, x (an odd '
                'number of arguments), got {}'.format(len(cshsx)))
        k = len(cshsx) // 2
        cs, hs, x = cshsx[:k], cshsx[k:2 * k], cshsx[-1]
        n = self.state_size
        if x is None:
            x = _zero_input(self, cs, hs, self.in_size)
        x_aio, x_f = split_axis(self.W_x(x), [3 * n], axis=1)
        if k == 0:
            a, i, o = split_axis(x_aio, 3, axis=1)
            c = sigmoid(i) * tanh(a)
            return c, sigmoid(o) * tanh(c)
        shape = (x.shape[0], n)
        hs = _fill_none(self, hs, shape, x.dtype)
        cs = _fill_none(self, cs, shape, x.dtype)
        h_sum = hs[0]
        for h in hs[1:]:
            h_sum = h_sum + h
        aio = self.W_h_aio(h_sum) + x_aio
        fs = [self.W_h_f(h) + x_f for h in hs]
        return tree_lstm(*(cs + (concat([aio] + fs, axis=1),)))


class NaryTreeLSTM(link.Chain):
    """N-ary TreeLSTM unit (the variant of Bowman et al., 2016), stateless.

    ``forward(c_1, ..., c_n, h_1, ..., h_n, x)`` for exactly ``n_ary``
    ordered children returns the parent's ``(c, h)``:
    ``tree_lstm(c_1, ..., c_n, W_x x + sum_k W_hk h_k)``, i.e. the blocks
    ``a, i, o, f_1, ..., f_n`` of :func:`~dynet.functions.tree_lstm`. A
    None child output is skipped, a None child cell counts as zeros and a
    None ``x`` as zeros.

    Args:
        in_size (int or None): input size.
        out_size (int): cell and output size ``N``.
        n_ary (int): number of children (>= 1).

    Attributes:
        W_x (Linear): ``in_size -> (3 + n_ary) N`` with bias.
        W_h1, ..., W_h{n_ary} (Linear): ``N -> (3 + n_ary) N``, no bias.
    """

    def __init__(self, in_size, out_size, n_ary=2):
        if n_ary < 1:
            raise ValueError('NaryTreeLSTM: n_ary must be at least 1, got {}'
                             .format(n_ary))
        super().__init__()
        with self.init_scope():
            self.W_x = Linear(in_size, (3 + n_ary) * out_size)
            for i in range(1, n_ary + 1):
                setattr(self, 'W_h{}'.format(i),
                        Linear(out_size, (3 + n_ary) * out_size,
                               nobias=True))
        self.in_size = in_size
        self.state_size = out_size
        self.n_ary = n_ary

    def forward(self, *cshsx):
        """forward(self, c_1, ..., c_n, h_1, ..., h_n, x)

        Returns the new ``(c, h)``.
        """
        n = self.n_ary
        if len(cshsx) != 2 * n + 1:
            raise TypeError('NaryTreeLSTM: expected {} arguments (c_1..c_{}, '
                            'h_1..h_{}, x), got {}'.format(
                                2 * n + 1, n, n, len(cshsx)))
        cs, hs, x = cshsx[:n], cshsx[n:2 * n], cshsx[-1]
        if x is None:
            x = _zero_input(self, cs, hs, self.in_size)
        total = self.W_x(x)
        for i, h in enumerate(hs, start=1):
            if h is not None:
                total += getattr(self, 'W_h{}'.format(i))(h)
        cs = _fill_none(self, cs, (x.shape[0], self.state_size), x.dtype)
        return tree_lstm(*(cs + (total,)))
