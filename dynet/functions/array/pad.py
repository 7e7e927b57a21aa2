"""Padding the edges of an array (``numpy.pad`` modes whose output is
built from copies of input elements or constants)."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.array import _array_utils as _u

# Modes whose padded values are copies of input elements; their gradient
# sums the output gradient back onto the copied elements.
_GATHER_MODES = ('edge', 'reflect', 'symmetric', 'wrap')
_MODES = ('constant',) + _GATHER_MODES


def _pad_pairs(func, pad_width, ndim):
    """``pad_width`` as ``ndim`` (before, after) pairs of ints."""
    try:
        widths = numpy.asarray(pad_width)
    except Exception:
        widths = None
    if widths is None or widths.dtype.kind not in 'iu' and widths.size:
        raise TypeError('{}: pad_width must be an int or (nested) sequence '
                        'of ints, got {!r}'.format(func.label, pad_width))
    try:
        pairs = numpy.broadcast_to(widths.astype(numpy.int64), (ndim, 2))
    except ValueError:
        raise ValueError('{}: pad_width {!r} cannot be read as (before, '
                         'after) pairs for {} axes'.format(
                             func.label, pad_width, ndim)) from None
    if (pairs < 0).any():
        raise ValueError('{}: pad_width must be non-negative, got {!r}'
                         .format(func.label, pad_width))
    return tuple((int(b), int(a)) for b, a in pairs)


class Pad(FunctionNode):

    def __init__(self, pad_width, mode, **keywords):
        if mode not in _MODES:
            raise ValueError(
                '{}: mode {!r} is not supported; supported modes are {} (the '
                'others have no gradient that is a copy of the output '
                'gradient)'.format(self.label, mode, ', '.join(_MODES)))
        if keywords.get('reflect_type', 'even') != 'even':
            raise ValueError(
                "{}: reflect_type {!r} is not supported; only 'even'".format(
                    self.label, keywords['reflect_type']))
        self.pad_width = pad_width
        self.mode = mode
        self.keywords = keywords

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])

    def forward(self, inputs):
        x = inputs[0]
        xp = backend.get_array_module(x)
        self._pairs = _pad_pairs(self, self.pad_width, x.ndim)
        if x.ndim == 0:
            return x.copy(),  # nothing to pad
        return xp.pad(x, self._pairs, mode=self.mode, **self.keywords),

    def backward(self, indexes, grad_outputs):
        gy = grad_outputs[0]
        shape = self.inputs[0].shape
        if self.mode == 'constant':
            from dynet.functions.array.get_item import get_item
            slices = tuple(slice(b, b + n) for (b, _), n in zip(
                self._pairs, shape))
            return get_item(gy, slices),
        return PadGrad(self._pairs, self.mode, self.keywords,
                       shape).apply((gy,))


class PadGrad(FunctionNode):
    """Adjoint of a gather-type pad: every output-gradient element is added
    to the input element it was copied from."""

    def __init__(self, pairs, mode, keywords, shape):
        self.pairs = pairs
        self.mode = mode
        self.keywords = keywords
        self.shape = shape

    def forward(self, inputs):
        gy = inputs[0]
        xp = backend.get_array_module(gy)
        if gy.ndim == 0:
            return gy.copy(),
        source = xp.pad(_u.flat_index_map(xp, self.shape), self.pairs,
                        mode=self.mode, **self.keywords)
        size = int(numpy.prod(self.shape))
        gx = _u.scatter_sum(gy, source, size, gy.dtype)
        return gx.reshape(self.shape),

    def backward(self, indexes, grad_outputs):
        return pad(grad_outputs[0], self.pairs, self.mode, **self.keywords),


def pad(x, pad_width, mode, **keywords):
    """Pads ``x`` (like ``numpy.pad``).

    Args:
        x: Variable or array of floats.
        pad_width (int or array-like): widths of the padding, as for
            ``numpy.pad``: an int, ``(before, after)`` or one pair per axis.
        mode (str): ``'constant'`` (pads with ``constant_values``, default
            0), or one of ``'edge'``, ``'reflect'``, ``'symmetric'``,
            ``'wrap'`` (pads with copies of input elements; the gradient
            of each input element sums the gradients of its copies). Other
            ``numpy.pad`` modes raise ``ValueError``.
        constant_values (scalar or array-like): values for ``'constant'``;
            they receive no gradient.
    Returns:
        Variable of ``x``'s dtype, each axis longer by its two widths.
    """
    return Pad(pad_width, mode, **keywords).apply((x,))[0]
