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


class ConcatWithAsyncTransfer:
    """A converter like :func:`concat_examples` whose transfers to a GPU
    run on a CUDA stream of their own.

    ``converter(batch, device=None, padding=None)`` returns what
    ``concat_examples(batch, device, padding)`` returns. For the CPU
    (``device`` None, '@numpy' or a negative int) it is exactly that, a
    synchronous call. For a GPU the examples are concatenated on the host
    into page-locked memory and copied asynchronously on ``stream``; with
    ``compute_stream`` the compute stream waits for the copy through a
    CUDA event (the host does not block), otherwise the call waits until
    the copy is done. One instance serves one GPU.

    Args:
        stream: the ``cupy.cuda.Stream`` for the copies; created at the
            first GPU call when None.
        compute_stream: the ``cupy.cuda.Stream`` the model computes on,
            or None.
    """

    _KEEP = 2  # host buffers of the last calls stay alive (double buffer)

    def __init__(self, stream=None, compute_stream=None):
        self._stream = stream
        self.compute_stream = compute_stream
        self._device = None
        self._in_flight = []

    def __call__(self, batch, device=None, padding=None):
        if len(batch) == 0:
            raise ValueError('ConcatWithAsyncTransfer: the batch is empty')
        if device is not None:
            device = backend.get_device(device)
        if device is None or isinstance(device, backend.CpuDevice):
            return concat_examples(batch, device, padding)
        return self._to_gpu(batch, device, padding)

    def _to_gpu(self, batch, device, padding):
        # Only reached with a GPU device, so CuPy is importable here.
        if self._device is None:
            self._device = device
        elif self._device != device:
            raise ValueError(
                'ConcatWithAsyncTransfer: this converter sends to {}; use '
                'another instance for {}'.format(self._device, device))
        cupy = device.xp
        host = concat_examples(batch, None, padding)
        with device:
            if self._stream is None:
                self._stream = cupy.cuda.Stream(non_blocking=True)
            stream = self._stream
            pinned = []

            def send(array):
                array = numpy.ascontiguousarray(array)
                memory = cupy.cuda.alloc_pinned_memory(max(array.nbytes, 1))
                staged = numpy.frombuffer(
                    memory, array.dtype, array.size).reshape(array.shape)
                staged[...] = array
                pinned.append((memory, staged))
                result = cupy.empty(array.shape, array.dtype)
                result.set(staged, stream=stream)
                return result

            if isinstance(host, tuple):
                result = tuple(send(a) for a in host)
            elif isinstance(host, dict):
                result = {key: send(a) for key, a in host.items()}
            else:
                result = send(host)

            if self.compute_stream is None:
                stream.synchronize()
                return result
            event = stream.record()
            self.compute_stream.wait_event(event)
            # The host buffers must outlive their copies: keep those of the
            # last calls, waiting for the oldest before letting it go.
            self._in_flight.append((event, pinned))
            while len(self._in_flight) > self._KEEP:
                old_event, _ = self._in_flight.pop(0)
                old_event.synchronize()
            return result
