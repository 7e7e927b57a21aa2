"""Connection functions (linear, convolution, embedding, ...)."""
from dynet.functions.connection.linear import linear  # NOQA

__all__ = ['linear']
