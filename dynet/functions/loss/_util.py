"""Small helpers shared by the loss functions (private)."""
import numbers

import numpy

from dynet import backend
from dynet.functions import _check


def check_reduce(name, reduce, allowed):
    """Raises ValueError naming ``name`` unless ``reduce`` is allowed."""
    if not isinstance(reduce, str) or reduce not in allowed:
        raise ValueError(
            '{}: reduce must be one of {}, but {!r} is given'.format(
                name, ', '.join(repr(a) for a in allowed), reduce))


def work_dtype(dtype):
    """The dtype to accumulate in: float32 for float16, else ``dtype``."""
    dtype = numpy.dtype(dtype)
    return numpy.dtype(numpy.float32) if dtype == numpy.float16 else dtype


def same_dtype_and_shape(func, names, arrays):
    _check.same_dtype(func, names, arrays)
    _check.same_shape(func, names, arrays)


def check_labels(func, t, low, high, ignore_label=None, name='t'):
    """Raises ValueError unless every label is in ``[low, high)`` or equals
    ``ignore_label``; the message shows the first offending value."""
    if t.size == 0 or (int(t.min()) >= low and int(t.max()) < high):
        return
    xp = backend.get_array_module(t)
    bad = (t < low) | (t >= high)
    if ignore_label is not None:
        bad &= t != ignore_label
    if not bool(bad.any()):
        return
    flat = int(xp.argmax(bad.ravel()))
    index = tuple(int(i) for i in numpy.unravel_index(flat, t.shape))
    value = int(t.ravel()[flat])
    allowed = '{} <= {} < {}'.format(low, name, high)
    if ignore_label is not None:
        allowed += ' or {} == {} (ignore_label)'.format(name, ignore_label)
    raise ValueError(
        '{}: labels out of range.\nExpect: {}\nActual: {}[{}] == {}'.format(
            func.label, allowed, name, ', '.join(map(str, index)), value))


def is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(
        value, (bool, numpy.bool_))


def sum_to_shape(gx, shape):
    """``gx`` (a Variable) summed down to ``shape`` when it was broadcast."""
    if gx.shape == shape:
        return gx
    from dynet.functions.math.sum import sum_to
    return sum_to(gx, shape)


def broadcast_grad(gy, shape):
    """``gy`` (a Variable) broadcast to ``shape``."""
    if gy.shape == shape:
        return gy
    from dynet.functions.array.broadcast import broadcast_to
    return broadcast_to(gy, shape)


def reduce_elementwise(loss, reduce, dtype):
    """Reduces an elementwise loss array: 'no' keeps it, 'sum' adds it up,
    'mean' averages it (NaN when empty). Returns an array of ``dtype``."""
    xp = backend.get_array_module(loss)
    if reduce == 'no':
        return loss.astype(dtype, copy=False)
    total = loss.sum(dtype=work_dtype(loss.dtype))
    if reduce == 'mean':
        with numpy.errstate(invalid='ignore', divide='ignore'):
            total = total / total.dtype.type(loss.size)
    return xp.asarray(total, dtype=dtype)


def elementwise_grad(gy, reduce, shape, size, need_full):
    """The gradient of a reduced loss with respect to its elementwise
    values, as a Variable: ``gy`` itself for 'no', ``gy`` (or
    ``gy / size`` for 'mean') otherwise, broadcast to ``shape`` when
    ``need_full`` (some input was broadcast) and left 0-dim otherwise."""
    if reduce == 'no':
        return gy
    if reduce == 'mean':
        gy = gy * (1.0 / max(size, 1))
    return broadcast_grad(gy, shape) if need_full else gy
