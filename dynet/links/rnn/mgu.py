"""Minimal gated units (Zhou et al., "Minimal Gated Unit for Recurrent
Neural Networks"): ``chainer.links.StatelessMGU`` and ``StatefulMGU``."""
from dynet import link
from dynet.functions.activation.sigmoid import sigmoid
from dynet.functions.activation.tanh import tanh
from dynet.functions.array.concat import concat
from dynet.functions.math.linear_interpolate import linear_interpolate
from dynet.links.connection.linear import Linear
from dynet.links.rnn._state import RecurrentState


class MGUBase(link.Chain):
    """The two linear maps of an MGU, ``W_f`` and ``W_h`` (each
    ``Linear(n_inputs + n_units, n_units)`` with bias, applied to the
    concatenation ``[h, x]``: the first ``n_units`` columns of their
    weights act on the state), and the update::

        f  = sigmoid(W_f [h, x])
        h~ = tanh(W_h [f * h, x])
        h' = f * h~ + (1 - f) * h

    Args:
        n_inputs (int): input size.
        n_units (int): state size.
    """

    def __init__(self, n_inputs, n_units):
        super().__init__()
        with self.init_scope():
            self.W_f = Linear(n_inputs + n_units, n_units)
            self.W_h = Linear(n_inputs + n_units, n_units)

    def _call_mgu(self, h, x):
        f = sigmoid(self.W_f(concat([h, x])))
        h_bar = tanh(self.W_h(concat([f * h, x])))
        return linear_interpolate(f, h_bar, h)


class StatelessMGU(MGUBase):
    """Minimal gated unit that keeps no state: ``forward(h, x)`` returns
    the new state (see :class:`MGUBase`).

    Args:
        in_size (int): input size.
        out_size (int): state size.
    """

    def forward(self, h, x):
        """Returns the next state from the state ``h`` (B, out_size) and
        the input ``x`` (B, in_size)."""
        return self._call_mgu(h, x)


class StatefulMGU(RecurrentState, MGUBase):
    """Minimal gated unit that keeps its state ``h``: ``forward(x)``
    updates it (from zeros when it is None, see :class:`MGUBase`) and
    returns it.

    Args:
        in_size (int): input size.
        out_size (int): state size.

    Attributes:
        h (Variable or None): the state.
    """

    _state_names = ('h',)

    def __init__(self, in_size, out_size):
        super().__init__(in_size, out_size)
        self.state_size = out_size
        self.reset_state()

    def set_state(self, h):
        """Sets the state (a Variable (B, out_size), moved to this link's
        device)."""
        self._set_state(h=h)

    def forward(self, x):
        """Updates the state with ``x`` (B, in_size) and returns it."""
        self._check_batch(x, self.h)
        h = self.h if self.h is not None else self._zero_state(x)
        self.h = self._call_mgu(h, x)
        return self.h
