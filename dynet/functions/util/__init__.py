"""Utility functions."""
from dynet.functions.util.forget import forget  # NOQA

__all__ = ['forget']
