"""Public reduction and linear-algebra functions (re-exported by
``math``)."""
from dynet.functions.math.matmul import matmul  # NOQA
from dynet.functions.math.sum import sum, sum_to  # NOQA

__all__ = ['matmul', 'sum', 'sum_to']
