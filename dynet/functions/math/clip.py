"""Clipping to an interval."""
import numbers

import numpy

from dynet import backend
from dynet.functions.math._elementwise import UnaryFloat, as_output


def _bound(value, name):
    if value is None:
        return None
    if isinstance(value, (numbers.Real, numpy.number)) and \
            not isinstance(value, (bool, numpy.bool_)):
        return value
    if isinstance(value, numpy.ndarray) and value.ndim == 0 and \
            value.dtype.kind in 'iuf':
        return value[()]
    raise TypeError('clip: {} must be a real number or None, got {!r}'
                    .format(name, value))


class Clip(UnaryFloat):

    def __init__(self, x_min, x_max):
        x_min = _bound(x_min, 'x_min')
        x_max = _bound(x_max, 'x_max')
        if x_min is None and x_max is None:
            raise ValueError('clip: x_min and x_max are both None; give at '
                             'least one bound')
        if x_min is not None and x_max is not None and not x_min < x_max:
            raise ValueError('clip: x_min must be less than x_max, got '
                             'x_min={!r} and x_max={!r}'.format(x_min, x_max))
        self.x_min = x_min
        self.x_max = x_max

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        xp = backend.get_array_module(x)
        return as_output(xp.clip(x, self.x_min, self.x_max), x.dtype),

    def backward(self, indexes, grad_outputs):
        # 1 inside [x_min, x_max] (bounds included), 0 outside; the mask is
        # a constant, so the gradient is linear in grad_outputs.
        x = self.inputs[0].data
        inside = None
        if self.x_min is not None:
            inside = x >= self.x_min
        if self.x_max is not None:
            upper = x <= self.x_max
            inside = upper if inside is None else inside & upper
        return grad_outputs[0] * inside,


def clip(x, x_min, x_max):
    """Clips the elements of ``x`` to the interval ``[x_min, x_max]``.

    The gradient is 1 where ``x_min <= x <= x_max`` (the bounds count as
    inside, as in Chainer) and 0 elsewhere.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
        x_min (float or None): lower bound (None: no lower bound).
        x_max (float or None): upper bound (None: no upper bound).
    Returns:
        Variable of ``x``'s shape and dtype.
    Raises:
        ValueError: both bounds are None, or ``x_min >= x_max``.
        TypeError: a bound is not a real number.
    """
    return Clip(x_min, x_max).apply((x,))[0]
