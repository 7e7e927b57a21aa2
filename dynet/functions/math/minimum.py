"""Elementwise minimum of two inputs."""
from dynet import backend
from dynet.functions.math._elementwise import BinaryFloat, as_output
from dynet.functions.math.maximum import _broadcast_mask, select_backward


class Minimum(BinaryFloat):

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x1, x2 = inputs
        xp = backend.get_array_module(x1, x2)
        return as_output(xp.minimum(x1, x2), x1.dtype),

    def backward(self, indexes, grad_outputs):
        x1 = self.inputs[0].data
        x2 = self.inputs[1].data
        gy = grad_outputs[0]
        # Ties go to x1, as in Chainer.
        return select_backward(self, indexes, gy,
                               _broadcast_mask(x1 <= x2, gy.shape))


def minimum(x1, x2):
    """Elementwise minimum of ``x1`` and ``x2``.

    The gradient goes to the input that was selected; where
    ``x1 == x2`` it goes to ``x1``.

    Args:
        x1 (Variable or array): float16/32/64 input.
        x2 (Variable or array): same dtype; the shapes are broadcast
            (NumPy rules).
    Returns:
        Variable of the broadcast shape and the inputs' dtype.
    """
    return Minimum().apply((x1, x2))[0]
