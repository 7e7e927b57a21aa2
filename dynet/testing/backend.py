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
from dynet.backend import BackendConfig  # NOQA (public here too, as in Chainer)
from dynet.testing import parameterized


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
