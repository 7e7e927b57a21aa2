"""Uniform initializers: Uniform, LeCunUniform, GlorotUniform, HeUniform.

Numbers come from the global generator of the array's module
(``numpy.random`` or ``cupy.random``), so seeding it reproduces them, or
from the ``rng`` given to the initializer.
"""
import numpy

from dynet import backend
from dynet.initializers._base import (
    FanScaledInitializer, Initializer, _check_dtype, _copy_drawn)


class Uniform(Initializer):
    """Fills with draws from the uniform distribution on
    ``[-scale, scale)``.

    Args:
        scale (float): the half-width of the interval.
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
            _copy_drawn(array, self.rng.uniform(
                low=-self.scale, high=self.scale, size=array.shape))
            return
        xp = backend.get_array_module(array)
        array[...] = xp.random.uniform(
            low=-self.scale, high=self.scale, size=array.shape)


class LeCunUniform(FanScaledInitializer):
    """Uniform on ``[-s, s)`` with ``s = scale * sqrt(3 / fan_in)``.

    Reference: LeCun et al. 1998, Efficient BackProp.

    Args:
        scale (float): multiplies ``s``.
        dtype: data type specifier.
        rng: a random generator to draw from instead of the global one.
    """

    family = Uniform

    def width(self, fan_in, fan_out):
        return self.scale * numpy.sqrt(3. / fan_in)


class GlorotUniform(FanScaledInitializer):
    """Uniform on ``[-s, s)`` with
    ``s = scale * sqrt(6 / (fan_in + fan_out))``.

    Reference: Glorot & Bengio, AISTATS 2010.

    Args:
        scale (float): multiplies ``s``.
        dtype: data type specifier.
        rng: a random generator to draw from instead of the global one.
    """

    family = Uniform

    def width(self, fan_in, fan_out):
        return self.scale * numpy.sqrt(6. / (fan_in + fan_out))


class HeUniform(FanScaledInitializer):
    """Uniform on ``[-s, s)`` with ``s = scale * sqrt(6 / fan_in)``.

    Reference: He et al., https://arxiv.org/abs/1502.01852

    Args:
        scale (float): multiplies ``s``.
        dtype: data type specifier.
        rng: a random generator to draw from instead of the global one.
    """

    family = Uniform

    def width(self, fan_in, fan_out):
        return self.scale * numpy.sqrt(6. / fan_in)
