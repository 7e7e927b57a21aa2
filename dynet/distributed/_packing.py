"""Packing the gradients (or parameters) of a model into one flat buffer.

Parameters are taken in the order of their sorted names, which is the same
on every rank for the same model, so position ``i`` of every rank's buffer
belongs to the same parameter element.
"""
import numpy

from dynet import backend


def initialized_params(model):
    """``[(name, param)]`` of the parameters that have an array, sorted by
    name."""
    return [(name, param) for name, param in
            sorted(model.namedparams(), key=lambda item: item[0])
            if param.array is not None]


def grad_params(model, zero_fill):
    """``[(name, param)]`` whose gradients are averaged, sorted by name.

    Those with a gradient; with ``zero_fill`` also those with an array but
    no gradient (they count as zero). Uninitialized parameters never take
    part.
    """
    return [(name, param) for name, param in
            sorted(model.namedparams(), key=lambda item: item[0])
            if param.grad is not None or
            (zero_fill and param.array is not None)]


def _grad_template(param):
    return param.grad if param.grad is not None else param.array


def transfer_dtype(params):
    """The dtype the gradients are summed in: the widest of their dtypes,
    and at least float32 (MPI cannot add float16)."""
    if not params:
        return numpy.dtype(numpy.float32)
    dtype = numpy.result_type(*[_grad_template(p).dtype
                                for _, p in params])
    if dtype.kind != 'f':
        raise TypeError('multi_node_mean_grad: gradients must be floating '
                        'point arrays, got dtype {}'.format(dtype))
    return numpy.promote_types(dtype, numpy.float32)


def element_count(params):
    return sum(_grad_template(p).size for _, p in params)


def array_module(params, function):
    """The array module of the gradients (all NumPy or all CuPy)."""
    modules = {backend.get_array_module(_grad_template(p)) for _, p in params}
    if len(modules) > 1:
        raise TypeError('{}: the model mixes NumPy and CuPy arrays; move it '
                        'to one device first (model.to_device(...))'.format(
                            function))
    return modules.pop() if modules else numpy


def pack_grads(params, dtype, xp, buffer=None):
    """A 1-D ``dtype`` array holding every gradient (zeros for the
    parameters without one): ``buffer`` if given (of the right size and
    dtype), else a new one."""
    if buffer is None:
        buffer = xp.empty(element_count(params), dtype=dtype)
    offset = 0
    for _, param in params:
        size = _grad_template(param).size
        if param.grad is None:
            buffer[offset:offset + size] = 0
        else:
            buffer[offset:offset + size] = param.grad.reshape(-1)
        offset += size
    return buffer


def unpack_grads(params, buffer, scale=None):
    """Writes ``buffer`` (as made by ``pack_grads``), times ``scale`` if
    given, back into the gradients; a parameter without a gradient gets a
    new one. (Scaling while copying saves a pass over the buffer.)"""
    xp = backend.get_array_module(buffer)
    if scale is not None:
        # The scale in the buffer's dtype, as ``buffer *= scale`` would use.
        scale_value = buffer.dtype.type(scale)
    offset = 0
    for _, param in params:
        template = _grad_template(param)
        piece = buffer[offset:offset + template.size].reshape(template.shape)
        if param.grad is None:
            if scale is not None:
                piece = piece * scale_value
            param.grad = piece.astype(param.array.dtype)   # a copy
        elif scale is None:
            param.grad[...] = piece
        else:
            xp.multiply(piece, scale_value, out=param.grad,
                        casting='same_kind')
        offset += template.size


def layout_signature(params, dtype):
    """A small int64 array that differs when two ranks would pack
    differently (number of parameters, of elements, transfer dtype)."""
    return numpy.array([len(params), element_count(params),
                        numpy.dtype(dtype).num], dtype=numpy.int64)


def describe_layout(params):
    """``[(name, shape, dtype)]`` for error messages and debug checks."""
    return [(name, tuple(_grad_template(p).shape),
             str(_grad_template(p).dtype)) for name, p in params]


class BufferCache:
    """Reusable packing buffers, one per slot.

    MPI (Open MPI's shared-memory transport in particular) is much faster
    with memory it has seen before: all-reducing a freshly allocated
    buffer of a few MB took 10x longer than reusing one in measurements.
    """

    def __init__(self):
        self._buffers = {}

    def get(self, slot, size, dtype, xp):
        """A 1-D array of ``size`` elements of ``dtype`` on ``xp``'s
        device (the slot's old contents are overwritten by the caller)."""
        dtype = numpy.dtype(dtype)
        buffer = self._buffers.get(slot)
        if buffer is None or buffer.dtype != dtype or \
                buffer.size < size or \
                backend.get_array_module(buffer) is not xp:
            buffer = xp.empty(size, dtype=dtype)
            self._buffers[slot] = buffer
        return buffer[:size]

    def clear(self):
        self._buffers.clear()
