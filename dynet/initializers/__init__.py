"""Initializers: objects that fill parameter arrays in place.

An initializer may be an :class:`Initializer`, any callable taking an
array, a scalar or an array (a constant fill), or None (the default
initializer of whoever takes it; :func:`_get_initializer` makes that
``LeCunNormal()``).
"""
import numbers

import numpy

from dynet import backend
from dynet.initializers._base import (  # NOQA
    Initializer, dtype_of, generate_array, get_fans)
from dynet.initializers.constant import (  # NOQA
    Constant, Identity, NaN, One, Zero)
from dynet.initializers.normal import (  # NOQA
    GlorotNormal, HeNormal, LeCunNormal, Normal)
from dynet.initializers.orthogonal import Orthogonal  # NOQA
from dynet.initializers.sampling import (  # NOQA
    DownsamplingConvFilter, UpsamplingDeconvFilter)
from dynet.initializers.uniform import (  # NOQA
    GlorotUniform, HeUniform, LeCunUniform, Uniform)


def _is_number(value):
    # numpy.isscalar is also true for strings and bytes.
    return isinstance(value, (numbers.Number, numpy.number, numpy.bool_))


def _get_initializer(initializer):
    """Turns an initializer specification into an initializer.

    None gives ``LeCunNormal()``, a scalar or an array gives
    ``Constant(initializer)``, and a callable is returned as it is.

    Raises:
        TypeError: for anything else.
    """
    if initializer is None:
        return LeCunNormal()
    if isinstance(initializer, backend.get_array_types()) or \
            _is_number(initializer):
        return Constant(initializer)
    if not callable(initializer):
        raise TypeError(
            'invalid initializer of type {}: expected an initializer, a '
            'callable, a scalar, an array or None'.format(
                type(initializer).__name__))
    return initializer


def _check_is_initializer_like(initializer):
    """Raises TypeError unless ``initializer`` is something
    :func:`_get_initializer` accepts."""
    if initializer is None or callable(initializer) or \
            isinstance(initializer, backend.get_array_types()) or \
            _is_number(initializer):
        return
    raise TypeError(
        'invalid initializer of type {}: expected an Initializer, a '
        'callable, a scalar, an array or None'.format(
            type(initializer).__name__))
