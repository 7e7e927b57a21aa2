"""Dropout."""
import numpy

from dynet import backend
from dynet.config import config
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.noise import _kwargs
from dynet.variable import Variable, as_variable


def _uniform(xp, shape):
    """Uniform [0, 1) samples from the global generator (float64 on NumPy,
    float32 on CuPy, as Chainer draws them)."""
    if xp is numpy:
        # rand() with no dimensions gives a Python float: keep an array.
        return xp.asarray(xp.random.rand(*shape))
    return xp.random.rand(*shape, dtype=numpy.float32)


class Dropout(FunctionNode):
    """``x * mask`` with ``mask = flag / (1 - ratio)``, ``flag`` a
    Bernoulli(1 - ratio) sample."""

    def __init__(self, dropout_ratio, mask=None):
        if not 0.0 <= dropout_ratio < 1.0:
            raise ValueError('dropout: dropout_ratio must be in the range '
                             '[0, 1), got {}'.format(dropout_ratio))
        self.dropout_ratio = dropout_ratio
        if isinstance(mask, Variable):
            mask = mask.array
        self.mask = mask

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        x = in_data[0]
        _check.float_kind(self, 'x', x)
        if self.mask is not None:
            _check.same_shape(self, ('x', 'mask'), (x, self.mask))

    def forward(self, inputs):
        x = inputs[0]
        xp = backend.get_array_module(x)
        if self.mask is None:
            scale = x.dtype.type(1. / (1 - self.dropout_ratio))
            flag = _uniform(xp, x.shape) >= self.dropout_ratio
            self.mask = flag * scale
        elif self.mask.dtype != x.dtype:
            self.mask = self.mask.astype(x.dtype)
        return xp.asarray(x * self.mask),

    def backward(self, indexes, grad_outputs):
        # Linear in gy with a constant mask: differentiable any number of
        # times.
        return grad_outputs[0] * self.mask,


def dropout(x, ratio=.5, **kwargs):
    """dropout(x, ratio=.5, *, mask=None, return_mask=False)

    Drops elements of ``x`` with probability ``ratio`` and scales the
    others by ``1 / (1 - ratio)``, in training mode (``config.train``).
    In test mode ``x`` is returned unchanged (as a Variable) and no random
    numbers are drawn. The same mask is used by backward, so the gradient
    is ``gy * mask``.

    The mask is drawn from NumPy's (or CuPy's) global generator as
    ``rand(*x.shape) >= ratio``, so seeding it reproduces Chainer's masks.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
        ratio (float): the dropping probability, in ``[0, 1)``.
        mask (array or None): a mask to use instead of a random one: the
            output is ``x * mask`` (give the scaled mask, e.g. one
            returned by ``return_mask=True``). Same shape as ``x``; it is
            cast to ``x``'s dtype.
        return_mask (bool): also return the mask used (``None`` in test
            mode).
    Returns:
        The output Variable (``x``'s shape and dtype), or
        ``(output, mask)`` when ``return_mask`` is True.
    """
    mask, return_mask = _kwargs.parse(
        'dropout', kwargs, (('mask', None), ('return_mask', False)),
        _kwargs.train_removed())
    if config.train:
        func = Dropout(ratio, mask)
        y, = func.apply((x,))
        mask = func.mask
    else:
        y = as_variable(x)
        mask = None
    if return_mask:
        return y, mask
    return y
