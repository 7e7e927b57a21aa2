"""Test annotations (``gpu``, ``multi_gpu``, ``cudnn``, ``slow`` ...).

Each decorator adds pytest marks, so ``pytest -m "not gpu"`` (or
``"not slow"`` ...) deselects the tests.  They accept test functions, test
methods, test classes (all test methods of the class) and the bundles
produced by :func:`dynet.testing.parameterize`.

Unlike plain marks, ``gpu``, ``multi_gpu(n)`` and ``cudnn`` also make the
test *skip* when run where the hardware is missing: when CuPy cannot be
imported, when fewer than ``n`` GPUs are visible, or (``cudnn``) when CuPy has
no cuDNN.  The check happens when the test runs (before its set-up under
pytest, at call time otherwise), never when this module is imported, and
its answer is cached.  Setting ``CHAINER_TEST_GPU_LIMIT`` (or
``DYNET_TEST_GPU_LIMIT``) to ``k >= 0`` also skips tests that need more than
``k`` GPUs.
"""
import functools
import os
import types
import unittest

from dynet.testing import parameterized as _parameterized

try:
    import pytest
    _error = None
except ImportError as e:  # pragma: no cover - pytest is a test dependency
    pytest = None
    _error = e


def is_available():
    """Whether the annotations can be used (pytest is importable)."""
    return _error is None


def check_available():
    """Raises RuntimeError if pytest, which marks need, is missing."""
    if _error is not None:
        raise RuntimeError(
            '{} is not available.\nReason: {}: {}'.format(
                __name__, type(_error).__name__, _error))


def get_error():
    """The ImportError raised when importing pytest, or None."""
    return _error


# ---------------------------------------------------------------------------
# Run-time hardware detection (cached; never done at import time)

_gpu_count_cache = None
_cudnn_cache = None


def _gpu_limit():
    for name in ('DYNET_TEST_GPU_LIMIT', 'CHAINER_TEST_GPU_LIMIT'):
        value = os.environ.get(name)
        if value is not None and value.strip() != '':
            try:
                return int(value)
            except ValueError:
                raise ValueError(
                    '{} must be an integer, got {!r}'.format(name, value))
    return -1


def _import_cupy():
    try:
        import cupy
    except Exception:
        return None
    return cupy


def _gpu_count():
    """Number of GPUs CuPy can use (0 without CuPy or without a GPU)."""
    global _gpu_count_cache
    if _gpu_count_cache is None:
        cupy = _import_cupy()
        count = 0
        if cupy is not None:
            try:
                count = int(cupy.cuda.runtime.getDeviceCount())
            except Exception:
                count = 0
        _gpu_count_cache = count
    return _gpu_count_cache


def _cudnn_available():
    global _cudnn_cache
    if _cudnn_cache is None:
        ok = False
        if _gpu_count() > 0:
            try:
                from cupy.cuda import cudnn  # NOQA
                cudnn.getVersion()
                ok = True
            except Exception:
                ok = False
        _cudnn_cache = ok
    return _cudnn_cache


def _reset_cache():
    """Forgets the detected hardware (used by tests of this module)."""
    global _gpu_count_cache, _cudnn_cache
    _gpu_count_cache = None
    _cudnn_cache = None


def _gpu_skip_reason(gpu_num):
    """Why a test needing ``gpu_num`` GPUs cannot run here, or None."""
    limit = _gpu_limit()
    if 0 <= limit < gpu_num:
        return '{} GPU(s) required; the test GPU limit is {}'.format(
            gpu_num, limit)
    count = _gpu_count()
    if count < gpu_num:
        if _import_cupy() is None:
            return '{} GPU(s) required; CuPy is not importable'.format(
                gpu_num)
        return '{} GPU(s) required; {} found'.format(gpu_num, count)
    return None


def _cudnn_skip_reason():
    reason = _gpu_skip_reason(1)
    if reason is not None:
        return 'cuDNN required; ' + reason
    if not _cudnn_available():
        return 'cuDNN required; CuPy has no usable cuDNN'
    return None


class _LazyCondition(object):
    """A ``skipif`` condition evaluated only when pytest asks for it.

    pytest calls ``bool()`` on non-string conditions while setting up each
    test, so the hardware is probed at run time, not at collection.
    """

    def __init__(self, reason_fn):
        self._reason_fn = reason_fn

    def __bool__(self):
        return self._reason_fn() is not None

    def __repr__(self):
        return '<lazy condition {}>'.format(
            getattr(self._reason_fn, '__name__', self._reason_fn))


# ---------------------------------------------------------------------------
# Decorator plumbing

def _skip_wrapper(func, reason_fn):
    """Wraps a test function to skip at call time (for non-pytest runners,
    where marks have no effect)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        __tracebackhide__ = True  # NOQA: hide this frame in pytest
        reason = reason_fn()
        if reason is not None:
            raise unittest.SkipTest(reason)
        return func(*args, **kwargs)

    return wrapper


def _make_decorator(marks, reason_fn=None, static_reason=None):
    """A decorator adding ``marks`` and, with ``reason_fn``, a run-time skip.
    """
    check_available()
    marks = list(marks)
    if reason_fn is not None:
        marks.append(pytest.mark.skipif(
            _LazyCondition(reason_fn), reason=static_reason))

    def apply_marks(obj):
        for mark in marks:
            marked = mark(obj)
            if marked is not obj:
                # pytest does not take lambdas (and other odd callables)
                # for tests and would return a new mark instead; store
                # the mark the way pytest does for functions.
                own = getattr(obj, '__dict__', {}).get('pytestmark', [])
                if not isinstance(own, list):
                    own = [own]
                obj.pytestmark = own + [mark.mark]
        return obj

    def modify_class(cls):
        if reason_fn is not None:
            _parameterized.wrap_test_methods(
                cls, lambda f: _skip_wrapper(f, reason_fn))
            if issubclass(cls, unittest.TestCase):
                # Under unittest's own runner, skip before setUp (which
                # often allocates on the GPU) too.
                cls.setUp = _skip_wrapper(cls.setUp, reason_fn)
        apply_marks(cls)

    def decorator(obj):
        if isinstance(obj, (type, _parameterized.TestCaseBundle)):
            return _parameterized.for_each_test_class(obj, modify_class)
        if isinstance(obj, types.FunctionType):
            if reason_fn is not None:
                obj = _skip_wrapper(obj, reason_fn)
            return apply_marks(obj)
        if callable(obj):
            return apply_marks(obj)
        raise TypeError(
            'test annotations apply to test functions and classes, '
            'not {!r}'.format(obj))

    return decorator


# ---------------------------------------------------------------------------
# Public annotations

def multi_gpu(gpu_num):
    """Declares that the test needs ``gpu_num`` GPUs.

    Adds the ``gpu`` and ``multi_gpu`` marks and skips the test at run time
    where CuPy or enough GPUs are missing, or where ``CHAINER_TEST_GPU_LIMIT``
    is below ``gpu_num``.
    """
    if not isinstance(gpu_num, int) or isinstance(gpu_num, bool) \
            or gpu_num < 1:
        raise ValueError(
            'multi_gpu() takes a positive number of GPUs, got {!r}'.format(
                gpu_num))

    def reason():
        return _gpu_skip_reason(gpu_num)
    reason.__name__ = 'needs_{}_gpus'.format(gpu_num)

    marks = [pytest.mark.gpu] if is_available() else []
    if gpu_num > 1 and is_available():
        marks.append(pytest.mark.multi_gpu(gpu_num))
    return _make_decorator(
        marks, reason,
        'requires CuPy and {} GPU(s) (or a test GPU limit below)'.format(
            gpu_num))


def gpu(f):
    """Declares that the test needs a GPU (same as ``multi_gpu(1)``)."""
    return multi_gpu(1)(f)


def cudnn(f):
    """Declares that the test needs cuDNN through CuPy.

    Adds the ``cudnn`` and ``gpu`` marks and skips the test at run time when
    no GPU or no cuDNN is usable.
    """
    check_available()

    def reason():
        return _cudnn_skip_reason()
    reason.__name__ = 'needs_cudnn'

    return _make_decorator(
        [pytest.mark.cudnn, pytest.mark.gpu], reason,
        'requires CuPy with cuDNN and a GPU')(f)


def slow(f):
    """Marks a slow test (deselect with ``-m "not slow"``)."""
    check_available()
    return _make_decorator([pytest.mark.slow])(f)


def ideep(f):
    """Marks a test that uses iDeep (``-m "not ideep"`` deselects it)."""
    check_available()
    return _make_decorator([pytest.mark.ideep])(f)


def chainerx(f):
    """Marks a test that uses ChainerX (``-m "not chainerx"`` deselects it).
    """
    check_available()
    return _make_decorator([pytest.mark.chainerx])(f)
