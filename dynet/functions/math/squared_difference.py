"""Elementwise squared difference ``(x1 - x2) ** 2``."""
from dynet import backend
from dynet.functions.math._elementwise import BinaryFloat, as_output


class SquaredDifference(BinaryFloat):

    _broadcast = False

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x1, x2 = inputs
        xp = backend.get_array_module(x1, x2)
        return as_output(xp.square(x1 - x2), x1.dtype),

    def backward(self, indexes, grad_outputs):
        x1, x2 = self.get_retained_inputs()
        gx = grad_outputs[0] * ((x1 - x2) * 2)
        return tuple([gx if i == 0 else -gx for i in indexes])


def squared_difference(x1, x2):
    """Elementwise squared difference ``(x1 - x2) ** 2`` (not halved).

    Same function as Chainer's ``squared_error`` under other argument
    names.

    Args:
        x1 (Variable or array): float16/32/64 input.
        x2 (Variable or array): same shape and dtype as ``x1``.
    Returns:
        Variable of the inputs' shape and dtype. Gradients:
        ``2 (x1 - x2)`` for ``x1`` and ``-2 (x1 - x2)`` for ``x2``.
    """
    return SquaredDifference().apply((x1, x2))[0]
