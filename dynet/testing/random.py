"""Reproducible random numbers in tests (``fix_random``).

While a fixed-random section is active, Python's ``random`` module, NumPy's
global RNG and (when CuPy is already imported) CuPy's global RNG start from
the same seed for every test; their previous states are restored afterwards.
Sections nest: only the outermost one seeds and restores.

Setting ``CHAINER_TEST_RANDOM_NONDETERMINISTIC=1`` (or
``DYNET_TEST_RANDOM_NONDETERMINISTIC=1``) seeds from OS entropy instead,
to look for tests that only pass with one seed.
"""
import atexit
import functools
import inspect
import os
import random as _py_random
import sys
import types
import unittest

import numpy

from dynet.testing import parameterized as _parameterized


_SEED = 100

_nest_count = 0
_saved_states = None


def _nondeterministic():
    for name in ('DYNET_TEST_RANDOM_NONDETERMINISTIC',
                 'CHAINER_TEST_RANDOM_NONDETERMINISTIC'):
        value = os.environ.get(name, '').strip()
        if value:
            return bool(int(value))
    return False


def _do_setup(deterministic):
    states = {'python': _py_random.getstate(),
              'numpy': numpy.random.get_state()}
    seed = _SEED if deterministic else None
    _py_random.seed(seed)
    numpy.random.seed(seed)
    cupy = sys.modules.get('cupy')
    if cupy is not None:
        try:
            states['cupy'] = cupy.random.get_random_state()
            cupy.random.set_random_state(cupy.random.RandomState(seed))
        except Exception:
            # CuPy imported but unusable here (e.g. no GPU): nothing to fix.
            states.pop('cupy', None)
    return states


def _do_teardown(states):
    _py_random.setstate(states['python'])
    numpy.random.set_state(states['numpy'])
    if 'cupy' in states:
        cupy = sys.modules.get('cupy')
        if cupy is not None:
            try:
                cupy.random.set_random_state(states['cupy'])
            except Exception:
                pass


def _setup_random():
    """Enters a fixed-random section (seeding on the outermost one)."""
    global _nest_count, _saved_states
    if _nest_count == 0:
        _saved_states = _do_setup(not _nondeterministic())
    _nest_count += 1


def _teardown_random():
    """Leaves a fixed-random section (restoring on the outermost one)."""
    global _nest_count, _saved_states
    if _nest_count <= 0:
        raise RuntimeError('_teardown_random() called without setup')
    _nest_count -= 1
    if _nest_count == 0:
        states, _saved_states = _saved_states, None
        _do_teardown(states)


@atexit.register
def _check_balanced():
    if _nest_count != 0:
        sys.stderr.write(
            'dynet.testing.random: fixed-random set-up and tear-down were '
            'not called in pairs ({} left open)\n'.format(_nest_count))


def generate_seed():
    """A random seed drawn from the fixed random state.

    Only valid inside a test decorated with :func:`fix_random`.
    """
    if _nest_count <= 0:
        raise RuntimeError('generate_seed() needs fix_random to be active')
    return int(numpy.random.randint(0, 0xffffffff, dtype=numpy.int64))


def _call_optional(func, self, arg):
    """Calls an unbound set-up method with ``arg`` if it accepts one."""
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        return func(self, arg)
    positional = [p for p in params[1:] if p.kind in (
        p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)]
    if positional:
        return func(self, arg)
    return func(self)


def _wrap_function(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        __tracebackhide__ = True  # NOQA: hide this frame in pytest
        _setup_random()
        try:
            return func(*args, **kwargs)
        finally:
            _teardown_random()
    return wrapper


def _method_names(cls, setup_method, teardown_method):
    is_unittest = issubclass(cls, unittest.TestCase)
    if setup_method is True or setup_method is None:
        setup_method = 'setUp' if is_unittest else 'setup_method'
    if teardown_method is True or teardown_method is None:
        teardown_method = 'tearDown' if is_unittest else 'teardown_method'
    if not is_unittest:
        # Chainer-style defaults name unittest's hooks; map them for
        # pytest-style classes.
        if setup_method == 'setUp':
            setup_method = 'setup_method'
        if teardown_method == 'tearDown':
            teardown_method = 'teardown_method'
    return setup_method, teardown_method


def _patch_class(cls, setup_method, teardown_method):
    setup_name, teardown_name = _method_names(
        cls, setup_method, teardown_method)
    is_unittest = issubclass(cls, unittest.TestCase)
    orig_setup = getattr(cls, setup_name, None)
    orig_teardown = getattr(cls, teardown_name, None)

    if is_unittest:
        def setup(self, *args, **kwargs):
            _setup_random()
            try:
                if orig_setup is not None:
                    orig_setup(self, *args, **kwargs)
            except BaseException:
                _teardown_random()
                raise

        def teardown(self, *args, **kwargs):
            try:
                if orig_teardown is not None:
                    orig_teardown(self, *args, **kwargs)
            finally:
                _teardown_random()
    else:
        # pytest passes the test method only to hooks that take an
        # argument, so the replacements take one and forward it when the
        # originals do.
        def setup(self, method=None):
            _setup_random()
            try:
                if orig_setup is not None:
                    _call_optional(orig_setup, self, method)
            except BaseException:
                _teardown_random()
                raise

        def teardown(self, method=None):
            try:
                if orig_teardown is not None:
                    _call_optional(orig_teardown, self, method)
            finally:
                _teardown_random()

    for name, func, orig in ((setup_name, setup, orig_setup),
                             (teardown_name, teardown, orig_teardown)):
        if orig is not None:
            func.__doc__ = orig.__doc__
        func.__name__ = name
        func.__qualname__ = '{}.{}'.format(cls.__qualname__, name)
        setattr(cls, name, func)


def fix_random(*, setup_method='setUp', teardown_method='tearDown'):
    """Decorator fixing the random numbers used by a test.

    Applied to a test function or method, the random state is seeded for
    the call.  Applied to a test class (or a parameterized bundle), the
    class's set-up method seeds and its tear-down restores, so set-up and
    test see the same numbers on every run.

    Apply it outside (above) ``condition.retry``/``repeat``; inside, every
    attempt would see the same numbers.

    Args:
        setup_method (str or True): name of the set-up method of a class;
            ``True`` means ``setUp`` for unittest classes and
            ``setup_method`` for pytest-style classes (``'setUp'`` is mapped
            to ``setup_method`` for the latter).
        teardown_method (str or True): likewise for tear-down.
    """

    def decorator(target):
        if isinstance(target, (type, _parameterized.TestCaseBundle)):
            return _parameterized.for_each_test_class(
                target,
                lambda cls: _patch_class(cls, setup_method, teardown_method))
        if isinstance(target, types.FunctionType):
            return _wrap_function(target)
        raise TypeError(
            'fix_random applies to test functions and classes, not '
            '{!r}'.format(target))

    return decorator
