"""Exponentials and logarithms: exp, expm1, log, log1p, log2, log10."""
import math

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


class _FloatUnary(FunctionNode):

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])


class Exp(_FloatUnary):

    def forward(self, inputs):
        self.retain_outputs((0,))
        x = inputs[0]
        return backend.get_array_module(x).exp(x),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return grad_outputs[0] * y,


def exp(x):
    """Elementwise ``e ** x`` (float inputs)."""
    return Exp().apply((x,))[0]


class Log(_FloatUnary):

    def forward(self, inputs):
        self.retain_inputs((0,))
        x = inputs[0]
        return backend.get_array_module(x).log(x),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] / x,


def log(x):
    """Elementwise natural logarithm (float inputs; ``log(0) = -inf``)."""
    return Log().apply((x,))[0]


class Expm1(_FloatUnary):

    label = 'expm1'

    def forward(self, inputs):
        self.retain_inputs((0,))
        x = inputs[0]
        y = backend.get_array_module(x).expm1(x)
        return y.astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * exp(x),


def expm1(x):
    """Elementwise ``exp(x) - 1``, accurate for ``x`` near 0.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype (``d/dx = exp(x)``).
    """
    return Expm1().apply((x,))[0]


class Log1p(_FloatUnary):

    label = 'log1p'

    def forward(self, inputs):
        self.retain_inputs((0,))
        x = inputs[0]
        y = backend.get_array_module(x).log1p(x)
        return y.astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] / (x + 1),


def log1p(x):
    """Elementwise ``log(1 + x)``, accurate for ``x`` near 0.

    Args:
        x (Variable or array): float16/32/64 input of any shape
            (``-1`` gives ``-inf``, below it NaN).
    Returns:
        Variable of ``x``'s shape and dtype (``d/dx = 1 / (1 + x)``).
    """
    return Log1p().apply((x,))[0]


class _LogBase(_FloatUnary):
    """Logarithm to a fixed base: ``log(x) / log(base)``."""

    _ufunc = None
    _log_base = None

    def forward(self, inputs):
        self.retain_inputs((0,))
        x = inputs[0]
        y = getattr(backend.get_array_module(x), self._ufunc)(x)
        return y.astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] / (x * self._log_base),


class Log2(_LogBase):

    label = 'log2'
    _ufunc = 'log2'
    _log_base = math.log(2.0)


class Log10(_LogBase):

    label = 'log10'
    _ufunc = 'log10'
    _log_base = math.log(10.0)


def log2(x):
    """Elementwise base-2 logarithm.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype
        (``d/dx = 1 / (x log 2)``).
    """
    return Log2().apply((x,))[0]


def log10(x):
    """Elementwise base-10 logarithm.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype
        (``d/dx = 1 / (x log 10)``).
    """
    return Log10().apply((x,))[0]
