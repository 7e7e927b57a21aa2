"""Fully connected LSTM with peephole connections
(``chainer.links.StatefulPeepholeLSTM``)."""
from dynet import link
from dynet.functions.activation.sigmoid import sigmoid
from dynet.functions.activation.tanh import tanh
from dynet.links.connection.linear import Linear
from dynet.links.rnn._state import RecurrentState, split_gates


class StatefulPeepholeLSTM(RecurrentState, link.Chain):
    """Fully connected LSTM layer with peephole connections, keeping its
    cell state ``c`` and its last output ``h``.

    Given an input ``x``, with ``z = upward(x) + lateral(h)`` split into
    the gates ``a, i, f, o`` (interleaved columns, as in
    :func:`dynet.functions.lstm`)::

        a  = tanh(z_a)
        i  = sigmoid(z_i + peep_i(c))
        f  = sigmoid(z_f + peep_f(c))
        c' = a * i + f * c
        o  = sigmoid(z_o + peep_o(c'))
        h' = o * tanh(c')

    The lateral term is left out while ``h`` is None, and ``c`` starts at
    zero.

    Args:
        in_size (int or None): input size (None: deferred to the first
            call).
        out_size (int): number of units.

    Attributes:
        upward (Linear): ``in_size -> 4 out_size``, with bias.
        lateral (Linear): ``out_size -> 4 out_size``, no bias.
        peep_i, peep_f, peep_o (Linear): ``out_size -> out_size``, no bias:
            the peephole connections to the input, forget and output
            gates.
        c (Variable or None): the cell state.
        h (Variable or None): the output of the previous step.
    """

    _state_names = ('c', 'h')

    def __init__(self, in_size, out_size):
        super().__init__()
        self.state_size = out_size
        self.reset_state()
        with self.init_scope():
            self.upward = Linear(in_size, 4 * out_size)
            self.lateral = Linear(out_size, 4 * out_size, nobias=True)
            self.peep_i = Linear(out_size, out_size, nobias=True)
            self.peep_f = Linear(out_size, out_size, nobias=True)
            self.peep_o = Linear(out_size, out_size, nobias=True)

    def set_state(self, c, h):
        """Sets the cell state ``c`` and the previous output ``h``
        (Variables of shape (B, out_size), moved to this link's
        device)."""
        self._set_state(c=c, h=h)

    def forward(self, x):
        """Updates the state with ``x`` (B, in_size) and returns the new
        output ``h`` (B, out_size)."""
        self._check_batch(x, self.h)
        self._check_batch(x, self.c)
        lstm_in = self.upward(x)
        if self.h is not None:
            lstm_in += self.lateral(self.h)
        if self.c is None:
            self.c = self._zero_state(x)
        a, i, f, o = split_gates(lstm_in, self.state_size)
        a = tanh(a)
        i = sigmoid(i + self.peep_i(self.c))
        f = sigmoid(f + self.peep_f(self.c))
        self.c = a * i + f * self.c
        o = sigmoid(o + self.peep_o(self.c))
        self.h = o * tanh(self.c)
        return self.h
