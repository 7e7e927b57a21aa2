"""Zoneout: randomly keep the previous state."""
from dynet import backend
from dynet.config import config
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.noise import _kwargs


class Zoneout(FunctionNode):

    def __init__(self, zoneout_ratio):
        self.zoneout_ratio = zoneout_ratio

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        _check.float_kind(self, 'h', in_data[0])
        _check.same_dtype(self, ('h', 'x'), in_data)
        _check.same_shape(self, ('h', 'x'), in_data)

    def forward(self, inputs):
        h, x = inputs
        xp = backend.get_array_module(x)
        # As in Chainer: the new value x is kept where rand >= ratio.
        self.flag_x = xp.asarray(xp.random.rand(*x.shape)) >= \
            self.zoneout_ratio
        return xp.where(self.flag_x, x, h),

    def backward(self, indexes, grad_outputs):
        gy = grad_outputs[0]
        result = []
        if 0 in indexes:
            result.append(gy * ~self.flag_x)
        if 1 in indexes:
            result.append(gy * self.flag_x)
        return tuple(result)


def zoneout(h, x, ratio=.5, **kwargs):
    """Zoneout: each element keeps its previous value ``h`` with
    probability ``ratio`` and takes the new value ``x`` otherwise.

    In training mode the choice is ``rand(*x.shape) >= ratio`` (``x``
    where true) from NumPy's/CuPy's global generator; gradients go to
    ``h`` or ``x`` accordingly. In test mode ``x`` is returned as given
    (like Chainer, without wrapping an array in a Variable).

    Args:
        h (Variable or array): the previous state.
        x (Variable or array): the new state, same shape and dtype.
        ratio (float): the probability of keeping ``h``.
    Returns:
        Variable of ``x``'s shape and dtype (``x`` itself in test mode).
    """
    _kwargs.parse('zoneout', kwargs, (), _kwargs.train_removed())
    if config.train:
        return Zoneout(ratio).apply((h, x))[0]
    return x
