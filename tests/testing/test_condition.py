import os
import subprocess
import sys
import textwrap
import unittest
import xml.etree.ElementTree as ET

import pytest

import dynet
from dynet.testing import condition


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(dynet.__file__)))


def run_pytest(tmp_path, source, *args):
    """Runs pytest on ``source`` in a subprocess; returns outcomes by id."""
    (tmp_path / 'pytest.ini').write_text('[pytest]\n')
    path = tmp_path / 'test_sample.py'
    path.write_text(textwrap.dedent(source))
    report = tmp_path / 'report.xml'
    env = dict(os.environ)
    env['PYTHONPATH'] = ROOT + os.pathsep + env.get('PYTHONPATH', '')
    env['PYTEST_DISABLE_PLUGIN_AUTOLOAD'] = '1'  # faster start-up
    env.pop('PYTEST_ADDOPTS', None)
    proc = subprocess.run(
        [sys.executable, '-m', 'pytest', str(path), '-p', 'no:cacheprovider',
         '-q', '--junitxml', str(report)] + list(args),
        cwd=str(tmp_path), env=env, capture_output=True, text=True,
        timeout=120)
    outcomes = {}
    if report.exists():
        for case in ET.parse(str(report)).getroot().iter('testcase'):
            cls = case.get('classname', '').split('.')[-1]
            key = cls + '::' + case.get('name')
            state = 'passed'
            for child in case:
                if child.tag in ('failure', 'error', 'skipped'):
                    state = {'failure': 'failed'}.get(child.tag, child.tag)
            outcomes[key] = state
    return outcomes, proc


def flaky(results):
    """A test function passing or failing in the order of ``results``."""
    calls = []

    def test_func():
        calls.append(None)
        ok = results[len(calls) - 1]
        assert ok, 'attempt {} failed'.format(len(calls))

    return test_func, calls


# --- plain functions --------------------------------------------------------

def test_retry_succeeds_after_failures():
    func, calls = flaky([False, False, True, True])
    condition.retry(4)(func)()
    assert len(calls) == 3  # stops at the first success


def test_retry_fails_after_exhausting_attempts():
    func, calls = flaky([False] * 5)
    with pytest.raises(AssertionError) as info:
        condition.retry(3)(func)()
    assert len(calls) == 3
    message = str(info.value)
    assert '3 of 3 attempt(s)' in message
    assert '0 succeeded' in message
    for i in (1, 2, 3):
        assert 'attempt {} failed'.format(i) in message
    # The first failure is chained for its traceback.
    assert 'attempt 1 failed' in str(info.value.__cause__)


def test_repeat_runs_every_time():
    func, calls = flaky([True] * 5)
    condition.repeat(5)(func)()
    assert len(calls) == 5


def test_repeat_stops_at_first_failure():
    func, calls = flaky([True, False, True, True, True])
    with pytest.raises(AssertionError) as info:
        condition.repeat(5)(func)()
    assert len(calls) == 2
    assert '1 succeeded' in str(info.value)


@pytest.mark.parametrize('results, min_success, passes, n_calls', [
    ([True, False, True, False, True], 3, True, 5),
    ([True, True, True, False, False], 3, True, 3),   # early success
    ([False, False, False, True, True], 3, False, 3),  # early give-up
    ([True, False, False, True, True], 3, True, 5),
    ([False, True, False, True, False], 3, False, 5),
    ([False, False, False, False, True], 1, True, 5),
])
def test_repeat_with_success_at_least_counts(
        results, min_success, passes, n_calls):
    func, calls = flaky(results)
    decorated = condition.repeat_with_success_at_least(5, min_success)(func)
    if passes:
        decorated()
    else:
        with pytest.raises(AssertionError):
            decorated()
    assert len(calls) == n_calls


def test_invalid_arguments():
    with pytest.raises(ValueError):
        condition.repeat_with_success_at_least(2, 3)
    with pytest.raises(ValueError):
        condition.repeat_with_success_at_least(2, -1)


def test_pytest_skip_propagates():
    calls = []

    def test_func():
        calls.append(None)
        pytest.skip('not here')

    with pytest.raises(pytest.skip.Exception):
        condition.retry(3)(test_func)()
    assert len(calls) == 1


def test_pytest_fail_counts_as_failure():
    calls = []

    def test_func():
        calls.append(None)
        if len(calls) < 2:
            pytest.fail('first one fails')

    condition.retry(3)(test_func)()
    assert len(calls) == 2


def test_keeps_arguments_and_name():
    seen = []

    @condition.repeat(2)
    def test_func(a, b=1):
        seen.append((a, b))

    test_func(5, b=7)
    assert seen == [(5, 7), (5, 7)]
    assert test_func.__name__ == 'test_func'


# --- unittest test cases ----------------------------------------------------

class _Recorder(unittest.TestCase):
    __test__ = False  # run by hand below, not collected
    log = None
    results = None

    def setUp(self):
        self.log.append('setUp')
        self.value = len(self.log)

    def tearDown(self):
        self.log.append('tearDown')

    @condition.retry(3)
    def test_retry(self):
        self.log.append('test')
        assert self.results.pop(0), 'unlucky'

    @condition.repeat(3)
    def test_skip(self):
        self.log.append('test')
        self.skipTest('skipped on purpose')


def _run_case(name, results):
    cls = type('Case', (_Recorder,), {'log': [], 'results': list(results)})
    result = unittest.TestResult()
    cls(name).run(result)
    return cls.log, result


def test_unittest_each_attempt_has_setup_and_teardown():
    log, result = _run_case('test_retry', [False, True])
    assert result.wasSuccessful(), result.failures
    # Outer setUp/tearDown by the runner, plus one pair per attempt.
    assert log == ['setUp',
                   'setUp', 'test', 'tearDown',
                   'setUp', 'test', 'tearDown',
                   'tearDown']


def test_unittest_failure_is_reported():
    log, result = _run_case('test_retry', [False, False, False])
    assert len(result.failures) == 1
    assert 'unlucky' in result.failures[0][1]
    assert log.count('test') == 3


def test_unittest_skip_propagates():
    log, result = _run_case('test_skip', [])
    assert len(result.skipped) == 1
    assert result.skipped[0][1] == 'skipped on purpose'
    assert log.count('test') == 1


# --- pytest-style test classes ----------------------------------------------

class _PlainRecorder(object):
    def setup_method(self, method):
        self.log.append(('setup', method.__name__))

    def teardown_method(self, method):
        self.log.append(('teardown', method.__name__))

    @condition.retry(2)
    def test_it(self, extra):
        self.log.append(('test', extra, self.injected))
        assert len(self.log) > 4


def test_pytest_style_class_attempts():
    obj = _PlainRecorder()
    obj.log = []
    obj.injected = 'fixture-value'  # as set by an autouse fixture
    obj.test_it('x')
    assert obj.log == [
        ('setup', 'test_it'), ('test', 'x', 'fixture-value'),
        ('teardown', 'test_it'),
        ('setup', 'test_it'), ('test', 'x', 'fixture-value'),
        ('teardown', 'test_it')]


# --- under pytest -----------------------------------------------------------

def test_outcomes_under_pytest(tmp_path):
    outcomes, proc = run_pytest(tmp_path, '''
        import unittest
        import pytest
        from dynet.testing import condition

        COUNT = {}

        def bump(key):
            COUNT[key] = COUNT.get(key, 0) + 1
            return COUNT[key]

        class TestUnit(unittest.TestCase):
            @condition.retry(3)
            def test_third_time_lucky(self):
                assert bump('u') == 3

            @condition.repeat(3)
            def test_always_fails(self):
                assert False, 'never works'

            @condition.retry(3)
            def test_pytest_skip(self):
                pytest.skip('skip me')

        class TestPlain:
            @pytest.fixture(autouse=True)
            def inject(self):
                self.injected = 1

            @condition.repeat_with_success_at_least(4, 2)
            def test_half(self, tmp_path):
                assert self.injected == 1 and tmp_path.exists()
                assert bump('p') % 2 == 0

            @condition.retry(2)
            def test_skip(self):
                pytest.skip('skip me too')

        @condition.retry(2)
        def test_function():
            assert bump('f') == 2
        ''')
    assert outcomes == {
        'TestUnit::test_third_time_lucky': 'passed',
        'TestUnit::test_always_fails': 'failed',
        'TestUnit::test_pytest_skip': 'skipped',
        'TestPlain::test_half': 'passed',
        'TestPlain::test_skip': 'skipped',
        'test_sample::test_function': 'passed',
    }, proc.stdout + proc.stderr
    assert 'never works' in proc.stdout
