"""ONNX export and import.

``dynet.onnx.export(model, args, ...)`` traces a model and writes it as an
ONNX model; ``dynet.onnx.load(path_or_model_proto)`` builds a callable
:class:`~dynet.Chain` from an ONNX model. Both need the optional package
``onnx`` (``pip install onnx``); importing this module does not.
"""
from dynet.onnx._util import (  # NOQA
    DEFAULT_OPSET_VERSION, MAXIMUM_OPSET_VERSION, MINIMUM_OPSET_VERSION)
from dynet.onnx._export_ops import UnsupportedFunctionError  # NOQA
from dynet.onnx.export import export  # NOQA
from dynet.onnx.load import ONNXChain, UnsupportedNodeError, load  # NOQA

__all__ = ['DEFAULT_OPSET_VERSION', 'MAXIMUM_OPSET_VERSION',
           'MINIMUM_OPSET_VERSION', 'ONNXChain', 'UnsupportedFunctionError',
           'UnsupportedNodeError', 'export', 'load']
