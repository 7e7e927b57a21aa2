"""Mathematical functions."""
from dynet.functions.math.basic_math import absolute, add  # NOQA
from dynet.functions.math.exponential import exp, log  # NOQA
from dynet.functions.math.matmul import matmul  # NOQA
from dynet.functions.math.sum import sum, sum_to  # NOQA

__all__ = ['absolute', 'add', 'exp', 'log', 'matmul', 'sum', 'sum_to']
