"""Backend configurations for tests, and expanding tests over them.

A backend configuration is a dict such as ``{}`` (NumPy),
``{'use_cuda': True, 'cuda_device': 0}`` or ``{'use_cuda': True,
'use_cudnn': 'always'}``. ``inject_backend_tests`` turns each listed test
method into one method per configuration; each receives a
``BackendConfig``. Configurations this machine cannot run (no CuPy, no
GPU, ChainerX, iDeep) are skipped, never failed.
"""
import functools

import pytest

from dynet import backend
from dynet.backend import _cupy
from dynet.config import using_config
from dynet.testing import parameterized

_DEFAULTS = {
    'use_chainerx': False,
    'chainerx_device': None,
    'use_cuda': False,
    'cuda_device': None,
    'use_cudnn': 'never',
    'cudnn_deterministic': False,
    'autotune': False,
    'cudnn_fast_batch_normalization': False,
    'use_ideep': 'never',
}


class BackendConfig:
    """One backend configuration: where test arrays live and which config
    values are in force while a test runs (``with backend_config:``)."""

    def __init__(self, params):
        if not isinstance(params, dict):
            raise TypeError('BackendConfig: params must be a dict, got {}'
                            .format(type(params).__name__))
        unknown = set(params) - set(_DEFAULTS)
        if unknown:
            raise ValueError('BackendConfig: unknown keys {}; allowed: {}'
                             .format(sorted(unknown), sorted(_DEFAULTS)))
        values = dict(_DEFAULTS, **params)
        if values['use_chainerx'] and values['chainerx_device'] is None:
            raise ValueError('BackendConfig: use_chainerx needs '
                             'chainerx_device')
        if values['use_cuda'] and values['cuda_device'] is None:
            values['cuda_device'] = 0
        self._values = values
        self._contexts = []
        for key, value in values.items():
            setattr(self, key, value)

    @property
    def unavailable_reason(self):
        """Why this machine cannot run the configuration (None if it can)."""
        if self.use_chainerx:
            return 'ChainerX is not supported by dynet'
        if self.use_ideep != 'never':
            return 'iDeep is not supported by dynet'
        if self.use_cuda:
            cupy = _cupy.cupy_or_none()
            if cupy is None:
                return 'CuPy and a GPU are not available'
            if self.cuda_device >= cupy.cuda.runtime.getDeviceCount():
                return 'GPU {} is not present'.format(self.cuda_device)
        return None

    @property
    def xp(self):
        return self.device.xp

    @property
    def device(self):
        if self.use_cuda:
            return backend.get_device('@cupy:{}'.format(self.cuda_device))
        return backend.CpuDevice()

    def get_array(self, np_array):
        """Sends an array (or nested tuple/list of arrays) to the device."""
        return self.device.send(np_array)

    def get_pytest_marks(self):
        marks = []
        if self.use_cuda:
            marks.append(pytest.mark.gpu)
            if self.use_cudnn != 'never':
                marks.append(pytest.mark.cudnn)
        return marks

    def __enter__(self):
        contexts = [using_config('use_cudnn', self.use_cudnn),
                    using_config('cudnn_deterministic',
                                 self.cudnn_deterministic),
                    using_config('autotune', self.autotune),
                    using_config('use_ideep', self.use_ideep)]
        for context in contexts:
            context.__enter__()
        self._contexts.append(contexts)
        return self

    def __exit__(self, *exc_info):
        for context in reversed(self._contexts.pop()):
            context.__exit__(*exc_info)

    def _suffix(self):
        if self.use_cuda:
            return 'cupy{}'.format(
                '_cudnn' if self.use_cudnn != 'never' else '')
        if self.use_chainerx:
            return 'chainerx'
        return 'numpy'

    def __repr__(self):
        changed = ', '.join('{}={!r}'.format(k, v) for k, v in
                            sorted(self._values.items())
                            if v != _DEFAULTS[k])
        return '<BackendConfig {}>'.format(changed or 'numpy')


def inject_backend_tests(test_method_names, params):
    """Class decorator: runs the named test methods once per backend.

    Args:
        test_method_names: names of methods taking ``(self,
            backend_config)``, or None for every method whose name starts
            with ``test_``.
        params: a list of configuration dicts (or a single dict).
    """
    if isinstance(params, dict):
        params = [params]
    configs = [BackendConfig(p) for p in params]

    def decorate(cls):
        names = test_method_names
        if names is None:
            names = [n for n in dir(cls) if n.startswith('test_') and
                     callable(getattr(cls, n))]
        for name in names:
            method = getattr(cls, name)
            delattr_if_own(cls, name)
            for index, config in enumerate(configs):
                new_name = '{}__{}_{}'.format(name, index, config._suffix())
                setattr(cls, new_name, _bind_config(method, config))

    def apply(target):
        # ``target`` may be a bundle of classes from ``parameterize``.
        return parameterized.for_each_test_class(target, decorate)
    return apply


def delattr_if_own(cls, name):
    """Hides an inherited or own method from test collection."""
    if name in cls.__dict__:
        delattr(cls, name)
    if hasattr(cls, name):
        setattr(cls, name, None)


def _bind_config(method, config):
    @functools.wraps(method)
    def run(self):
        reason = config.unavailable_reason
        if reason is not None:
            pytest.skip('{}: {}'.format(config, reason))
        return method(self, config)
    run.__name__ = method.__name__
    for mark in config.get_pytest_marks():
        run = mark(run)
    return run


def _make_noncontiguous(array):
    """A non-C-contiguous view with the same values (when possible)."""
    if array.ndim == 0 or array.size < 2:
        return array
    xp = backend.get_array_module(array)
    wide = xp.empty(array.shape[:-1] + (array.shape[-1] * 2,), array.dtype)
    view = wide[..., ::2]
    view[...] = array
    return view

