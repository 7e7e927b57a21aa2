"""Public names of this category (re-exported by dynet.functions)."""
from dynet.functions.rnn.lstm import lstm  # NOQA
from dynet.functions.rnn.n_step_gru import n_step_bigru, n_step_gru  # NOQA
from dynet.functions.rnn.n_step_lstm import n_step_bilstm, n_step_lstm  # NOQA
from dynet.functions.rnn.n_step_rnn import n_step_birnn, n_step_rnn  # NOQA
from dynet.functions.rnn.slstm import slstm  # NOQA
from dynet.functions.rnn.tree_lstm import tree_lstm  # NOQA

__all__ = ['lstm', 'n_step_bigru', 'n_step_bilstm', 'n_step_birnn',
           'n_step_gru', 'n_step_lstm', 'n_step_rnn', 'slstm', 'tree_lstm']
