"""Configuration: global defaults plus thread-local overrides.

``global_config`` holds the process-wide defaults. ``config`` is what code
reads: a value set on it (usually through ``using_config``) applies to the
current thread only; anything not set there falls back to ``global_config``.
"""
import contextlib
import os
import sys
import threading

import numpy


class GlobalConfig:
    """Process-wide configuration defaults.

    Every value is mirrored onto the classes registered in ``_mirrors``, so
    that a thread-local config finds a global value by plain (C-speed)
    class attribute lookup: ``config.type_check`` is read on every function
    application.
    """

    def __init__(self):
        object.__setattr__(self, '_mirrors', [])

    def __setattr__(self, name, value):
        object.__setattr__(self, name, value)
        for cls in self._mirrors:
            setattr(cls, name, value)

    def __delattr__(self, name):
        object.__delattr__(self, name)
        for cls in self._mirrors:
            if name in cls.__dict__:
                delattr(cls, name)

    def _add_mirror(self, cls):
        self._mirrors.append(cls)
        for key, value in self._items():
            setattr(cls, key, value)

    def _items(self):
        return [(k, v) for k, v in vars(self).items()
                if not k.startswith('_')]

    def show(self, file=sys.stdout):
        for key, value in sorted(self._items()):
            file.write('{:<26}{!r}\n'.format(key, value))


class LocalConfig(threading.local):
    """Per-thread configuration; unset keys are read from the global one.

    Attribute lookup finds thread-local values directly (fast path); only a
    miss goes through ``__getattr__`` to the global defaults.
    """

    def __init__(self, global_config):
        self._global = global_config

    def __getattr__(self, name):
        if name == '_global':
            raise AttributeError(name)
        return getattr(self._global, name)

    def __delattr__(self, name):
        # Deleting a key that was only ever global is a no-op: the thread
        # already sees the global value.
        if name in self.__dict__:
            super().__delattr__(name)

    def show(self, file=sys.stdout):
        keys = {k for k, _ in self._global._items()} | {
            k for k in self.__dict__ if not k.startswith('_')}
        for key in sorted(keys):
            file.write('{:<26}{!r}\n'.format(key, getattr(self, key)))


def _env_flag(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    if value not in ('0', '1'):
        raise ValueError(
            'environment variable {} must be "0" or "1", got {!r}'.format(
                name, value))
    return value == '1'


def _env_dtype(name, default):
    value = os.environ.get(name)
    if value is None:
        return numpy.dtype(default)
    if value == 'mixed16':
        # Imported here: _compat_api needs only NumPy, but config is
        # loaded before the rest of the package.
        from dynet._compat_api import mixed16
        return mixed16
    allowed = ('float16', 'float32', 'float64', 'mixed16')
    if value not in allowed:
        raise ValueError(
            'environment variable {} must be one of {}, got {!r}'.format(
                name, ', '.join(allowed), value))
    return numpy.dtype(value)


global_config = GlobalConfig()
global_config.train = True
global_config.enable_backprop = True
global_config.type_check = _env_flag('DYNET_TYPE_CHECK', True)
global_config.debug = _env_flag('DYNET_DEBUG', False)
global_config.dtype = _env_dtype('DYNET_DTYPE', numpy.float32)
global_config.keep_graph_on_report = _env_flag(
    'DYNET_KEEP_GRAPH_ON_REPORT', False)
global_config.lazy_grad_sum = _env_flag('DYNET_LAZY_GRAD_SUM', False)
global_config.use_cudnn = os.environ.get('DYNET_USE_CUDNN', 'never')
global_config.use_cudnn_tensor_core = 'auto'
global_config.cudnn_deterministic = _env_flag(
    'DYNET_CUDNN_DETERMINISTIC', False)
global_config.autotune = False
global_config.use_ideep = 'never'
global_config.use_static_graph = True
global_config.warn_nondeterministic = False
global_config.in_recomputing = False
global_config.schedule_func = None
global_config.compute_mode = None


class _MirroredLocalConfig(LocalConfig):
    """The class of ``config``; holds the global values as attributes."""


global_config._add_mirror(_MirroredLocalConfig)
config = _MirroredLocalConfig(global_config)

_UNSET = object()


@contextlib.contextmanager
def using_config(name, value, config=config):
    """Sets ``config.<name> = value`` for the duration of a ``with`` block.

    The previous value (thread-local or inherited) is restored on exit, even
    when the block raises.
    """
    previous = config.__dict__.get(name, _UNSET) \
        if isinstance(config, LocalConfig) else getattr(config, name, _UNSET)
    setattr(config, name, value)
    try:
        yield
    finally:
        if previous is _UNSET:
            delattr(config, name)
        else:
            setattr(config, name, previous)


def no_backprop_mode():
    """Context in which new function applications record no graph."""
    return using_config('enable_backprop', False)


def force_backprop_mode():
    """Context in which graphs are recorded even inside no_backprop_mode."""
    return using_config('enable_backprop', True)


def is_debug():
    return bool(config.debug)


def set_debug(debug):
    global_config.debug = debug


class DebugMode:
    """Context manager that switches debug mode on or off."""

    def __init__(self, debug):
        self._context = using_config('debug', debug)

    def __enter__(self):
        self._context.__enter__()

    def __exit__(self, *args):
        self._context.__exit__(*args)


def get_dtype(dtype=None, map_mixed16=None):
    """Resolves ``dtype``, falling back to ``config.dtype``."""
    if dtype is None:
        dtype = config.dtype
    if dtype == 'mixed16' or (hasattr(dtype, 'name') and
                              dtype.name == 'mixed16'):
        return numpy.dtype(map_mixed16 if map_mixed16 is not None
                           else numpy.float16)
    return numpy.dtype(dtype)
