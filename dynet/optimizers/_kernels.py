"""Fused CuPy kernels of update rules and optimizer hooks.

A kernel is compiled the first time a GPU update asks for it and kept for
the process (CuPy itself caches the compiled code per device). Nothing here
imports CuPy before then.
"""
from dynet.backend import _cupy

_cache = {}


def elementwise(in_params, out_params, operation, name):
    """The ``cupy.ElementwiseKernel`` with these arguments (memoized)."""
    key = (in_params, out_params, operation, name)
    kernel = _cache.get(key)
    if kernel is None:
        cupy = _cupy.require_cupy('the GPU kernel {!r}'.format(name))
        kernel = cupy.ElementwiseKernel(in_params, out_params, operation,
                                        name)
        _cache[key] = kernel
    return kernel
