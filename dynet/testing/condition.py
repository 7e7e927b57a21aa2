"""Decorators running a test several times (``retry``, ``repeat`` ...).

They are meant for tests whose outcome depends on random numbers.  Each
attempt of a test method runs on a fresh instance of the test class, with
the class's per-test set-up and tear-down (``setUp``/``tearDown`` for
unittest classes, ``setup_method``/``teardown_method`` for pytest-style
classes) called around it.  A skip raised by any attempt (``unittest.SkipTest``
or ``pytest.skip``) skips the whole test at once.
"""
import functools
import inspect
import sys
import traceback
import unittest


def _is_skip(exc):
    if isinstance(exc, unittest.SkipTest):
        return True
    outcomes = sys.modules.get('_pytest.outcomes')
    if outcomes is not None:
        # pytest.skip, pytest.xfail and pytest.exit end the test outright.
        propagate = tuple(
            getattr(outcomes, name) for name in ('Skipped', 'XFailed', 'Exit')
            if hasattr(outcomes, name))
        if propagate and isinstance(exc, propagate):
            return True
    return False


def _call_with_optional_arg(func, arg):
    # pytest calls setup_method/teardown_method with the test method when
    # they accept an argument; mimic that.
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return func(arg)
    positional = [
        p for p in sig.parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD,
                      p.VAR_POSITIONAL)]
    if positional:
        return func(arg)
    return func()


class _Attempt(object):
    """Runs one attempt of a test method on a fresh instance."""

    def __init__(self, func, instance):
        self.func = func
        self.instance = instance

    def _fresh_instance(self):
        instance = self.instance
        cls = type(instance)
        if isinstance(instance, unittest.TestCase):
            fresh = cls(instance._testMethodName)
        else:
            fresh = cls.__new__(cls)
            init = cls.__init__
            if init is not object.__init__:
                fresh.__init__()
        # Keep attributes injected from outside the class's own set-up
        # (e.g. by pytest autouse fixtures); set-up overwrites its own.
        for key, value in vars(instance).items():
            if key not in vars(fresh):
                setattr(fresh, key, value)
        return fresh

    def run(self, args, kwargs):
        fresh = self._fresh_instance()
        if isinstance(fresh, unittest.TestCase):
            fresh.setUp()
            try:
                self.func(fresh, *args, **kwargs)
            finally:
                try:
                    fresh.tearDown()
                finally:
                    if not fresh.doCleanups():
                        raise AssertionError(
                            'a cleanup function of the test failed')
        else:
            bound = getattr(fresh, self.func.__name__, None)
            setup = getattr(fresh, 'setup_method', None)
            teardown = getattr(fresh, 'teardown_method', None)
            if setup is not None:
                _call_with_optional_arg(setup, bound)
            try:
                self.func(fresh, *args, **kwargs)
            finally:
                if teardown is not None:
                    _call_with_optional_arg(teardown, bound)


def _takes_self(func):
    try:
        params = list(inspect.signature(func).parameters)
    except (TypeError, ValueError):
        return False
    return bool(params) and params[0] == 'self'


def _report(times, min_success, successes, failures):
    lines = [
        'Failed in {} of {} attempt(s): {} succeeded, {} success(es) '
        'required, at most {} attempt(s) allowed.'.format(
            len(failures), successes + len(failures), successes,
            min_success, times)]
    if failures:
        lines.append('')
        lines.append('Failing attempts (the first one is chained below):')
    for attempt, exc in failures:
        message = ''.join(
            traceback.format_exception_only(type(exc), exc)).rstrip()
        lines.append('Attempt #{}: {}'.format(
            attempt, message.replace('\n', '\n    ')))
    return '\n'.join(lines)


def repeat_with_success_at_least(times, min_success):
    """Runs a test up to ``times`` times; passes on ``min_success`` passes.

    Attempts stop as soon as the outcome is decided: once ``min_success``
    attempts passed, or once so many failed that ``min_success`` can no
    longer be reached.  The failure report gives the counts, the traceback
    of the first failing attempt and the message of every other one.

    Args:
        times (int): the maximum number of attempts.
        min_success (int): the number of passing attempts required.
    """
    if not (isinstance(times, int) and isinstance(min_success, int)):
        raise TypeError('times and min_success must be integers')
    if not 0 <= min_success <= times:
        raise ValueError(
            'need 0 <= min_success <= times, got min_success={}, '
            'times={}'.format(min_success, times))

    def decorator(func):
        is_method = _takes_self(func)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            __tracebackhide__ = True  # NOQA: hide this frame in pytest
            if is_method:
                if not args:
                    raise TypeError(
                        '{} expects the test instance'.format(func.__name__))
                attempt_runner = _Attempt(func, args[0])

                def attempt():
                    attempt_runner.run(args[1:], kwargs)
            else:
                def attempt():
                    func(*args, **kwargs)

            successes = 0
            failures = []
            for i in range(times):
                if successes >= min_success:
                    break
                if len(failures) > times - min_success:
                    break
                try:
                    attempt()
                except (KeyboardInterrupt, SystemExit, GeneratorExit):
                    raise
                except BaseException as e:
                    if _is_skip(e):
                        raise
                    failures.append((i + 1, e))
                else:
                    successes += 1
            if successes >= min_success:
                return None
            first = failures[0][1] if failures else None
            raise AssertionError(
                _report(times, min_success, successes, failures)) from first

        return wrapper

    return decorator


def repeat(times):
    """Runs a test ``times`` times; every attempt must pass."""
    return repeat_with_success_at_least(times, times)


def retry(times):
    """Runs a test up to ``times`` times until one attempt passes."""
    return repeat_with_success_at_least(times, 1)
