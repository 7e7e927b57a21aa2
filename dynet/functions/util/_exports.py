"""Public names of this category (re-exported by dynet.functions)."""
from dynet.functions.util.forget import forget  # NOQA

__all__ = ['forget']
