"""Helpers shared by the exporter and the importer: the optional ``onnx``
import, the supported opset range and array conversions."""
import numpy

from dynet.backend._cupy import is_cupy_array

#: Oldest opset the exporter writes (axes of Squeeze, Unsqueeze and
#: ReduceSum are inputs from opset 13 on, and Softmax is per-axis).
MINIMUM_OPSET_VERSION = 13
#: Newest opset the exporter writes (and the tests run with onnxruntime).
MAXIMUM_OPSET_VERSION = 24
#: Opset written when ``opset_version`` is not given.
DEFAULT_OPSET_VERSION = 17


def require_onnx(caller):
    """Imports and returns the ``onnx`` module, or raises an ImportError
    that says how to install it."""
    try:
        import onnx
        import onnx.checker  # NOQA
        import onnx.helper  # NOQA
        import onnx.numpy_helper  # NOQA
    except ImportError as error:
        raise ImportError(
            '{} needs the optional package onnx, which could not be '
            'imported ({}). Install it with: pip install onnx'.format(
                caller, error)) from error
    return onnx


def to_numpy(array):
    """A NumPy copy of a NumPy or CuPy array (NumPy arrays are returned as
    they are)."""
    if is_cupy_array(array):
        return array.get()
    return numpy.asarray(array)


def check_opset_version(caller, opset_version):
    """Validates ``opset_version`` (None means the default) and returns
    it as an int."""
    if opset_version is None:
        return DEFAULT_OPSET_VERSION
    if isinstance(opset_version, bool) or not isinstance(
            opset_version, (int, numpy.integer)):
        raise TypeError('{}: opset_version must be an int or None, got {}'
                        .format(caller, type(opset_version).__name__))
    if not MINIMUM_OPSET_VERSION <= opset_version <= MAXIMUM_OPSET_VERSION:
        raise ValueError(
            '{}: opset_version must be in the supported range {}..{}, got '
            '{}'.format(caller, MINIMUM_OPSET_VERSION,
                        MAXIMUM_OPSET_VERSION, opset_version))
    return int(opset_version)
