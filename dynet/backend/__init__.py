"""Devices and array modules. Nothing above this layer imports CuPy."""
import numpy

from dynet.backend._cupy import imported_cupy, is_cupy_array
from dynet.backend._device import (  # NOQA
    CpuDevice, Device, GpuDevice, get_device, get_device_from_array,
    using_device)
from dynet.backend._backend_config import BackendConfig  # NOQA


def get_array_module(*args):
    """``cupy`` if any argument is a CuPy array or holds one, else ``numpy``.

    Arguments may be arrays, Variables or anything else; CuPy is never
    imported here.
    """
    for arg in args:
        array = getattr(arg, 'array', arg)
        if is_cupy_array(array):
            return imported_cupy()
    return numpy


def to_device(device_spec, obj):
    """Sends arrays, Variables and nested tuples/lists/dicts to a device.

    Variables are moved in place (like ``Variable.to_device``) and returned;
    arrays are returned as new arrays on the device. ``device_spec=None``
    returns ``obj`` unchanged.
    """
    if device_spec is None:
        return obj
    device = get_device(device_spec)
    return _send(device, obj)


def _send(device, obj):
    if isinstance(obj, tuple):
        return tuple(_send(device, x) for x in obj)
    if isinstance(obj, list):
        return [_send(device, x) for x in obj]
    if isinstance(obj, dict):
        return {k: _send(device, v) for k, v in obj.items()}
    if obj is None:
        return None
    if hasattr(obj, 'to_device') and hasattr(obj, 'array'):
        obj.to_device(device)
        return obj
    return device.send_array(obj)


def copyto(dst, src):
    """Copies ``src`` into ``dst`` in place, across devices if needed."""
    if isinstance(dst, numpy.ndarray):
        numpy.copyto(dst, CpuDevice().send_array(src))
    elif is_cupy_array(dst):
        import cupy
        if isinstance(src, numpy.ndarray) or numpy.isscalar(src):
            dst.set(numpy.broadcast_to(
                numpy.asarray(src, dtype=dst.dtype), dst.shape))
        elif is_cupy_array(src):
            if src.device.id == dst.device.id:
                cupy.copyto(dst, src)
            else:
                with dst.device:
                    cupy.copyto(dst, cupy.asarray(src))
        else:
            raise TypeError('copyto: cannot copy a {} into a cupy array'
                            .format(type(src).__name__))
    else:
        raise TypeError('copyto: dst must be a numpy or cupy array, got {}'
                        .format(type(dst).__name__))


def get_array_types():
    """The array types dynet accepts on this machine (without importing
    CuPy if nothing else did)."""
    cupy = imported_cupy()
    return (numpy.ndarray,) if cupy is None else (numpy.ndarray, cupy.ndarray)
