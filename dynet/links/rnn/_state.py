"""Pieces shared by the stateful recurrent links of this package that
keep named state Variables (``StatefulPeepholeLSTM``,
``StatefulZoneoutLSTM``, ``StatefulMGU``)."""
from dynet.functions.array.reshape import reshape
from dynet.functions.array.split_axis import split_axis
from dynet.variable import Variable


class RecurrentState:
    """Mixin for a Link that keeps state Variables named in
    ``_state_names``: ``reset_state`` sets them to None, they move with the
    link between devices (also when a parent chain is moved), and
    ``_set_state`` checks and stores new values."""

    _state_names = ()

    def reset_state(self):
        """Forgets the state (sets it to None)."""
        for name in self._state_names:
            setattr(self, name, None)

    def _move_own_arrays(self, device):
        super()._move_own_arrays(device)
        for name in self._state_names:
            value = getattr(self, name, None)
            if value is not None:
                value.to_device(self.device)

    def _set_state(self, **values):
        for name in self._state_names:
            value = values[name]
            if not isinstance(value, Variable):
                raise TypeError('{}.set_state: {} must be a Variable, got {}'
                                .format(type(self).__name__, name,
                                        type(value).__name__))
        for name in self._state_names:
            values[name].to_device(self.device)
            setattr(self, name, values[name])

    def _zero_state(self, x):
        """A zero state Variable (len(x), state_size) of x's dtype, on this
        link's device."""
        with self.device:
            array = self.xp.zeros((x.shape[0], self.state_size),
                                  dtype=x.dtype)
        return Variable(array)

    def _check_batch(self, x, state):
        if state is not None and state.shape[0] != x.shape[0]:
            raise TypeError(
                '{}: x has {} rows but the stored state has {}; call '
                'reset_state() (or set_state) before changing the batch '
                'size'.format(type(self).__name__, x.shape[0],
                              state.shape[0]))


def split_gates(lstm_in, state_size):
    """Splits the (B, 4 N) pre-activations of an LSTM into its gates
    ``a, i, f, o`` (each (B, N)); the columns are interleaved by unit
    (column ``4 k + j`` is gate ``j`` of unit ``k``), as in
    :func:`dynet.functions.lstm`."""
    batch = lstm_in.shape[0]
    gates = reshape(lstm_in, (batch, state_size, 4))
    return tuple(reshape(g, (batch, state_size))
                 for g in split_axis(gates, 4, axis=2))
