"""Losses of variational auto-encoders: ``gaussian_kl_divergence``,
``bernoulli_nll`` and ``gaussian_nll``."""
import math

import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.loss import _util

_REDUCE = ('sum', 'mean', 'no')
_LOG_2PI = math.log(2 * math.pi)


class _VAELoss(FunctionNode):
    """Elementwise loss of broadcastable float inputs, then reduced."""

    _names = ()

    def __init__(self, reduce):
        self.reduce = reduce

    def _check_inputs(self, in_data):
        _check.count(self, in_data, len(self._names))
        _check.float_kind(self, self._names[0], in_data[0])
        _check.same_dtype(self, self._names, in_data)
        _check.broadcastable(self, self._names, in_data)

    def forward(self, inputs):
        self.retain_inputs(tuple(range(len(inputs))))
        dtype = inputs[0].dtype
        work = _util.work_dtype(dtype)
        loss = self._elementwise(*[x.astype(work, copy=False)
                                   for x in inputs])
        self._out_shape = loss.shape
        return _util.reduce_elementwise(loss, self.reduce, dtype),

    def _grad(self, gy):
        shape = self._out_shape
        need_full = any(x.shape != shape for x in self.inputs)
        return _util.elementwise_grad(gy, self.reduce, shape,
                                      int(numpy.prod(shape)), need_full)


class GaussianKLDivergence(_VAELoss):

    _names = ('mean', 'ln_var')

    def _elementwise(self, mean, ln_var):
        xp = backend.get_array_module(mean)
        return (mean * mean + xp.exp(ln_var) - ln_var - 1) * 0.5

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.exponential import exp
        mean, ln_var = self.get_retained_inputs()
        g = self._grad(grad_outputs[0])
        result = []
        if 0 in indexes:
            result.append(_util.sum_to_shape(g * mean, mean.shape))
        if 1 in indexes:
            result.append(_util.sum_to_shape(
                g * ((exp(ln_var) - 1) * 0.5), ln_var.shape))
        return tuple(result)


class BernoulliNLL(_VAELoss):

    _names = ('x', 'y')

    def _elementwise(self, x, y):
        xp = backend.get_array_module(x)
        # softplus(y) - x * y, with softplus computed without overflow.
        return xp.maximum(y, 0) + xp.log1p(xp.exp(-abs(y))) - x * y

    def backward(self, indexes, grad_outputs):
        from dynet.functions.activation.sigmoid import sigmoid
        x, y = self.get_retained_inputs()
        g = self._grad(grad_outputs[0])
        result = []
        if 0 in indexes:
            result.append(_util.sum_to_shape(-(g * y), x.shape))
        if 1 in indexes:
            result.append(_util.sum_to_shape(g * (sigmoid(y) - x), y.shape))
        return tuple(result)


class GaussianNLL(_VAELoss):

    _names = ('x', 'mean', 'ln_var')

    def _elementwise(self, x, mean, ln_var):
        xp = backend.get_array_module(x)
        diff = x - mean
        return (ln_var + _LOG_2PI) * 0.5 + diff * diff * xp.exp(-ln_var) * 0.5

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.exponential import exp
        x, mean, ln_var = self.get_retained_inputs()
        g = self._grad(grad_outputs[0])
        diff = x - mean
        precision = exp(-ln_var)
        result = []
        if 0 in indexes or 1 in indexes:
            gx = g * diff * precision
            if 0 in indexes:
                result.append(_util.sum_to_shape(gx, x.shape))
            if 1 in indexes:
                result.append(_util.sum_to_shape(-gx, mean.shape))
        if 2 in indexes:
            result.append(_util.sum_to_shape(
                g * ((1 - diff * diff * precision) * 0.5), ln_var.shape))
        return tuple(result)


def gaussian_kl_divergence(mean, ln_var, reduce='sum'):
    """KL divergence of ``N(mean, exp(ln_var))`` from ``N(0, 1)``,
    elementwise: ``(mean ** 2 + exp(ln_var) - ln_var - 1) / 2``.

    Args:
        mean: Variable or array, the mean ``mu`` (float16/32/64).
        ln_var: Variable or array of the same dtype, ``log(sigma ** 2)``;
            its shape must broadcast with ``mean``'s.
        reduce (str): ``'sum'`` (default), ``'mean'`` (average over the
            elements) or ``'no'`` (elementwise values).
    Returns:
        Variable of the inputs' dtype: 0-dim for ``'sum'``/``'mean'``, the
        broadcast shape for ``'no'``. Both inputs get gradients;
        differentiable twice.
    """
    _util.check_reduce('gaussian_kl_divergence', reduce, _REDUCE)
    return GaussianKLDivergence(reduce).apply((mean, ln_var))[0]


def bernoulli_nll(x, y, reduce='sum'):
    """Negative log-likelihood of ``x`` under Bernoulli(``sigmoid(y)``):
    ``softplus(y) - x * y`` elementwise, i.e.
    ``-(x log p + (1 - x) log(1 - p))`` with ``p = sigmoid(y)``.

    Args:
        x: Variable or array of observations (usually in [0, 1]), float.
        y: Variable or array of logits of the same dtype; its shape must
            broadcast with ``x``'s.
        reduce (str): ``'sum'`` (default), ``'mean'`` or ``'no'``.
    Returns:
        Variable of the inputs' dtype: 0-dim for ``'sum'``/``'mean'``, the
        broadcast shape for ``'no'``. Both inputs get gradients;
        differentiable twice.
    """
    _util.check_reduce('bernoulli_nll', reduce, _REDUCE)
    return BernoulliNLL(reduce).apply((x, y))[0]


def gaussian_nll(x, mean, ln_var, reduce='sum'):
    """Negative log-likelihood of ``x`` under ``N(mean, exp(ln_var))``,
    elementwise: ``(log(2 pi) + ln_var) / 2 + (x - mean) ** 2 *
    exp(-ln_var) / 2``.

    Args:
        x, mean, ln_var: Variables or arrays of one float dtype whose
            shapes broadcast together.
        reduce (str): ``'sum'`` (default), ``'mean'`` or ``'no'``.
    Returns:
        Variable of the inputs' dtype: 0-dim for ``'sum'``/``'mean'``, the
        broadcast shape for ``'no'``. All inputs get gradients;
        differentiable twice.
    """
    _util.check_reduce('gaussian_nll', reduce, _REDUCE)
    return GaussianNLL(reduce).apply((x, mean, ln_var))[0]
