"""Shared pieces of the elementwise math functions (private).

* ``UnaryFloat`` / ``BinaryFloat``: FunctionNode bases with the usual input
  checks (one float input; two float inputs of one dtype whose shapes are
  equal or broadcastable).
* ``special``: the module holding a special function (``scipy.special`` for
  NumPy inputs, ``cupyx.scipy.special`` for CuPy inputs), imported only
  when a function needs it, with a clear ImportError when it is missing.
* ``sum_to_shape``: differentiable reduction of a broadcast gradient.
"""
import math
import warnings

import numpy

from dynet.backend import is_cupy_array
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.utils import force_array


class PerformanceWarning(RuntimeWarning):
    """A computation falls back to a slow implementation (e.g. SciPy is
    missing); same role as Chainer's ``chainer.warnings.PerformanceWarning``.
    """


class UnaryFloat(FunctionNode):
    """One floating-point input ``x`` of any shape."""

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])


class BinaryFloat(FunctionNode):
    """Two floating-point inputs of one dtype.

    ``_broadcast`` tells whether their shapes may differ (NumPy
    broadcasting) or must be equal.
    """

    _names = ('x1', 'x2')
    _broadcast = True

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        a, b = in_data
        _check.float_kind(self, self._names[0], a)
        if a.dtype != b.dtype:
            _check.same_dtype(self, self._names, in_data)
        if a.shape != b.shape:
            if self._broadcast:
                _check.broadcastable(self, self._names, in_data)
            else:
                _check.same_shape(self, self._names, in_data)


def sum_to_shape(gx, shape):
    """``gx`` (a Variable) summed down to ``shape`` when broadcasting made
    it larger; differentiable."""
    if gx.shape == shape:
        return gx
    from dynet.functions.math.sum import sum_to
    return sum_to(gx, shape)


def as_output(y, dtype):
    """``y`` as an array of ``dtype`` (0-dim results of ufuncs are NumPy
    scalars; SciPy computes float16 in float32)."""
    return force_array(y, dtype)


def special(array, name):
    """The special-function module for ``array``'s device.

    Args:
        array: the input array (decides NumPy or CuPy).
        name (str): the dynet function asking (for the error message).
    Raises:
        ImportError: SciPy (CPU) or ``cupyx.scipy.special`` (GPU) cannot be
            imported.
    """
    if is_cupy_array(array):
        try:
            import cupyx.scipy.special as module
        except ImportError as e:
            raise ImportError(
                'dynet.functions.{0}: cupyx.scipy.special could not be '
                'imported; the GPU computation of {0} needs it ({1})'.format(
                    name, e)) from e
        return module
    try:
        import scipy.special as module
    except ImportError as e:
        raise ImportError(
            'dynet.functions.{0}: SciPy is not available; the CPU '
            'computation of {0} needs it (install the scipy package): '
            '{1}'.format(name, e)) from e
    return module


def special_or_fallback(array, name, scipy_name, fallback):
    """``scipy.special.<scipy_name>`` (or CuPy's) for ``array``; on CPU
    without SciPy, ``numpy.vectorize(fallback)`` with a PerformanceWarning.
    """
    try:
        return getattr(special(array, name), scipy_name)
    except ImportError:
        if is_cupy_array(array):
            raise
    warnings.warn(
        'SciPy is not available: dynet.functions.{} computes on CPU '
        'element by element in Python, which is slow.'.format(name),
        PerformanceWarning)
    return numpy.vectorize(fallback, otypes=[numpy.float64])


def slow_ndtr(x):
    """Standard normal CDF of one Python float (SciPy-free fallback)."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))
