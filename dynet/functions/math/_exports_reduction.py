"""Public reduction and linear-algebra functions (re-exported by
``math``)."""
from dynet.functions.math.average import average, mean  # NOQA
from dynet.functions.math.batch_l2_norm_squared import \
    batch_l2_norm_squared  # NOQA
from dynet.functions.math.batch_matmul import batch_matmul  # NOQA
from dynet.functions.math.cholesky import cholesky  # NOQA
from dynet.functions.math.cumprod import cumprod  # NOQA
from dynet.functions.math.cumsum import cumsum  # NOQA
from dynet.functions.math.det import batch_det, det  # NOQA
from dynet.functions.math.einsum import einsum  # NOQA
from dynet.functions.math.inv import batch_inv, inv  # NOQA
from dynet.functions.math.logsumexp import logsumexp  # NOQA
from dynet.functions.math.matmul import matmul  # NOQA
from dynet.functions.math.minmax import argmax, argmin, max, min  # NOQA
from dynet.functions.math.prod import prod  # NOQA
from dynet.functions.math.sparse_matmul import sparse_matmul  # NOQA
from dynet.functions.math.sum import sum, sum_to  # NOQA
from dynet.functions.math.tensordot import tensordot  # NOQA

__all__ = ['argmax', 'argmin', 'average', 'batch_det', 'batch_inv',
           'batch_l2_norm_squared', 'batch_matmul', 'cholesky', 'cumprod',
           'cumsum', 'det', 'einsum', 'inv', 'logsumexp', 'matmul', 'max',
           'mean', 'min', 'prod', 'sparse_matmul', 'sum', 'sum_to',
           'tensordot']
