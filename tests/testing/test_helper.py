import os
import unittest
import warnings

import numpy
import pytest

from dynet import testing
from dynet.testing import helper


MISSING = 'dynet-no-such-distribution-xyz'


# --- with_requires / without_requires --------------------------------------

def test_requirements_satisfied():
    assert helper.is_requires_satisfied('numpy')
    assert helper.is_requires_satisfied('numpy>=1.0', 'pytest>1')
    assert helper.is_requires_satisfied('NumPy>=1.0')  # name normalized
    assert not helper.is_requires_satisfied('numpy<1.0')
    assert not helper.is_requires_satisfied('numpy', MISSING)
    major = int(numpy.__version__.split('.')[0])
    assert helper.is_requires_satisfied('numpy=={}.*'.format(major))
    # A requirement whose marker excludes this environment holds.
    assert helper.is_requires_satisfied(
        MISSING + '; python_version < "3"')


def test_simple_fallback_comparison():
    assert helper._simple_compare('1.20.3', '>=', '1.20')
    assert not helper._simple_compare('1.19.5', '>=', '1.20')
    assert helper._simple_compare('2.0.0rc1', '>', '1.26')
    assert helper._simple_compare('1.20.3', '==', '1.20.*')
    assert helper._simple_compare('1.21', '!=', '1.20.*')
    assert helper._simple_compare('1.4.2', '~=', '1.4.1')
    assert not helper._simple_compare('1.5.0', '~=', '1.4.1')
    assert helper._simple_compare('1.10', '>', '1.9')
    assert helper._simple_satisfied('numpy >= 1.0, < 100')
    assert not helper._simple_satisfied('numpy<1.0')
    assert not helper._simple_satisfied(MISSING)


def test_with_requires_runs_when_satisfied():
    ran = []

    @testing.with_requires('numpy>=1.0')
    def test_func():
        ran.append(1)

    test_func()
    assert ran == [1]


def test_with_requires_skips_function_when_unsatisfied():
    @testing.with_requires('numpy<1.0', MISSING)
    def test_func():
        raise AssertionError('must not run')

    with pytest.raises(unittest.SkipTest) as info:
        test_func()
    assert 'numpy<1.0' in str(info.value)


def test_with_requires_on_unittest_class():
    @testing.with_requires(MISSING)
    class Case(unittest.TestCase):
        def test_a(self):
            raise AssertionError('must not run')

    result = unittest.TestResult()
    Case('test_a').run(result)
    assert len(result.skipped) == 1
    assert result.wasSuccessful()


def test_with_requires_on_plain_class():
    @testing.with_requires(MISSING)
    class TestPlain(object):
        def test_a(self):
            pass

    marks = [m for m in TestPlain.pytestmark if m.name == 'skip']
    assert len(marks) == 1
    assert MISSING in marks[0].kwargs['reason']


def test_without_requires():
    ran = []

    @testing.without_requires(MISSING)
    def test_a():
        ran.append('a')

    @testing.without_requires('numpy')
    def test_b():
        ran.append('b')

    test_a()
    with pytest.raises(unittest.SkipTest):
        test_b()
    assert ran == ['a']


# --- assert_warns -----------------------------------------------------------

def test_assert_warns_passes():
    with testing.assert_warns(DeprecationWarning):
        warnings.warn('old', DeprecationWarning)
    # Subclasses match; so does a tuple of categories.
    with testing.assert_warns(Warning):
        warnings.warn('x', RuntimeWarning)
    with testing.assert_warns((UserWarning, FutureWarning)):
        warnings.warn('x', FutureWarning)


def test_assert_warns_fails_without_warning():
    with pytest.raises(AssertionError) as info:
        with testing.assert_warns(UserWarning):
            pass
    assert 'UserWarning' in str(info.value)


def test_assert_warns_fails_on_other_category():
    with pytest.raises(AssertionError) as info:
        with testing.assert_warns(DeprecationWarning):
            warnings.warn('x', RuntimeWarning)
    assert 'RuntimeWarning' in str(info.value)


def test_assert_warns_even_if_already_warned():
    def warn_once():
        warnings.warn('same place', UserWarning)

    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        warn_once()
    for _ in range(2):
        with testing.assert_warns(UserWarning):
            warn_once()


def test_assert_warns_propagates_exceptions():
    with pytest.raises(KeyError):
        with testing.assert_warns(UserWarning):
            raise KeyError('x')


# --- patch ------------------------------------------------------------------

def test_patch_spies_by_default():
    with testing.patch('os.path.join') as mock:
        assert os.path.join('a', 'b') == 'a' + os.sep + 'b'
    mock.assert_called_once_with('a', 'b')
    assert not hasattr(os.path.join, 'assert_called_once_with')


def test_patch_explicit_wraps():
    with testing.patch('os.path.basename', wraps=lambda p: 'fixed') as mock:
        assert os.path.basename('/x/y') == 'fixed'
    assert mock.call_count == 1
    assert os.path.basename('/x/y') == 'y'


def test_patch_as_decorator_and_other_arguments():
    @testing.patch('numpy.zeros')
    def check(mock):
        assert numpy.zeros(3).shape == (3,)
        assert mock.call_count == 1

    check()

    with testing.patch('numpy.ones', return_value='patched') as mock:
        assert numpy.ones(2) == 'patched'
    mock.assert_called_once_with(2)


def test_patch_attribute_of_class():
    class Box(object):
        @staticmethod
        def value():
            return 5

    import types
    module = types.ModuleType('_dynet_patch_target')
    module.Box = Box
    import sys
    sys.modules[module.__name__] = module
    try:
        with testing.patch('_dynet_patch_target.Box.value') as mock:
            assert Box.value() == 5
        assert mock.called
    finally:
        del sys.modules[module.__name__]
