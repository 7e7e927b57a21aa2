"""Small test helpers: requirement-based skips, warning checks, patching."""
import contextlib
import functools
import importlib
import re
import unittest
import warnings
from unittest import mock

try:
    from importlib import metadata as _metadata
except ImportError:  # pragma: no cover - Python < 3.8
    _metadata = None


# ---------------------------------------------------------------------------
# Requirements

_SIMPLE_REQ = re.compile(
    r'^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*'
    r'(?P<specs>[^;]*?)\s*(;.*)?$')
_SIMPLE_SPEC = re.compile(r'^\s*(===|~=|==|!=|<=|>=|<|>)\s*(\S+)\s*$')


def _installed_version(name):
    if _metadata is None:
        return None
    try:
        return _metadata.version(name)
    except _metadata.PackageNotFoundError:
        return None


def _release_tuple(version):
    parts = []
    for piece in version.split('.'):
        m = re.match(r'\d+', piece)
        if m is None:
            break
        parts.append(int(m.group()))
        if m.end() != len(piece):
            break
    return tuple(parts)


def _simple_compare(installed, op, wanted):
    """Fallback comparison of release numbers when packaging is absent."""
    if op in ('==', '!=') and wanted.endswith('.*'):
        prefix = _release_tuple(wanted[:-2])
        match = _release_tuple(installed)[:len(prefix)] == prefix
        return match if op == '==' else not match
    a = _release_tuple(installed)
    b = _release_tuple(wanted)
    width = max(len(a), len(b))
    a = a + (0,) * (width - len(a))
    b = b + (0,) * (width - len(b))
    if op == '~=':
        prefix = _release_tuple(wanted)[:-1]
        return a >= b and _release_tuple(installed)[:len(prefix)] == prefix
    if op == '===':
        return installed == wanted
    return {'==': a == b, '!=': a != b, '<=': a <= b, '>=': a >= b,
            '<': a < b, '>': a > b}[op]


def _simple_satisfied(requirement):
    m = _SIMPLE_REQ.match(requirement)
    if m is None:
        raise ValueError('invalid requirement: {!r}'.format(requirement))
    installed = _installed_version(m.group('name'))
    if installed is None:
        return False
    specs = m.group('specs').strip()
    if specs.startswith('(') and specs.endswith(')'):
        specs = specs[1:-1]
    for spec in filter(None, (s.strip() for s in specs.split(','))):
        sm = _SIMPLE_SPEC.match(spec)
        if sm is None:
            raise ValueError('invalid version specifier {!r} in {!r}'.format(
                spec, requirement))
        if not _simple_compare(installed, sm.group(1), sm.group(2)):
            return False
    return True


def _requirement_satisfied(requirement):
    try:
        from packaging.requirements import Requirement
        from packaging.version import InvalidVersion
    except ImportError:
        return _simple_satisfied(requirement)
    req = Requirement(requirement)
    if req.marker is not None and not req.marker.evaluate():
        # The requirement does not apply to this environment.
        return True
    installed = _installed_version(req.name)
    if installed is None:
        return False
    if not req.specifier:
        return True
    try:
        return req.specifier.contains(installed, prereleases=True)
    except InvalidVersion:
        return _simple_satisfied(requirement)


def is_requires_satisfied(*requirements):
    """Whether every requirement string (e.g. ``'numpy>=1.20'``) holds.

    A requirement holds when the distribution is installed and its version
    matches the specifiers.
    """
    return all(_requirement_satisfied(r) for r in requirements)


def _skip_decorator(reason):
    """Skips a test function, method or class (unittest or pytest style)."""

    def decorator(obj):
        if isinstance(obj, type):
            if issubclass(obj, unittest.TestCase):
                return unittest.skip(reason)(obj)
            try:
                import pytest
            except ImportError:
                pass
            else:
                return pytest.mark.skip(reason=reason)(obj)
        from dynet.testing import parameterized
        if isinstance(obj, parameterized.TestCaseBundle):
            return parameterized.for_each_test_class(
                obj, lambda cls: decorator(cls))
        if isinstance(obj, type):
            # pytest-less plain class: skip each test method.
            return parameterized.wrap_test_methods(obj, decorator)

        @functools.wraps(obj)
        def wrapper(*args, **kwargs):
            raise unittest.SkipTest(reason)
        return wrapper

    return decorator


def _noop_decorator(obj):
    return obj


def with_requires(*requirements):
    """Runs the test only when the given requirements are satisfied.

    Example::

        @testing.with_requires('numpy>=1.20', 'scipy')
        def test_something(self):
            ...

    Args:
        requirements: requirement strings in the pip format; the test is
            skipped unless every named distribution is installed with a
            matching version.
    """
    if is_requires_satisfied(*requirements):
        return _noop_decorator
    return _skip_decorator('requires: {}'.format(','.join(requirements)))


def without_requires(*requirements):
    """Runs the test only when the given requirements are NOT all satisfied.
    """
    if not is_requires_satisfied(*requirements):
        return _noop_decorator
    return _skip_decorator('requires absence of: {}'.format(
        ','.join(requirements)))


# ---------------------------------------------------------------------------
# Warnings

@contextlib.contextmanager
def assert_warns(expected):
    """Checks that the block emits a warning of category ``expected``.

    All warnings raised in the block are recorded (and not shown); an
    AssertionError is raised when none is an instance of ``expected``
    (a warning class or a tuple of them).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        yield caught
    if not any(isinstance(w.message, expected) for w in caught):
        name = getattr(expected, '__name__', None) or str(expected)
        seen = ', '.join(sorted({type(w.message).__name__ for w in caught}))
        raise AssertionError('{} not triggered{}'.format(
            name, ' (got: {})'.format(seen) if seen else ''))


# ---------------------------------------------------------------------------
# Patching

def _resolve(target):
    """Imports and returns the object named by a dotted path."""
    parts = target.split('.')
    obj = None
    # Import the longest importable module prefix, then walk attributes.
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module('.'.join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError('cannot import {!r}'.format(target))


def patch(target, *args, **kwargs):
    """:func:`unittest.mock.patch` that spies on the target by default.

    Unless ``wraps`` is given, the mock wraps the original object, so calls
    go through to it while being recorded.  All other arguments are passed
    to :func:`unittest.mock.patch`.

    Note that the mock is set on the object where the target name lives, so
    wrapping an unbound method means ``self`` is not passed.
    """
    if 'wraps' not in kwargs:
        kwargs['wraps'] = _resolve(target)
    return mock.patch(target, *args, **kwargs)
