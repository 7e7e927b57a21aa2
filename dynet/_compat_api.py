"""Small top-level names of Chainer: ``mixed16``, ``is_arrays_compatible``
and ``DeviceResident`` (with ``DeviceResidentsVisitor``).

Only NumPy is imported at module level, so that ``dynet.config`` may
import ``mixed16`` from here while ``dynet.backend`` is still being
imported; the rest of dynet is imported inside the functions.
"""
import abc

import numpy

__all__ = ['DeviceResident', 'DeviceResidentsVisitor',
           'is_arrays_compatible', 'mixed16', 'should_use_cudnn']


class _Mixed16:
    """The type of :data:`mixed16`."""

    # numpy.dtype(mixed16) reads this attribute: float16, the dtype of
    # activations in mixed16 mode.
    dtype = numpy.dtype(numpy.float16)
    name = 'mixed16'

    def __repr__(self):
        return "dtype('mixed16')"

    def __reduce__(self):
        # Unpickles to the module's one instance, so ``is mixed16`` holds.
        return 'mixed16'


mixed16 = _Mixed16()
"""Chainer's ``chainer.mixed16``: a dtype setting for
``config.dtype = mixed16``, under which ``get_dtype()`` is float16 and
``get_dtype(map_mixed16=numpy.float32)`` is float32 (what batch
normalization uses for its parameters and statistics)."""


def is_arrays_compatible(arrays):
    """True if the arrays can be used together in one computation: all
    NumPy arrays, or all CuPy arrays. ``None`` entries are ignored, so an
    empty (or all-None) sequence is compatible.

    This is not a test of whether one object is an array; use
    ``isinstance(x, dynet.get_array_types())`` for that.
    """
    from dynet.backend import is_cupy_array
    arrays = [array for array in arrays if array is not None]
    if not arrays:
        return True
    if is_cupy_array(arrays[0]):
        return all(is_cupy_array(array) for array in arrays)
    return all(isinstance(array, numpy.ndarray) for array in arrays)


class DeviceResident(metaclass=abc.ABCMeta):
    """Base class of objects that keep arrays on one device (Chainer's
    ``chainer.DeviceResident``).

    A subclass overrides ``device_resident_accept`` to show its arrays and
    Variables to a :class:`DeviceResidentsVisitor`::

        class Buffer(dynet.DeviceResident):
            def __init__(self):
                super().__init__()
                self.data = numpy.zeros(3)

            def device_resident_accept(self, visitor):
                super().device_resident_accept(visitor)
                self.data = visitor.visit_array(self.data)

    and gets ``device``, ``xp``, ``to_device``, ``to_cpu`` and ``to_gpu``.
    ``dynet.Link`` (and so every Chain and link) counts as a
    DeviceResident for ``isinstance`` and ``issubclass``; Links have
    their own ``to_device`` family.
    """

    def __init__(self):
        from dynet.backend import CpuDevice
        self._device = CpuDevice()

    @classmethod
    def __subclasshook__(cls, subclass):
        if cls is DeviceResident:
            # Imported here: dynet.link is above this module's users.
            from dynet.link import Link
            if issubclass(subclass, Link):
                return True
        return NotImplemented

    def device_resident_accept(self, visitor):
        """Shows this object to ``visitor``; a subclass extends it to show
        its arrays (``visit_array``) and Variables (``visit_variable``)."""
        visitor.visit_device_resident(self)

    @property
    def device(self):
        """The device holding this object's arrays."""
        device = getattr(self, '_device', None)
        if device is None:
            # A subclass that did not call DeviceResident.__init__.
            from dynet.backend import CpuDevice
            device = CpuDevice()
        return device

    @property
    def xp(self):
        """``numpy`` or ``cupy``: the array module of ``device``."""
        return self.device.xp

    def to_device(self, device):
        """Moves the arrays to ``device`` (a Device, ``'@numpy'``,
        ``'@cupy:N'``, an int...); returns self."""
        from dynet.backend import get_device
        self.device_resident_accept(_ToDeviceVisitor(get_device(device)))
        return self

    def to_cpu(self):
        """Moves the arrays to the host; returns self."""
        return self.to_device('@numpy')

    def to_gpu(self, device=None):
        """Moves the arrays to a GPU (the current one when ``device`` is
        None, else GPU ``device``); returns self."""
        from dynet.backend import GpuDevice, get_device
        if device is None:
            device = '@cupy'
        elif isinstance(device, int) and not isinstance(device, bool):
            if device < 0:
                raise ValueError(
                    '{}.to_gpu: device must be a GPU number (>= 0), got {}'
                    .format(type(self).__name__, device))
            device = '@cupy:{}'.format(device)
        target = get_device(device)
        if not isinstance(target, GpuDevice):
            raise ValueError('{}.to_gpu: {} is not a GPU device'.format(
                type(self).__name__, target))
        return self.to_device(target)

    def to_intel64(self):
        raise RuntimeError(
            '{}.to_intel64: iDeep (Intel64 devices) is not supported by '
            'dynet; use to_cpu()'.format(type(self).__name__))

    def to_chx(self):
        raise RuntimeError(
            '{}.to_chx: ChainerX is not available (dynet does not support '
            'it)'.format(type(self).__name__))

    def from_chx(self):
        """Nothing to do: without ChainerX no array is a ChainerX array."""
        return self


class DeviceResidentsVisitor:
    """Base class of visitors walking :class:`DeviceResident` objects."""

    def visit_device_resident(self, device_resident):
        """Processes a DeviceResident."""
        raise NotImplementedError

    def visit_array(self, arr):
        """Processes an array and returns the array to keep in its place
        (the same one if nothing changes)."""
        raise NotImplementedError

    def visit_variable(self, param):
        """Processes a Variable or a Parameter (in place)."""
        raise NotImplementedError


class _ToDeviceVisitor(DeviceResidentsVisitor):
    """Moves what it visits to one device."""

    def __init__(self, device):
        self._device = device

    def visit_device_resident(self, device_resident):
        device_resident._device = self._device

    def visit_array(self, arr):
        return self._device.send(arr)

    def visit_variable(self, param):
        param.to_device(self._device)


def should_use_cudnn(level, lowest_version=0):
    """Whether cuDNN should be used: always False in dynet, which has no
    cuDNN code paths (CuPy 14 ships none); ``level`` is still checked, as
    in Chainer."""
    if level not in ('==always', '>=auto'):
        raise ValueError('invalid cuDNN level {!r}: expected \'==always\' '
                         'or \'>=auto\''.format(level))
    return False
