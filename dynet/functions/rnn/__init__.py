"""Recurrent functions: LSTM-family cells and multi-layer n-step RNNs."""
