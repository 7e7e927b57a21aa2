"""Elementwise maximum of two inputs."""
from dynet import backend
from dynet.functions.math._elementwise import (
    BinaryFloat, as_output, sum_to_shape)


def select_backward(node, indexes, gy, first_wins):
    """Gradients of an elementwise selection between two inputs.

    ``first_wins`` is a boolean array of the output's shape telling where
    the output came from ``x1``; the rest came from ``x2``. The masks are
    constants, so the result is linear in ``gy`` (double backprop works).
    """
    result = []
    for i in indexes:
        mask = first_wins if i == 0 else ~first_wins
        result.append(sum_to_shape(gy * mask, node.inputs[i].shape))
    return tuple(result)


def _broadcast_mask(mask, shape):
    xp = backend.get_array_module(mask)
    return mask if mask.shape == shape else xp.broadcast_to(mask, shape)


class Maximum(BinaryFloat):

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x1, x2 = inputs
        xp = backend.get_array_module(x1, x2)
        return as_output(xp.maximum(x1, x2), x1.dtype),

    def backward(self, indexes, grad_outputs):
        x1 = self.inputs[0].data
        x2 = self.inputs[1].data
        gy = grad_outputs[0]
        # Ties go to x1, as in Chainer.
        return select_backward(self, indexes, gy,
                               _broadcast_mask(x1 >= x2, gy.shape))


def maximum(x1, x2):
    """Elementwise maximum of ``x1`` and ``x2``.

    The gradient goes to the input that was selected; where
    ``x1 == x2`` it goes to ``x1``.

    Args:
        x1 (Variable or array): float16/32/64 input.
        x2 (Variable or array): same dtype; the shapes are broadcast
            (NumPy rules).
    Returns:
        Variable of the broadcast shape and the inputs' dtype.
    """
    return Maximum().apply((x1, x2))[0]
