"""Gaussian initializers: Normal, LeCunNormal, GlorotNormal, HeNormal.

Numbers come from the global generator of the array's module
(``numpy.random`` or ``cupy.random``), so seeding it reproduces them, or
from the ``rng`` given to the initializer.
"""
import numpy

from dynet import backend
from dynet.config import get_dtype
from dynet.initializers._base import (
    FanScaledInitializer, Initializer, _check_dtype, _copy_drawn)


class Normal(Initializer):
    """Fills with draws from a Gaussian of mean 0 and standard deviation
    ``scale``.

    Args:
        scale (float): the standard deviation.
        dtype: data type specifier.
        rng: a random generator (e.g. ``numpy.random.RandomState``) to draw
            from instead of the global one.
    """

    def __init__(self, scale=0.05, dtype=None, *, rng=None):
        self.scale = scale
        self.rng = rng
        super().__init__(dtype)

    def __call__(self, array):
        _check_dtype(self, array)
        if self.rng is not None:
            _copy_drawn(array, self.rng.normal(
                loc=0.0, scale=self.scale, size=array.shape))
            return
        xp = backend.get_array_module(array)
        if xp is numpy:
            array[...] = numpy.random.normal(
                loc=0.0, scale=self.scale, size=array.shape)
        else:
            # cuRAND draws float32 directly (float16 is not supported, so
            # it is drawn as float32 too) when this initializer is declared
            # for one of those dtypes; otherwise float64 is drawn and cast.
            kwargs = {}
            if self.dtype is not None and get_dtype(self.dtype) in (
                    numpy.float32, numpy.float16):
                kwargs['dtype'] = numpy.float32
            array[...] = xp.random.normal(
                loc=0.0, scale=self.scale, size=array.shape, **kwargs)


def _check_fan_option(owner, fan_option):
    if fan_option not in ('fan_in', 'fan_out'):
        raise ValueError(
            "{}: fan_option must be 'fan_in' or 'fan_out', got {!r}".format(
                owner, fan_option))


class LeCunNormal(FanScaledInitializer):
    """Gaussian with standard deviation ``scale * sqrt(1 / fan_in)``.

    ``fan_in`` is the number of input units (see :func:`get_fans`).
    Reference: LeCun et al. 1998, Efficient BackProp.

    Args:
        scale (float): multiplies the standard deviation.
        dtype: data type specifier.
        rng: a random generator to draw from instead of the global one.
    """

    family = Normal

    def width(self, fan_in, fan_out):
        return self.scale * numpy.sqrt(1. / fan_in)


class GlorotNormal(FanScaledInitializer):
    """Gaussian with standard deviation
    ``scale * sqrt(2 / (fan_in + fan_out))``.

    Reference: Glorot & Bengio, AISTATS 2010.

    Args:
        scale (float): multiplies the standard deviation.
        dtype: data type specifier.
        rng: a random generator to draw from instead of the global one.
    """

    family = Normal

    def width(self, fan_in, fan_out):
        return self.scale * numpy.sqrt(2. / (fan_in + fan_out))


class HeNormal(FanScaledInitializer):
    """Gaussian with standard deviation ``scale * sqrt(2 / fan)``.

    ``fan`` is ``fan_in`` or ``fan_out`` as ``fan_option`` says.
    Reference: He et al., https://arxiv.org/abs/1502.01852

    Args:
        scale (float): multiplies the standard deviation.
        dtype: data type specifier.
        fan_option ({'fan_in', 'fan_out'}): which fan to use (checked when
            the initializer is called).
        rng: a random generator to draw from instead of the global one.
    """

    family = Normal

    def __init__(self, scale=1.0, dtype=None, fan_option='fan_in', *,
                 rng=None):
        self.fan_option = fan_option
        super().__init__(scale, dtype, rng=rng)

    def width(self, fan_in, fan_out):
        _check_fan_option('HeNormal', self.fan_option)
        fan = fan_in if self.fan_option == 'fan_in' else fan_out
        return self.scale * numpy.sqrt(2. / fan)
