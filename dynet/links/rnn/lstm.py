"""Fully connected LSTM layers: ``StatelessLSTM`` and the stateful
``LSTM``."""
from dynet import initializers
from dynet import link
from dynet.functions.array.concat import concat
from dynet.functions.array.split_axis import split_axis
from dynet.functions.rnn.lstm import lstm
from dynet.links.connection.linear import Linear
from dynet.variable import Variable


def _size_of_shape(shape):
    size = 1
    for n in shape:
        size *= int(n)
    return size


class LSTMBase(link.Chain):
    """The parameters shared by :class:`LSTM` and :class:`StatelessLSTM`.

    Children: ``upward`` (``Linear(in_size, 4 * out_size)``) applied to the
    input and ``lateral`` (``Linear(out_size, 4 * out_size, nobias=True)``)
    applied to the previous output; their outputs are summed and given to
    :func:`~dynet.functions.lstm`, so the rows of their weights are
    interleaved by gate (row ``4 k + j`` is gate ``j`` of unit ``k``, gates
    ``a, i, f, o``).

    Initialization (as Chainer's): each of the four row blocks
    ``W[k N:(k + 1) N]`` of both weights gets its own call of
    ``upward_init`` / ``lateral_init`` (default ``LeCunNormal``); the bias
    of the forget gate gets ``forget_bias_init`` (default 1) and the other
    biases ``bias_init`` (default 0).
    """

    def __init__(self, in_size, out_size=None, lateral_init=None,
                 upward_init=None, bias_init=None, forget_bias_init=None):
        if out_size is None:
            out_size, in_size = in_size, None
        super().__init__()
        if bias_init is None:
            bias_init = 0
        if forget_bias_init is None:
            forget_bias_init = 1
        self.state_size = out_size
        self.lateral_init = lateral_init
        self.upward_init = upward_init
        self.bias_init = bias_init
        self.forget_bias_init = forget_bias_init
        with self.init_scope():
            self.upward = Linear(in_size, 4 * out_size, initialW=0)
            self.lateral = Linear(out_size, 4 * out_size, initialW=0,
                                  nobias=True)
            if in_size is not None:
                self._initialize_params()

    def _initialize_params(self):
        lateral_init = initializers._get_initializer(self.lateral_init)
        upward_init = initializers._get_initializer(self.upward_init)
        bias_init = initializers._get_initializer(self.bias_init)
        forget_bias_init = initializers._get_initializer(
            self.forget_bias_init)
        n = self.state_size
        for start in range(0, 4 * n, n):
            lateral_init(self.lateral.W.array[start:start + n, :])
            upward_init(self.upward.W.array[start:start + n, :])
        gates = self.upward.b.array.reshape(1, n, 4, 1)
        a, i, f, o = (gates[:, :, j] for j in range(4))
        bias_init(a)
        bias_init(i)
        forget_bias_init(f)
        bias_init(o)

    def _initialize_for(self, x):
        if self.upward.W.array is None:
            self.upward._initialize_params(_size_of_shape(x.shape[1:]))
            self._initialize_params()


class StatelessLSTM(LSTMBase):
    """Fully connected LSTM layer that keeps no state.

    ``forward(c, h, x)`` returns ``lstm(c, upward(x) + lateral(h))``, i.e.
    the new ``(c, h)``; ``h`` may be None (no lateral term) and ``c`` None
    (zeros).

    Args:
        in_size (int or None): input size; None (or giving only one size)
            defers initialization to the first call.
        out_size (int): number of units.
        lateral_init, upward_init, bias_init, forget_bias_init: see
            :class:`LSTMBase`.
    """

    def forward(self, c, h, x):
        """Returns ``(c_new, h_new)``."""
        self._initialize_for(x)
        lstm_in = self.upward(x)
        if h is not None:
            lstm_in += self.lateral(h)
        if c is None:
            c = Variable(self.xp.zeros((x.shape[0], self.state_size),
                                       dtype=x.dtype))
        return lstm(c, lstm_in)


class LSTM(LSTMBase):
    """Fully connected LSTM layer that keeps its cell state ``c`` and its
    last output ``h``.

    ``forward(x)`` computes ``lstm(c, upward(x) + lateral(h))``, stores the
    new ``c`` and ``h`` and returns ``h``. Variable-length batches: ``x``
    may have fewer rows than the state (sequences sorted by decreasing
    length); then only the first ``len(x)`` rows of ``c`` and ``h`` are
    updated.

    Args:
        in_size (int or None): input size; None (or giving only one size,
            ``LSTM(out_size)``) defers initialization to the first call.
        out_size (int): number of units.
        lateral_init, upward_init, bias_init, forget_bias_init: see
            :class:`LSTMBase`.

    Attributes:
        c (Variable or None): the cell state.
        h (Variable or None): the output of the previous step.
    """

    def __init__(self, in_size, out_size=None, lateral_init=None,
                 upward_init=None, bias_init=None, forget_bias_init=None):
        if out_size is None:
            in_size, out_size = None, in_size
        super().__init__(in_size, out_size, lateral_init, upward_init,
                         bias_init, forget_bias_init)
        self.reset_state()

    def _move_own_arrays(self, device):
        # The recurrent state moves with the parameters, also when a
        # parent chain is moved.
        super()._move_own_arrays(device)
        for name in ('c', 'h'):
            value = getattr(self, name, None)
            if value is not None:
                value.to_device(self.device)

    def set_state(self, c, h):
        """Sets the cell state ``c`` and the previous output ``h``
        (Variables), moved to this link's device."""
        for name, value in (('c', c), ('h', h)):
            if not isinstance(value, Variable):
                raise TypeError('LSTM.set_state: {} must be a Variable, got '
                                '{}'.format(name, type(value).__name__))
        c.to_device(self.device)
        h.to_device(self.device)
        self.c = c
        self.h = h

    def reset_state(self):
        """Forgets the state: ``c`` and ``h`` become None."""
        self.c = self.h = None

    def forward(self, x):
        """Updates the state with ``x`` (B, in_size) and returns the new
        output (B, out_size)."""
        self._initialize_for(x)
        batch = x.shape[0]
        lstm_in = self.upward(x)
        h_rest = None
        if self.h is not None:
            h_size = self.h.shape[0]
            if batch == 0:
                h_rest = self.h
            elif h_size < batch:
                raise TypeError(
                    'LSTM: x has more rows ({}) than the stored state h '
                    '({}); a step may keep or shrink the batch, never grow '
                    'it'.format(batch, h_size))
            elif h_size > batch:
                h_update, h_rest = split_axis(self.h, [batch], axis=0)
                lstm_in += self.lateral(h_update)
            else:
                lstm_in += self.lateral(self.h)
        if self.c is None:
            self.c = Variable(self.xp.zeros((batch, self.state_size),
                                            dtype=x.dtype))
        self.c, y = lstm(self.c, lstm_in)
        if h_rest is None:
            self.h = y
        elif len(y.array) == 0:
            self.h = h_rest
        else:
            self.h = concat([y, h_rest], axis=0)
        return y
