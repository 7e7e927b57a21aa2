"""Stacked GRU links over lists of sequences: ``NStepGRU`` and
``NStepBiGRU``."""
from dynet.functions.rnn.n_step_gru import n_step_bigru, n_step_gru
from dynet.links.rnn.n_step_rnn import NStepRNNBase


class NStepGRUBase(NStepRNNBase):
    """Base class of :class:`NStepGRU` and :class:`NStepBiGRU`: six
    weights ``w0 .. w5`` and biases ``b0 .. b5`` per layer and direction
    (the ``W_j``, ``b_j`` of :func:`~dynet.functions.n_step_gru`)."""

    n_weights = 6


class NStepGRU(NStepGRUBase):
    """__init__(self, n_layers, in_size, out_size, dropout)

    Stacked uni-directional GRU over a list of sequences of any lengths
    (sorted and transposed internally); ``forward(hx, xs)`` returns
    ``(hy, ys)``. See :func:`~dynet.functions.n_step_gru`.
    """

    use_bi_direction = False

    def rnn(self, *args):
        return n_step_gru(*args)


class NStepBiGRU(NStepGRUBase):
    """__init__(self, n_layers, in_size, out_size, dropout)

    Stacked bi-directional GRU; outputs have ``2 * out_size`` columns
    (forward, then backward). See :func:`~dynet.functions.n_step_bigru`.
    """

    use_bi_direction = True

    def rnn(self, *args):
        return n_step_bigru(*args)
