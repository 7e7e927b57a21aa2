"""Stacked LSTM links over lists of sequences: ``NStepLSTM`` and
``NStepBiLSTM``."""
from dynet.functions.rnn.n_step_lstm import n_step_bilstm, n_step_lstm
from dynet.links.rnn.n_step_rnn import NStepRNNBase


class NStepLSTMBase(NStepRNNBase):
    """Base class of :class:`NStepLSTM` and :class:`NStepBiLSTM`: eight
    weights ``w0 .. w7`` and biases ``b0 .. b7`` per layer and direction
    (the ``W_j``, ``b_j`` of :func:`~dynet.functions.n_step_lstm`)."""

    n_weights = 8

    @property
    def n_cells(self):
        return 2

    def forward(self, hx, cx, xs, **kwargs):
        """forward(self, hx, cx, xs)

        Runs the LSTM over a batch of sequences.

        Args:
            hx (Variable or None): initial hidden states ``(S * D, B, N)``
                (None: zeros).
            cx (Variable or None): initial cell states, same shape (None:
                zeros).
            xs (list of Variables or arrays): ``B`` sequences ``xs[i]`` of
                shape ``(L_i, in_size)``, in any order of lengths.
        Returns:
            tuple ``(hy, cy, ys)``: the last hidden and cell states and the
            list ``ys[i]`` of shape ``(L_i, D * N)``.
        """
        (hy, cy), ys = self._call([hx, cx], xs, **kwargs)
        return hy, cy, ys


class NStepLSTM(NStepLSTMBase):
    """__init__(self, n_layers, in_size, out_size, dropout)

    Stacked uni-directional LSTM over a list of sequences of any lengths
    (sorted and transposed internally). See
    :class:`~dynet.links.rnn.n_step_rnn.NStepRNNBase` for the parameters
    and :func:`~dynet.functions.n_step_lstm` for the computation.
    """

    use_bi_direction = False

    def rnn(self, *args):
        return n_step_lstm(*args)


class NStepBiLSTM(NStepLSTMBase):
    """__init__(self, n_layers, in_size, out_size, dropout)

    Stacked bi-directional LSTM; outputs have ``2 * out_size`` columns
    (forward, then backward). See :func:`~dynet.functions.n_step_bilstm`.
    """

    use_bi_direction = True

    def rnn(self, *args):
        return n_step_bilstm(*args)
