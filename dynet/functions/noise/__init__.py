"""Noise functions (stochastic regularizers and sampling)."""
