"""LSTM regularized by zoneout (``chainer.links.StatefulZoneoutLSTM``)."""
from dynet import link
from dynet.functions.activation.sigmoid import sigmoid
from dynet.functions.activation.tanh import tanh
from dynet.functions.noise import _kwargs
from dynet.functions.noise.zoneout import zoneout
from dynet.links.connection.linear import Linear
from dynet.links.rnn._state import RecurrentState, split_gates


class StatefulZoneoutLSTM(RecurrentState, link.Chain):
    """Fully connected LSTM layer with zoneout (Krueger et al., "Zoneout:
    Regularizing RNNs by Randomly Preserving Hidden Activations"), keeping
    its cell state ``c`` and output ``h``.

    With ``z = upward(x) + lateral(h)`` split into the gates ``a, i, f,
    o`` (interleaved columns, as in :func:`dynet.functions.lstm`)::

        c_new = tanh(z_a) * sigmoid(z_i) + sigmoid(z_f) * c
        c'    = zoneout(c, c_new, c_ratio)
        h'    = zoneout(h, sigmoid(z_o) * tanh(c_new), h_ratio)

    In training mode each unit keeps its previous value with probability
    ``c_ratio`` (``h_ratio``) (:func:`dynet.functions.zoneout`; the mask of
    ``c`` is drawn first); in test mode ``c' = c_new`` and ``h'`` is the
    plain LSTM output. ``c`` and ``h`` start at zero.

    Args:
        in_size (int or None): input size (None: deferred).
        out_size (int): number of units.
        c_ratio (float): zoneout ratio of the cell state.
        h_ratio (float): zoneout ratio of the output.

    Attributes:
        upward (Linear): ``in_size -> 4 out_size``, with bias.
        lateral (Linear): ``out_size -> 4 out_size``, no bias.
        c (Variable or None): the cell state.
        h (Variable or None): the output of the previous step.
    """

    _state_names = ('c', 'h')

    def __init__(self, in_size, out_size, c_ratio=0.5, h_ratio=0.5,
                 **kwargs):
        _kwargs.parse('StatefulZoneoutLSTM', kwargs, (),
                      _kwargs.train_removed())
        super().__init__()
        self.state_size = out_size
        self.c_ratio = c_ratio
        self.h_ratio = h_ratio
        self.reset_state()
        with self.init_scope():
            self.upward = Linear(in_size, 4 * out_size)
            self.lateral = Linear(out_size, 4 * out_size, nobias=True)

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
        else:
            self.h = self._zero_state(x)
        if self.c is None:
            self.c = self._zero_state(x)
        a, i, f, o = split_gates(lstm_in, self.state_size)
        c_new = tanh(a) * sigmoid(i) + sigmoid(f) * self.c
        self.c = zoneout(self.c, c_new, self.c_ratio)
        self.h = zoneout(self.h, sigmoid(o) * tanh(c_new), self.h_ratio)
        return self.h
