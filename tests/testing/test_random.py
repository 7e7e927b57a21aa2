import random
import sys
import types
import unittest

import numpy
import pytest

from dynet import testing
from dynet.testing import random as dynet_random


def _draw():
    return (numpy.random.rand(3).tolist(), random.random(),
            numpy.random.randint(1000))


def test_function_runs_reproduce():
    results = []

    @testing.fix_random()
    def test_func():
        results.append(_draw())

    numpy.random.seed(1)
    test_func()
    numpy.random.seed(2)
    random.seed(2)
    test_func()
    assert results[0] == results[1]


def test_state_is_restored():
    @testing.fix_random()
    def test_func():
        return _draw()

    numpy.random.seed(7)
    random.seed(7)
    expected = _draw()

    numpy.random.seed(7)
    random.seed(7)
    fixed = test_func()
    after = _draw()
    assert after == expected  # as if the fixed section never happened
    assert fixed != expected
    assert dynet_random._nest_count == 0


def test_state_restored_on_failure():
    @testing.fix_random()
    def test_func():
        raise ValueError('x')

    numpy.random.seed(3)
    expected = numpy.random.rand()
    numpy.random.seed(3)
    with pytest.raises(ValueError):
        test_func()
    assert numpy.random.rand() == expected
    assert dynet_random._nest_count == 0


def _run(case_cls, *names):
    result = unittest.TestResult()
    for name in names:
        case_cls(name).run(result)
    return result


def test_unittest_class():
    log = []

    @testing.fix_random()
    class Case(unittest.TestCase):
        def setUp(self):
            self.data = numpy.random.rand()

        def test_a(self):
            log.append((self.data, _draw()))

        def test_b(self):
            log.append((self.data, _draw()))

    numpy.random.seed(11)
    result = _run(Case, 'test_a', 'test_b', 'test_a')
    assert result.wasSuccessful(), result.errors + result.failures
    assert log[0] == log[1] == log[2]
    assert dynet_random._nest_count == 0


def test_setup_failure_keeps_sections_balanced():
    @testing.fix_random()
    class Case(unittest.TestCase):
        def setUp(self):
            raise RuntimeError('broken set-up')

        def test_a(self):
            pass

    result = _run(Case, 'test_a')
    assert len(result.errors) == 1
    assert dynet_random._nest_count == 0


def test_pytest_style_class():
    @testing.fix_random()
    class TestPlain(object):
        def setup_method(self, method):
            self.method = method
            self.data = numpy.random.rand()

        def teardown_method(self, method):
            self.torn_down = method

        def test_a(self):
            return self.data, numpy.random.rand()

    values = []
    for marker in ('m1', 'm2'):
        obj = TestPlain()
        obj.setup_method(marker)
        values.append(obj.test_a())
        obj.teardown_method(marker)
        assert obj.method == marker and obj.torn_down == marker
    assert values[0] == values[1]
    assert dynet_random._nest_count == 0


def test_pytest_style_class_without_hooks():
    @testing.fix_random()
    class TestPlain(object):
        def test_a(self):
            return numpy.random.rand()

    values = []
    for _ in range(2):
        obj = TestPlain()
        obj.setup_method(None)
        values.append(obj.test_a())
        obj.teardown_method(None)
    assert values[0] == values[1]


def test_custom_method_names():
    @testing.fix_random(setup_method='prepare', teardown_method='finish')
    class Thing(object):
        def prepare(self):
            self.x = numpy.random.rand()

        def finish(self):
            pass

    values = []
    for _ in range(2):
        t = Thing()
        t.prepare()
        values.append(t.x)
        t.finish()
    assert values[0] == values[1]
    assert dynet_random._nest_count == 0


def test_parameterized_bundle(monkeypatch):
    module = types.ModuleType('_dynet_random_fake')
    monkeypatch.setitem(sys.modules, module.__name__, module)

    class TestP(unittest.TestCase):
        def setUp(self):
            self.data = numpy.random.rand()

        def test_a(self):
            pass

    TestP.__module__ = module.__name__
    bundle = testing.fix_random()(
        testing.parameterize({'a': 1}, {'a': 2})(TestP))
    datas = []
    for cls in bundle:
        case = cls('test_a')
        case.setUp()
        datas.append(case.data)
        case.tearDown()
    assert datas[0] == datas[1]
    assert dynet_random._nest_count == 0


def test_nested_sections_do_not_reseed():
    @testing.fix_random()
    def inner():
        return numpy.random.rand()

    @testing.fix_random()
    def outer():
        return inner(), inner()

    first, second = outer()
    assert first != second


def test_generate_seed():
    with pytest.raises(RuntimeError):
        testing.generate_seed()

    @testing.fix_random()
    def test_func():
        seed = testing.generate_seed()
        assert isinstance(seed, int) and 0 <= seed < 2 ** 32
        return seed

    assert test_func() == test_func()


def test_nondeterministic_env(monkeypatch):
    monkeypatch.setenv('CHAINER_TEST_RANDOM_NONDETERMINISTIC', '1')

    @testing.fix_random()
    def test_func():
        return numpy.random.rand(4).tolist()

    assert test_func() != test_func()


def test_cupy_state_when_imported(monkeypatch):
    events = []

    class FakeState(object):
        def __init__(self, seed=None):
            self.seed = seed

    fake_random = types.SimpleNamespace(
        RandomState=FakeState,
        get_random_state=lambda: events.append('get') or original,
        set_random_state=lambda s: events.append(('set', s.seed)))
    original = FakeState('original')
    cupy = types.ModuleType('cupy')
    cupy.random = fake_random
    monkeypatch.setitem(sys.modules, 'cupy', cupy)

    @testing.fix_random()
    def test_func():
        events.append('test')

    test_func()
    assert events == ['get', ('set', dynet_random._SEED), 'test',
                      ('set', 'original')]


def test_rejects_other_objects():
    with pytest.raises(TypeError):
        testing.fix_random()(42)


def test_under_pytest(tmp_path):
    import os
    import subprocess
    import textwrap
    import dynet

    root = os.path.dirname(os.path.dirname(os.path.abspath(dynet.__file__)))
    (tmp_path / 'pytest.ini').write_text('[pytest]\n')
    (tmp_path / 'test_sample.py').write_text(textwrap.dedent('''
        import unittest
        import numpy
        from dynet import testing

        SEEN = []

        @testing.fix_random()
        class TestWithHook:
            def setup_method(self, method):
                self.name = method.__name__
                self.x = numpy.random.rand()

            def test_a(self):
                assert self.name == 'test_a'
                SEEN.append((self.x, numpy.random.rand()))

            def test_b(self):
                assert self.name == 'test_b'
                SEEN.append((self.x, numpy.random.rand()))

        @testing.fix_random()
        class TestNoHook:
            def test_c(self):
                SEEN.append((SEEN[0][0], numpy.random.rand()))

        @testing.parameterize({'p': 1}, {'p': 2})
        @testing.fix_random()
        class TestUnit(unittest.TestCase):
            def setUp(self):
                self.x = numpy.random.rand()

            def test_d(self):
                SEEN.append((self.x, numpy.random.rand()))

        def test_zz_all_equal():
            assert len(SEEN) == 5
            assert SEEN[0] == SEEN[1] == SEEN[3] == SEEN[4]
            assert SEEN[2][1] == SEEN[0][0]
        '''))
    env = dict(os.environ)
    env['PYTHONPATH'] = root + os.pathsep + env.get('PYTHONPATH', '')
    env['PYTEST_DISABLE_PLUGIN_AUTOLOAD'] = '1'
    env.pop('PYTEST_ADDOPTS', None)
    proc = subprocess.run(
        [sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider',
         'test_sample.py'],
        cwd=str(tmp_path), env=env, capture_output=True, text=True,
        timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert '6 passed' in proc.stdout, proc.stdout
