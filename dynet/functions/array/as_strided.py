"""A strided view of the memory that holds an array."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.array import _array_utils as _u


class _Geometry:
    """Shape, strides and offset of a view, in elements of the memory."""

    def __init__(self, shape, strides, offset):
        self.shape = tuple(shape)
        self.strides = tuple(strides)
        self.offset = offset

    def bounds(self):
        """Lowest and highest element index the view touches (None when it
        is empty)."""
        if any(n == 0 for n in self.shape):
            return None
        low = high = self.offset
        for n, s in zip(self.shape, self.strides):
            if s < 0:
                low += (n - 1) * s
            else:
                high += (n - 1) * s
        return low, high

    def index_map(self, xp):
        """The element index of every position of the view."""
        index = xp.full((1,) * len(self.shape), self.offset, numpy.int64)
        for axis, (n, s) in enumerate(zip(self.shape, self.strides)):
            step = xp.arange(n, dtype=numpy.int64) * s
            index = index + step.reshape(
                (1,) * axis + (n,) + (1,) * (len(self.shape) - axis - 1))
        return xp.broadcast_to(index, self.shape)

    def overlaps(self, xp):
        index = self.index_map(xp)
        if index.size == 0:
            return False
        return len(xp.unique(index)) != index.size


def _memory_of(func, x):
    """``(memory, offset, size)``: a handle on the whole memory block that
    holds ``x``, the element offset of ``x``'s first element in it and the
    block's size in elements."""
    itemsize = x.itemsize
    xp = backend.get_array_module(x)
    if xp is numpy:
        root = x
        while isinstance(root.base, numpy.ndarray):
            root = root.base
        if not (root.flags.c_contiguous or root.flags.f_contiguous):
            raise ValueError('{}: the memory holding x is not a contiguous '
                             'block'.format(func.label))
        memory = root.reshape(-1, order='A').view(numpy.uint8)
        offset_bytes = (x.__array_interface__['data'][0] -
                        root.__array_interface__['data'][0])
        size_bytes = memory.size
    else:
        memory = x.data.mem
        offset_bytes = x.data.ptr - memory.ptr
        size_bytes = memory.size
    if offset_bytes % itemsize or any(s % itemsize for s in x.strides):
        raise ValueError('{}: x is not aligned to its itemsize'.format(
            func.label))
    return memory, offset_bytes // itemsize, size_bytes // itemsize


def _view(x, memory, geometry):
    itemsize = x.itemsize
    strides = tuple(s * itemsize for s in geometry.strides)
    offset = geometry.offset * itemsize
    xp = backend.get_array_module(x)
    if xp is numpy:
        return numpy.ndarray(geometry.shape, x.dtype, buffer=memory,
                             offset=offset, strides=strides)
    pointer = xp.cuda.MemoryPointer(memory, offset)
    return xp.ndarray(geometry.shape, x.dtype, pointer, strides)


class AsStrided(FunctionNode):

    def __init__(self, shape, strides, storage_offset=None):
        self.shape = _u.require_int_tuple(self, 'shape', shape)
        self.strides = _u.require_int_tuple(self, 'strides', strides)
        if len(self.shape) != len(self.strides):
            raise ValueError('{}: shape and strides must have the same '
                             'length, got {} and {}'.format(
                                 self.label, self.shape, self.strides))
        if any(n < 0 for n in self.shape):
            raise ValueError('{}: shape must be non-negative, got {}'.format(
                self.label, self.shape))
        if storage_offset is not None:
            storage_offset = _u.require_int(self, 'storage_offset',
                                            storage_offset)
        self.storage_offset = storage_offset

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)

    def forward(self, inputs):
        x = inputs[0]
        memory, x_offset, size = _memory_of(self, x)
        itemsize = x.itemsize
        self._in_geometry = _Geometry(
            x.shape, [s // itemsize for s in x.strides], x_offset)
        offset = x_offset if self.storage_offset is None else \
            self.storage_offset
        geometry = _Geometry(self.shape, self.strides, offset)
        self._out_geometry = geometry
        bounds = geometry.bounds()
        if bounds is None:
            xp = backend.get_array_module(x)
            return xp.empty(self.shape, x.dtype),
        if bounds[0] < 0 or bounds[1] >= size:
            raise ValueError(
                '{}: the view reaches elements {} to {}, outside the memory '
                'of x (elements 0 to {})'.format(
                    self.label, bounds[0], bounds[1], size - 1))
        return _view(x, memory, geometry),

    def backward(self, indexes, grad_outputs):
        gy = grad_outputs[0]
        in_geometry = self._in_geometry
        # Layout-agnostic (as Chainer and PyTorch): where elements of x
        # share memory, the gradient of that memory is split among them.
        normalize = in_geometry if in_geometry.overlaps(
            backend.get_array_module(gy.array)) else None
        return _StorageMap(self._out_geometry, in_geometry,
                           normalize).apply((gy,))


class _StorageMap(FunctionNode):
    """Linear map ``gather(dst) . divide(counts of norm) . scatter(src)``
    through a virtual memory: the input (laid out by ``src``) is summed
    into the memory, optionally divided by how many elements of ``norm``
    share each memory element, and read out by ``dst``. Its adjoint swaps
    ``src`` and ``dst``."""

    def __init__(self, src, dst, norm):
        self.src = src
        self.dst = dst
        self.norm = norm

    @property
    def label(self):
        return 'AsStridedGrad'

    def forward(self, inputs):
        g = inputs[0]
        xp = backend.get_array_module(g)
        if g.size == 0 or any(n == 0 for n in self.dst.shape):
            return xp.zeros(self.dst.shape, g.dtype),
        src = self.src.index_map(xp)
        dst = self.dst.index_map(xp)
        low = min(int(src.min()), int(dst.min()))
        size = max(int(src.max()), int(dst.max())) - low + 1
        memory = _u.scatter_sum(g, src - low, size, numpy.float64)
        if self.norm is not None:
            counts = xp.bincount((self.norm.index_map(xp) - low).ravel(),
                                 minlength=size)[:size]
            memory = memory / xp.maximum(counts, 1)
        return memory[dst - low].astype(g.dtype),

    def backward(self, indexes, grad_outputs):
        return _StorageMap(self.dst, self.src, self.norm).apply(grad_outputs)


def as_strided(x, shape, strides, storage_offset=None):
    """A view with the given shape and strides of the memory that holds
    ``x`` (``x``'s own shape and strides are ignored).

    ``y[i_0, ..., i_k] = memory[storage_offset + sum_j i_j * strides[j]]``
    where ``memory`` is the whole contiguous block ``x`` lives in and
    ``strides`` and ``storage_offset`` count elements, not bytes (unlike
    ``numpy.lib.stride_tricks.as_strided``). The view must stay inside
    the block. The gradient is PyTorch's layout-agnostic one: each memory
    element collects the gradients of all output positions reading it,
    then it is shared among the elements of ``x`` that alias it.

    Args:
        x: Variable or array.
        shape (tuple of ints): the shape of the output.
        strides (tuple of ints): its strides, in elements (may be zero or
            negative).
        storage_offset (int or None): element offset of the output's first
            element in the memory; None uses ``x``'s own offset.
    Returns:
        Variable sharing memory with ``x`` (writing to it writes ``x``).
    """
    return AsStrided(shape, strides, storage_offset).apply((x,))[0]
