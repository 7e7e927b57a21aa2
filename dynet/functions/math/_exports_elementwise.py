"""Public elementwise math functions (re-exported by ``math``)."""
from dynet.functions.math.basic_math import absolute, add  # NOQA
from dynet.functions.math.exponential import exp, log  # NOQA

__all__ = ['absolute', 'add', 'exp', 'log']
