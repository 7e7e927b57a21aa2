"""Devices: where arrays live and which array module computes on them."""
import contextlib
import numbers

import numpy

from dynet.backend import _cupy


class Device:
    """A place for arrays: the host (NumPy) or one GPU (CuPy).

    ``send`` moves arrays (or nested tuples, lists and dicts of them) to the
    device; ``use`` makes it current; ``with device:`` does so temporarily.
    """

    name = None
    xp = None

    @property
    def supported_array_types(self):
        raise NotImplementedError

    def is_array_supported(self, array):
        raise NotImplementedError

    def send_array(self, array):
        raise NotImplementedError

    def send(self, arrays):
        return _map_arrays(self.send_array, arrays)

    def use(self):
        pass

    def create_context(self):
        return contextlib.nullcontext()

    def __enter__(self):
        self._contexts = getattr(self, '_contexts', [])
        context = self.create_context()
        context.__enter__()
        self._contexts.append(context)
        return self

    def __exit__(self, *exc_info):
        self._contexts.pop().__exit__(*exc_info)

    def __eq__(self, other):
        raise NotImplementedError

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(self.name)

    def __str__(self):
        return self.name

    def __repr__(self):
        return '<{} {}>'.format(type(self).__name__, self.name)


class CpuDevice(Device):
    """The host; arrays are ``numpy.ndarray``."""

    name = '@numpy'
    xp = numpy

    @property
    def supported_array_types(self):
        return (numpy.ndarray,)

    def is_array_supported(self, array):
        return isinstance(array, numpy.ndarray)

    def send_array(self, array):
        if isinstance(array, numpy.ndarray):
            return array
        if _cupy.is_cupy_array(array):
            return array.get()
        if isinstance(array, (numpy.generic, numbers.Number)):
            return numpy.asarray(array)
        raise TypeError(
            'CpuDevice.send: expected a numpy or cupy array, got {}'.format(
                type(array).__name__))

    def __eq__(self, other):
        return isinstance(other, CpuDevice)

    def __hash__(self):
        return hash(self.name)


class GpuDevice(Device):
    """One CUDA GPU; arrays are ``cupy.ndarray``."""

    def __init__(self, device):
        """``device`` is a ``cupy.cuda.Device``; see ``from_device_id``."""
        self.device = device

    @classmethod
    def from_device_id(cls, device_id):
        if not isinstance(device_id, int) or device_id < 0:
            raise ValueError(
                'GpuDevice.from_device_id: device_id must be a non-negative '
                'int, got {!r}'.format(device_id))
        cupy = _cupy.require_cupy('GPU device {}'.format(device_id))
        count = cupy.cuda.runtime.getDeviceCount()
        if device_id >= count:
            raise ValueError(
                'GPU device {} does not exist: this machine has {} GPU(s)'
                .format(device_id, count))
        return cls(cupy.cuda.Device(device_id))

    @classmethod
    def from_array(cls, array):
        return cls(array.device)

    @property
    def xp(self):
        return _cupy.imported_cupy()

    @property
    def name(self):
        return '@cupy:{}'.format(self.device.id)

    @property
    def supported_array_types(self):
        return (self.xp.ndarray,)

    def is_array_supported(self, array):
        return _cupy.is_cupy_array(array) and array.device.id == self.device.id

    def send_array(self, array):
        cupy = self.xp
        if self.is_array_supported(array):
            return array
        with self.device:
            if _cupy.is_cupy_array(array):
                return cupy.array(array, copy=True)
            return cupy.asarray(array)

    def use(self):
        self.device.use()

    def create_context(self):
        return self.device

    def __eq__(self, other):
        return (isinstance(other, GpuDevice) and
                other.device.id == self.device.id)

    def __hash__(self):
        return hash(self.name)


def _map_arrays(func, obj):
    """Applies ``func`` to every array inside nested tuples/lists/dicts."""
    if isinstance(obj, tuple):
        return tuple(_map_arrays(func, x) for x in obj)
    if isinstance(obj, list):
        return [_map_arrays(func, x) for x in obj]
    if isinstance(obj, dict):
        return {k: _map_arrays(func, v) for k, v in obj.items()}
    if obj is None:
        return None
    return func(obj)


_cpu_device = CpuDevice()


def get_device(device_spec):
    """Returns the Device that ``device_spec`` names.

    Accepted: a Device; ``'@numpy'``; ``'@cupy:N'`` (or ``'@cupy'`` for the
    current GPU); an int (``-1`` or negative is the CPU, ``N >= 0`` GPU N);
    a ``cupy.cuda.Device``; a ``numpy`` or ``cupy`` module.
    """
    if isinstance(device_spec, Device):
        return device_spec
    if device_spec is numpy:
        return _cpu_device
    if isinstance(device_spec, bool):
        raise TypeError('get_device: device_spec must be a Device, str or '
                        'int, got bool {!r}'.format(device_spec))
    if isinstance(device_spec, int):
        if device_spec < 0:
            return _cpu_device
        return GpuDevice.from_device_id(device_spec)
    if isinstance(device_spec, str):
        if device_spec == '@numpy':
            return _cpu_device
        if device_spec.startswith('@cupy'):
            rest = device_spec[len('@cupy'):]
            if rest == '':
                cupy = _cupy.require_cupy('device {!r}'.format(device_spec))
                return GpuDevice.from_device_id(cupy.cuda.Device().id)
            if rest.startswith(':') and rest[1:].isdigit():
                return GpuDevice.from_device_id(int(rest[1:]))
        raise ValueError(
            'get_device: invalid device specifier {!r}; expected \'@numpy\', '
            '\'@cupy:N\', an int or a Device'.format(device_spec))
    if _cupy.imported_cupy() is not None:
        cupy = _cupy.imported_cupy()
        if device_spec is cupy:
            return GpuDevice(cupy.cuda.Device())
        if isinstance(device_spec, cupy.cuda.Device):
            return GpuDevice(device_spec)
    raise TypeError(
        'get_device: device_spec must be a Device, str or int, got {}'.format(
            type(device_spec).__name__))


def get_device_from_array(array):
    """The Device that holds ``array`` (CPU for anything that is not CuPy)."""
    array = getattr(array, 'array', array) if not isinstance(
        array, numpy.ndarray) else array
    if _cupy.is_cupy_array(array):
        return GpuDevice.from_array(array)
    return _cpu_device


@contextlib.contextmanager
def using_device(device_spec):
    """Makes the given device current within a ``with`` block."""
    device = get_device(device_spec)
    with device:
        yield device
