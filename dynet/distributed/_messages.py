"""How arrays travel over MPI: a small picklable description first, then
the raw bytes.

Arrays are sent as bytes, so any dtype (float16, bool, int8, complex ...)
arrives bit for bit, and CuPy arrays are staged through host memory, which
works with any MPI library (no CUDA-aware MPI needed). An array comes back
as the kind it was sent as: a CuPy array is rebuilt on the receiver's
current CUDA device.

A rank whose input is invalid still takes part in the exchange of
descriptions, with a ``Failure`` in place of its description, so that
every rank raises the same error instead of leaving the others waiting.
"""
import collections

import numpy

from dynet import backend
from dynet.backend._cupy import require_cupy

Spec = collections.namedtuple('Spec', ['shape', 'dtype', 'on_gpu'])


class Failure:
    """A description that says "my input was invalid" (picklable)."""

    def __init__(self, error, rank):
        self.type_name = type(error).__name__
        self.message = str(error)
        self.rank = rank

    def raise_error(self):
        error_type = TypeError if self.type_name == 'TypeError' \
            else ValueError
        raise error_type('{} (on rank {})'.format(self.message, self.rank))


def raise_failures(entries):
    """Raises the first ``Failure`` among ``entries`` (a list of
    descriptions, possibly nested one level in lists)."""
    for entry in entries:
        items = entry if isinstance(entry, list) else [entry]
        for item in items:
            if isinstance(item, Failure):
                item.raise_error()


def is_array(x):
    return isinstance(x, numpy.ndarray) or backend.is_cupy_array(x)


def describe(x, function, argument):
    """The ``Spec`` of array ``x``; TypeError if it cannot be sent."""
    if not is_array(x):
        raise TypeError('{}: {} must be a numpy.ndarray or cupy.ndarray, '
                        'got {}'.format(function, argument,
                                        type(x).__name__))
    if x.dtype.hasobject:
        raise TypeError('{}: {} has dtype object, which cannot be sent as '
                        'an array (use the *_obj methods for Python '
                        'objects)'.format(function, argument))
    return Spec(tuple(x.shape), x.dtype.str, backend.is_cupy_array(x))


def nbytes(spec):
    count = 1
    for n in spec.shape:
        count *= n
    return count * numpy.dtype(spec.dtype).itemsize


def to_host(x):
    """A C-contiguous NumPy array with the values of ``x``."""
    if backend.is_cupy_array(x):
        x = x.get()
    return numpy.ascontiguousarray(x)


def host_bytes(x):
    """The bytes of ``x`` as a 1-D uint8 NumPy array."""
    return to_host(x).reshape(-1).view(numpy.uint8)


def from_bytes(raw, spec):
    """The array described by ``spec`` from its bytes ``raw`` (a uint8
    NumPy array, used without copying for NumPy results)."""
    host = raw.view(numpy.dtype(spec.dtype)).reshape(spec.shape)
    if spec.on_gpu:
        return require_cupy('receiving a CuPy array').asarray(host)
    return host


def concat_bytes(arrays):
    """The bytes of all ``arrays`` in one uint8 NumPy array, with the byte
    count of each."""
    pieces = [host_bytes(a) for a in arrays]
    counts = [piece.size for piece in pieces]
    if not pieces:
        return numpy.empty(0, numpy.uint8), counts
    return numpy.concatenate(pieces), counts


def displacements(counts):
    out, total = [], 0
    for count in counts:
        out.append(total)
        total += count
    return out


def split_bytes(raw, specs):
    """The arrays described by ``specs`` from their concatenated bytes."""
    arrays, offset = [], 0
    for spec in specs:
        size = nbytes(spec)
        arrays.append(from_bytes(raw[offset:offset + size], spec))
        offset += size
    return tuple(arrays)
