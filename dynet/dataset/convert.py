"""Converters: a list of examples -> batched arrays on a device."""
import functools

import numpy

from dynet import backend


def to_device(device, x):
    """Sends array ``x`` to ``device`` (a device spec, an int as in Chainer
    -- negative means CPU --, or None for no move)."""
    if device is None:
        return x
    return backend.get_device(device).send(x)


class Converter:
    """Base of converters made with ``@converter()``: called as
    ``converter(batch, device)`` with ``device`` a Device or None."""

    def __call__(self, batch, device=None):
        raise NotImplementedError


def converter():
    """Decorator making a function ``f(batch, device)`` a Converter whose
    ``device`` argument is always a Device object (or None)."""
    def wrap(func):
        @functools.wraps(func)
        def call(batch, device=None, *args, **kwargs):
            if device is not None:
                device = backend.get_device(device)
            return func(batch, device, *args, **kwargs)
        call.__dynet_converter__ = True
        return call
    return wrap


@converter()
def concat_examples(batch, device=None, padding=None):
    """Stacks a list of examples into batched arrays.

    Examples may be arrays, tuples of arrays or dicts of arrays; the result
    has the same structure with one more (leading) axis. With ``padding``
    (a scalar, or one per tuple/dict entry), arrays of different shapes
    are padded to the largest shape. The result is sent to ``device``.
    """
    if not batch:
        raise ValueError('concat_examples: the batch is empty')
    first = batch[0]
    if isinstance(first, tuple):
        if not isinstance(padding, tuple):
            padding = (padding,) * len(first)
        return tuple(
            to_device(device, _concat([example[i] for example in batch],
                                      padding[i]))
            for i in range(len(first)))
    if isinstance(first, dict):
        if not isinstance(padding, dict):
            padding = {key: padding for key in first}
        return {key: to_device(device, _concat(
            [example[key] for example in batch], padding[key]))
            for key in first}
    return to_device(device, _concat(batch, padding))


def _concat(arrays, padding):
    xp = backend.get_array_module(arrays[0])
    if padding is None:
        return xp.stack([xp.asarray(a) for a in arrays])
    arrays = [xp.asarray(a) for a in arrays]
    shape = numpy.array(arrays[0].shape, dtype=int)
    for a in arrays[1:]:
        if a.ndim != len(shape):
            raise ValueError('concat_examples: examples have different '
                             'numbers of axes ({} and {})'.format(
                                 len(shape), a.ndim))
        shape = numpy.maximum(shape, a.shape)
    result = xp.full((len(arrays),) + tuple(int(n) for n in shape), padding,
                     dtype=arrays[0].dtype)
    for i, a in enumerate(arrays):
        result[(i,) + tuple(slice(n) for n in a.shape)] = a
    return result


def call_converter(converter, batch, device=None):
    """Calls any converter (a decorated one, a Converter or a plain
    function taking ``(batch, device)``)."""
    return converter(batch, device)
