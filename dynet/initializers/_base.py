"""The initializer protocol, fan computation and array generation.

An initializer is any callable that fills an array in place:
``initializer(array)``. Subclasses of :class:`Initializer` also carry a
``dtype`` (None means "whatever ``config.dtype`` says"), which
:func:`generate_array` uses to create the array and which ``__call__``
checks against the array it is given.
"""
import numpy

from dynet import backend
from dynet.config import get_dtype


class Initializer:
    """Base class of initializers: ``initializer(array)`` fills ``array``.

    Args:
        dtype: the dtype of arrays this initializer is meant for, kept as
            given (a NumPy type, a dtype, a string...). None means
            ``config.dtype``. Filling an array of another dtype is an
            error.
    """

    def __init__(self, dtype=None):
        self.dtype = dtype

    def __call__(self, array):
        """Fills ``array`` in place (NumPy or CuPy). Subclasses implement
        this."""
        raise NotImplementedError


class _InitializerCheckError(AssertionError, ValueError):
    """Raised when an array does not suit an initializer (wrong dtype, bad
    channel layout).

    Chainer reports these cases with a failing ``assert``; deriving from
    both AssertionError and ValueError keeps code written against either
    working, and, unlike an ``assert``, it is not removed by ``python -O``.
    """


def _check_dtype(initializer, array):
    """Raises if ``array``'s dtype differs from ``initializer.dtype``."""
    dtype = getattr(initializer, 'dtype', None)
    if dtype is None:
        return
    expected = get_dtype(dtype)
    if array.dtype != expected:
        raise _InitializerCheckError(
            '{}: cannot fill an array of dtype {}: the initializer\'s dtype '
            'is {}'.format(type(initializer).__name__, array.dtype, expected))


def _copy_drawn(array, values):
    """Copies ``values`` (drawn by a user-given rng, on any device) into
    ``array``, converting to its dtype and moving across devices."""
    values = values.astype(array.dtype, copy=False)
    backend.copyto(array, values)


def get_fans(shape):
    """``(fan_in, fan_out)`` of a weight of ``shape``.

    The first axis is the output, the second the input; further axes
    (convolution kernels) multiply both: ``fan_in = shape[1] * k`` and
    ``fan_out = shape[0] * k`` with ``k = prod(shape[2:])``.

    Raises:
        ValueError: ``shape`` is not a tuple or has fewer than 2 axes.
    """
    if not isinstance(shape, tuple):
        raise ValueError(
            'get_fans: shape must be a tuple, got {}'.format(
                type(shape).__name__))
    if len(shape) < 2:
        raise ValueError(
            'get_fans: shape must have at least 2 axes (output, input, '
            '...), got {}'.format(shape))
    receptive = 1
    for k in shape[2:]:
        receptive *= int(k)
    return int(shape[1]) * receptive, int(shape[0]) * receptive


def dtype_of(initializer):
    """The dtype ``generate_array`` would use for this initializer."""
    return get_dtype(getattr(initializer, 'dtype', None))


def generate_array(initializer, shape, xp, dtype=None, device=None):
    """Creates an array of ``shape`` and fills it with ``initializer``.

    Args:
        initializer: a callable filling an array in place.
        shape (int or tuple of ints): the shape of the new array.
        xp: ``numpy`` or ``cupy``.
        dtype: the dtype; if omitted, ``initializer.dtype``, and if that is
            None too, ``config.dtype``. When both ``dtype`` and
            ``initializer.dtype`` are given they must agree.
        device: where to create the array; it must belong to ``xp``. If
            omitted, the host for NumPy and the current GPU for CuPy.

    Returns:
        numpy.ndarray or cupy.ndarray: the initialized array.
    """
    own_dtype = getattr(initializer, 'dtype', None)
    if dtype is not None and own_dtype is not None and \
            get_dtype(dtype) != get_dtype(own_dtype):
        raise ValueError(
            'generate_array: dtype mismatch: dtype={} but the initializer\'s '
            'dtype is {}'.format(get_dtype(dtype), get_dtype(own_dtype)))
    dtype = get_dtype(dtype if dtype is not None else own_dtype)
    if isinstance(shape, (int, numpy.integer)):
        shape = (int(shape),)
    else:
        shape = tuple(shape)
    if device is None:
        device = backend.get_device(xp)
    else:
        device = backend.get_device(device)
        if device.xp is not xp:
            raise ValueError(
                'generate_array: xp ({}) and device ({}) are '
                'inconsistent'.format(getattr(xp, '__name__', xp), device))
    with device:
        array = xp.empty(shape, dtype=dtype)
        initializer(array)
    return array


class FanScaledInitializer(Initializer):
    """Base of initializers that draw from a distribution family
    (``family``: an initializer class taking the width) whose width is
    computed from the array's fans by ``width(fan_in, fan_out)``.

    Args:
        scale (float): multiplies the width.
        dtype: data type specifier.
        rng: a random generator to draw from instead of the global one.
    """

    family = None

    def __init__(self, scale=1.0, dtype=None, *, rng=None):
        self.scale = scale
        self.rng = rng
        super().__init__(dtype)

    def width(self, fan_in, fan_out):
        raise NotImplementedError

    def __call__(self, array):
        _check_dtype(self, array)
        fan_in, fan_out = get_fans(array.shape)
        self.family(self.width(fan_in, fan_out), rng=self.rng)(array)
