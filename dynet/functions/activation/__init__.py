"""Activation functions."""
from dynet.functions.activation.relu import relu  # NOQA

__all__ = ['relu']
