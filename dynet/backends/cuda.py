"""CUDA helpers under the names of ``chainer.backends.cuda``.

Importing this module tries to import CuPy (as Chainer's module does);
``import dynet`` alone never imports it. Where CuPy or a GPU is missing,
``available`` is False, ``cupy`` is None, ``ndarray`` is a stand-in class
of which nothing is an instance, ``Device`` is :class:`DummyDeviceType`,
and every function that needs a GPU raises a RuntimeError that says why.
Functions that also make sense on the host (``to_cpu``,
``get_array_module``, ``get_device_from_array``, ``fuse``, ``memoize``)
work without CuPy.
"""
import functools
import numbers
import threading
import warnings
import weakref

import numpy

from dynet import backend as _backend
from dynet.backend import _cupy as _cupy_state
from dynet.backend._device import GpuDevice  # NOQA

cupy = _cupy_state.cupy_or_none()
available = cupy is not None
# dynet has no cuDNN code paths; programs that test this flag take their
# generic (CuPy) branch.
cudnn_enabled = False
cudnn = None


class DummyDeviceType:
    """The "device" of host arrays: a context manager that does nothing.

    It stands where a ``cupy.cuda.Device`` would, so that code like
    ``with cuda.get_device_from_array(x):`` works for NumPy arrays too.
    """

    id = -1

    def __int__(self):
        return -1

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False

    def use(self):
        """Does nothing (there is no CUDA device to make current)."""

    def synchronize(self):
        """Does nothing (host computations are synchronous)."""

    def __eq__(self, other):
        return isinstance(other, DummyDeviceType)

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(DummyDeviceType)

    def __repr__(self):
        return '<DummyDevice: id=-1>'


DummyDevice = DummyDeviceType()


def check_cuda_available():
    """Raises RuntimeError unless CuPy and a CUDA GPU can be used."""
    if not available:
        raise RuntimeError(
            'CUDA is not available: this operation needs CuPy and an NVIDIA '
            'GPU ({}). Install the CuPy package that matches your CUDA '
            'version (for example "pip install cupy-cuda12x") on a machine '
            'with a GPU, or keep the data on the CPU.'.format(
                _cupy_state._state.get('error') or 'CuPy was not found'))


if available:
    ndarray = cupy.ndarray
    Device = cupy.cuda.Device
    Event = cupy.cuda.Event
    Stream = cupy.cuda.Stream
    cuda = cupy.cuda
    memory_pool = cupy.get_default_memory_pool()
    pinned_memory_pool = cupy.get_default_pinned_memory_pool()
else:
    class ndarray:
        """Stand-in for ``cupy.ndarray`` where CuPy is missing: no object is
        an instance of it, so ``isinstance(x, cuda.ndarray)`` is False."""

        def __new__(cls, *args, **kwargs):
            check_cuda_available()

    class _Unavailable:
        """Stand-in for CuPy classes (``Event``, ``Stream``): creating one
        raises the error of :func:`check_cuda_available`."""

        def __new__(cls, *args, **kwargs):
            check_cuda_available()

    Device = DummyDeviceType
    Event = Stream = _Unavailable
    cuda = None


# ------------------------------------------------------------------ devices

def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(
        value, (bool, numpy.bool_))


def get_device_from_id(device_id):
    """The CUDA device with the given id; :data:`DummyDevice` for None or
    a negative id."""
    if device_id is None:
        return DummyDevice
    if not _is_int(device_id):
        raise TypeError('get_device_from_id: device_id must be an int or '
                        'None, got {}'.format(type(device_id).__name__))
    if device_id < 0:
        return DummyDevice
    check_cuda_available()
    return Device(int(device_id))


def get_device_from_array(*arrays):
    """The CUDA device of the first CuPy array among ``arrays``;
    :data:`DummyDevice` when there is none."""
    for array in arrays:
        if _cupy_state.is_cupy_array(array) and array.device is not None:
            return array.device
    return DummyDevice


def get_device(*args):
    """Deprecated: use :func:`get_device_from_id` or
    :func:`get_device_from_array`.

    Returns the device that the first int, CUDA device or CuPy array among
    ``args`` designates, else :data:`DummyDevice`.
    """
    warnings.warn('dynet.backends.cuda.get_device is deprecated; use '
                  'get_device_from_id or get_device_from_array instead',
                  DeprecationWarning, stacklevel=2)
    for arg in args:
        if _is_int(arg):
            return get_device_from_id(arg)
        if _cupy_state.is_cupy_array(arg):
            if arg.device is not None:
                return arg.device
            continue
        if available and isinstance(arg, Device):
            return arg
        if isinstance(arg, DummyDeviceType):
            return arg
    return DummyDevice


def _target_device(device):
    """The ``cupy.cuda.Device`` that ``to_gpu``/``copy`` should use: the
    current one for None or DummyDevice."""
    if device is None or isinstance(device, DummyDeviceType):
        return Device()
    if isinstance(device, GpuDevice):
        return device.device
    if isinstance(device, Device):
        return device
    if _is_int(device):
        if device < 0:
            raise ValueError('a CUDA device id must be >= 0, got {}'.format(
                device))
        return Device(int(device))
    raise TypeError('expected a CUDA device (an int id, a cupy.cuda.Device '
                    'or a GpuDevice), got {}'.format(type(device).__name__))


def get_array_module(*args):
    """``cupy`` if any argument is (or is a Variable holding) a CuPy array,
    else ``numpy``."""
    return _backend.get_array_module(*args)


# ---------------------------------------------------------------- transfers

def _map_nested(convert, obj, memo):
    """Applies ``convert`` to arrays in nested lists/tuples; an array that
    appears several times is converted once."""
    if isinstance(obj, (list, tuple)):
        items = [_map_nested(convert, x, memo) for x in obj]
        if isinstance(obj, list):
            return items
        if type(obj) is tuple:
            return tuple(items)
        return type(obj)(*items)  # a namedtuple
    if obj is None:
        return None
    key = id(obj)
    if key not in memo:
        memo[key] = (obj, convert(obj))  # keep obj alive: ids stay unique
    return memo[key][1]


def to_gpu(array, device=None, stream=None):
    """Copies an array (or None, or nested lists/tuples of them) to a GPU.

    ``device`` (an int, ``cupy.cuda.Device`` or ``GpuDevice``) defaults to
    the current CUDA device. Arrays already on the GPU are returned without
    a copy unless another ``device`` is given explicitly.
    """
    check_cuda_available()
    if stream is not None:
        warnings.warn('the stream argument of to_gpu is deprecated and '
                      'ignored', DeprecationWarning, stacklevel=2)
    explicit = device is not None and not isinstance(device, DummyDeviceType)
    target = _target_device(device)

    def convert(x):
        if isinstance(x, (numpy.number, numpy.bool_)):
            x = numpy.asarray(x)
        if _cupy_state.is_cupy_array(x):
            if not explicit or x.device.id == target.id:
                return x
            with target:
                return cupy.array(x, copy=True)
        if isinstance(x, numpy.ndarray):
            with target:
                return cupy.asarray(x)
        raise TypeError(
            'to_gpu: expected a numpy.ndarray, cupy.ndarray, NumPy scalar or '
            'None (or a list/tuple of them), got {}'.format(type(x).__name__))

    return _map_nested(convert, array, {})


def _array_to_cpu(x, stream):
    if isinstance(x, numpy.ndarray):
        return x
    if _cupy_state.is_cupy_array(x):
        return x.get(stream) if stream is not None else x.get()
    if isinstance(x, (numpy.generic, numbers.Number)):
        return numpy.asarray(x)
    raise TypeError(
        'to_cpu: expected a numpy.ndarray, cupy.ndarray, scalar or None (or '
        'a list/tuple of them), got {}'.format(type(x).__name__))


def to_cpu(array, stream=None):
    """Copies an array (or None, or nested lists/tuples of them) to the host.

    NumPy arrays are returned as they are; CuPy arrays are copied to NumPy
    arrays; scalars become 0-dimensional NumPy arrays.
    """
    return _map_nested(lambda x: _array_to_cpu(x, stream), array, {})


def copy(array, out=None, out_device=None, stream=None):
    """Copies a CuPy array, possibly to another device.

    Without ``out`` a new array is allocated on ``out_device`` (default: the
    device of ``array``).
    """
    check_cuda_available()
    if stream is not None:
        raise ValueError('copy: the stream argument is not supported')
    if not _cupy_state.is_cupy_array(array):
        raise TypeError('copy: expected a cupy.ndarray, got {}'.format(
            type(array).__name__))
    if out is None:
        target = array.device if out_device is None else \
            _target_device(out_device)
        with target:
            out = cupy.empty_like(array)
    if out.device.id == array.device.id:
        with array.device:
            cupy.copyto(out, array)
    else:
        with out.device:
            cupy.copyto(out, cupy.array(array, copy=True))
    return out


# ------------------------------------------------------------------ kernels

_memos = weakref.WeakSet()


class _Memo:
    """The cache of one memoized function."""

    def __init__(self):
        self.cache = {}
        self.lock = threading.Lock()

    def clear(self):
        with self.lock:
            self.cache.clear()


def memoize(for_each_device=False):
    """Caches a function's results by its arguments (and, with
    ``for_each_device``, by the current CUDA device).

    Works without CuPy; calls with unhashable arguments are not cached.
    :func:`clear_memo` empties every cache.
    """

    def decorator(func):
        memo = _Memo()
        _memos.add(memo)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            device_id = -1
            if for_each_device and available:
                device_id = cupy.cuda.runtime.getDevice()
            key = (device_id, args, tuple(sorted(kwargs.items())))
            try:
                hash(key)
            except TypeError:
                return func(*args, **kwargs)
            try:
                return memo.cache[key]
            except KeyError:
                pass
            result = func(*args, **kwargs)
            with memo.lock:
                return memo.cache.setdefault(key, result)

        wrapper._memo = memo
        return wrapper

    return decorator


def clear_memo():
    """Empties the caches of all functions made by :func:`memoize` (and
    CuPy's own kernel caches)."""
    for memo in list(_memos):
        memo.clear()
    if available:
        cupy.clear_memo()


@memoize(for_each_device=True)
def elementwise(in_params, out_params, operation, name, **kwargs):
    """A cached ``cupy.ElementwiseKernel``."""
    check_cuda_available()
    return cupy.ElementwiseKernel(in_params, out_params, operation, name,
                                  **kwargs)


@memoize(for_each_device=True)
def reduce(in_params, out_params, map_expr, reduce_expr, post_map_expr,
           identity, name, **kwargs):
    """A cached ``cupy.ReductionKernel``."""
    check_cuda_available()
    return cupy.ReductionKernel(in_params, out_params, map_expr, reduce_expr,
                                post_map_expr, identity, name, **kwargs)


@memoize(for_each_device=True)
def raw(code, name, *args, **kwargs):
    """A cached ``cupy.RawKernel``."""
    check_cuda_available()
    return cupy.RawKernel(code, name, *args, **kwargs)


def fuse(*args, **kwargs):
    """``cupy.fuse`` where CuPy is available; elsewhere a decorator that
    returns the function unchanged (so it runs on NumPy arrays).

    Usable both as ``@fuse`` and as ``@fuse(kernel_name=...)``.
    """
    if available:
        return cupy.fuse(*args, **kwargs)
    if len(args) == 1 and not kwargs and callable(args[0]):
        return args[0]
    return lambda func: func


# -------------------------------------------------------------------- cuDNN

_max_workspace_size = 8 * 1024 * 1024


# (also ``dynet.should_use_cudnn``, as in Chainer)
from dynet._compat_api import should_use_cudnn  # NOQA


def should_use_cudnn_tensor_core(dtype):
    """Always False (see :func:`should_use_cudnn`)."""
    return False


def get_max_workspace_size():
    """The cuDNN workspace size limit in bytes (kept for compatibility)."""
    return _max_workspace_size


def set_max_workspace_size(size):
    """Sets the cuDNN workspace size limit in bytes (kept for
    compatibility)."""
    global _max_workspace_size
    if not _is_int(size) or size < 0:
        raise ValueError('set_max_workspace_size: size must be a '
                         'non-negative int, got {!r}'.format(size))
    _max_workspace_size = int(size)
