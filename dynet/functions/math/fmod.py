"""Elementwise remainder of a division, with the sign of the dividend."""
from dynet import backend
from dynet.functions.math._elementwise import (
    BinaryFloat, as_output, sum_to_shape)


class Fmod(BinaryFloat):

    label = 'fmod'
    _names = ('x', 'divisor')

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, divisor = inputs
        xp = backend.get_array_module(x, divisor)
        return as_output(xp.fmod(x, divisor), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.fix import fix
        x, divisor = self.get_retained_inputs()
        gy = grad_outputs[0]
        result = []
        for i in indexes:
            if i == 0:
                gx = gy
            else:
                # fmod(x, d) = x - d * fix(x / d); fix is piecewise constant.
                gx = -(gy * fix(x / divisor))
            result.append(sum_to_shape(gx, self.inputs[i].shape))
        return tuple(result)


def fmod(x, divisor):
    """Elementwise remainder ``x - divisor * fix(x / divisor)`` (C's
    ``fmod``: the result has the sign of ``x``).

    Gradients: 1 for ``x`` and ``-fix(x / divisor)`` for ``divisor``
    (undefined where ``x / divisor`` is an integer, a jump of the
    function).

    Args:
        x (Variable or array): dividend, float16/32/64.
        divisor (Variable or array): divisor, same dtype; the shapes are
            broadcast (NumPy rules).
    Returns:
        Variable of the broadcast shape and the inputs' dtype.
    """
    return Fmod().apply((x, divisor))[0]
