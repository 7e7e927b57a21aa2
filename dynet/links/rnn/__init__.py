"""Recurrent links."""
from dynet.links.rnn.gru import GRU, StatefulGRU, StatelessGRU  # NOQA
from dynet.links.rnn.lstm import LSTM, StatelessLSTM  # NOQA
from dynet.links.rnn.mgu import StatefulMGU, StatelessMGU  # NOQA
from dynet.links.rnn.n_step_gru import NStepBiGRU, NStepGRU  # NOQA
from dynet.links.rnn.n_step_lstm import NStepBiLSTM, NStepLSTM  # NOQA
from dynet.links.rnn.n_step_rnn import (  # NOQA
    NStepBiRNNReLU, NStepBiRNNTanh, NStepRNNReLU, NStepRNNTanh)
from dynet.links.rnn.peephole import StatefulPeepholeLSTM  # NOQA
from dynet.links.rnn.tree_lstm import ChildSumTreeLSTM, NaryTreeLSTM  # NOQA
from dynet.links.rnn.zoneoutlstm import StatefulZoneoutLSTM  # NOQA

__all__ = ['ChildSumTreeLSTM', 'GRU', 'LSTM', 'NStepBiGRU', 'NStepBiLSTM',
           'NStepBiRNNReLU', 'NStepBiRNNTanh', 'NStepGRU', 'NStepLSTM',
           'NStepRNNReLU', 'NStepRNNTanh', 'NaryTreeLSTM', 'StatefulGRU',
           'StatefulMGU', 'StatefulPeepholeLSTM', 'StatefulZoneoutLSTM',
           'StatelessGRU', 'StatelessLSTM', 'StatelessMGU']
