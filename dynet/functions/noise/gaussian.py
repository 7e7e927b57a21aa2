"""Sampling from a Gaussian with the reparameterization trick."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.noise import _kwargs
from dynet.variable import Variable


def _standard_normal(xp, shape, dtype):
    if xp is numpy:
        return xp.random.standard_normal(shape).astype(dtype, copy=False)
    if dtype == numpy.float16:
        return xp.random.standard_normal(
            shape, dtype=numpy.float32).astype(dtype)
    return xp.random.standard_normal(shape, dtype=dtype)


class Gaussian(FunctionNode):
    """``mean + exp(ln_var / 2) * eps`` with ``eps ~ N(0, 1)``."""

    def __init__(self, eps=None):
        if isinstance(eps, Variable):
            eps = eps.array
        self.eps = eps

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        mean, ln_var = in_data
        _check.float_kind(self, 'mean', mean)
        _check.same_dtype(self, ('mean', 'ln_var'), in_data)
        _check.same_shape(self, ('mean', 'ln_var'), in_data)
        if self.eps is not None:
            _check.same_shape(self, ('ln_var', 'eps'), (ln_var, self.eps))

    def forward(self, inputs):
        self.retain_inputs((1,))
        mean, ln_var = inputs
        xp = backend.get_array_module(mean)
        if self.eps is None:
            self.eps = _standard_normal(xp, ln_var.shape, mean.dtype)
        elif self.eps.dtype != mean.dtype:
            self.eps = self.eps.astype(mean.dtype)
        noise = xp.exp(ln_var * mean.dtype.type(0.5)) * self.eps
        return xp.asarray(mean + noise),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.exponential import exp
        gy = grad_outputs[0]
        result = []
        if 0 in indexes:
            result.append(gy)
        if 1 in indexes:
            ln_var, = self.get_retained_inputs()
            # d/d(ln_var) of exp(ln_var / 2) * eps, kept differentiable.
            noise = exp(ln_var * 0.5) * self.eps
            result.append(gy * noise * 0.5)
        return tuple(result)


def gaussian(mean, ln_var, **kwargs):
    """gaussian(mean, ln_var, *, eps=None, return_eps=False)

    Draws ``z = mean + exp(ln_var / 2) * eps`` with ``eps`` from the
    standard normal distribution, so that ``z ~ N(mean, exp(ln_var))``
    and gradients reach both ``mean`` (``gy``) and ``ln_var``
    (``gy * exp(ln_var / 2) * eps / 2``); double backprop is supported.

    As in Chainer v7 the sample is drawn in test mode too: this function
    does not look at ``config.train``.

    Args:
        mean (Variable or array): float16/32/64 mean ``mu``.
        ln_var (Variable or array): ``log(sigma ** 2)``, same shape and
            dtype as ``mean``.
        eps (array or None): the standard-normal noise to use (same shape
            as ``ln_var``); drawn from NumPy's/CuPy's global generator when
            None.
        return_eps (bool): also return the ``eps`` used.
    Returns:
        The sample Variable, or ``(sample, eps)`` when ``return_eps`` is
        True.
    """
    eps, return_eps = _kwargs.parse(
        'gaussian', kwargs, (('eps', None), ('return_eps', False)))
    func = Gaussian(eps)
    y, = func.apply((mean, ln_var))
    if return_eps:
        return y, func.eps
    return y
