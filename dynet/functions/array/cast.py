"""Dtype conversion with a gradient cast back to the input dtype."""
import numpy

from dynet.config import config
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.variable import as_variable


class Cast(FunctionNode):

    def __init__(self, typ):
        self.type = typ

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])

    def forward(self, inputs):
        x = inputs[0]
        y = x.astype(self.type, copy=False)
        if y is x:
            y = x.view()  # a new array object, never the input itself
        return y,

    def backward(self, indexes, grad_outputs):
        return cast(grad_outputs[0], self.inputs[0].dtype),


def cast(x, typ):
    """Casts ``x`` to dtype ``typ``.

    ``y = x.astype(typ)``; the gradient is cast back to ``x``'s dtype, so
    mixed-precision graphs backpropagate in the dtype of each input. When
    ``x`` already has dtype ``typ`` and backprop is disabled, ``x`` is
    returned as a Variable without recording anything.

    Args:
        x: Variable or array of a float dtype, any shape.
        typ: anything ``numpy.dtype`` accepts (``numpy.float16``, ``'f'``).
    Returns:
        Variable of ``x``'s shape and dtype ``typ``.
    """
    try:
        typ = numpy.dtype(typ)
    except TypeError:
        raise TypeError('cast: typ must be a dtype, got {!r}'.format(
            typ)) from None
    if x.dtype == typ and not config.enable_backprop:
        return as_variable(x)
    return Cast(typ).apply((x,))[0]
