import os
import subprocess
import sys
import textwrap
import types
import unittest
import xml.etree.ElementTree as ET

import pytest

import dynet
from dynet import testing
from dynet.testing import parameterized


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(dynet.__file__)))


def run_pytest(tmp_path, source, *args):
    """Runs pytest on ``source`` in a subprocess.

    Returns ``(outcomes, proc)`` where ``outcomes`` maps
    ``'Class::test'`` (or ``'test'``) to 'passed', 'failed', 'skipped' or
    'error'.
    """
    (tmp_path / 'pytest.ini').write_text(
        '[pytest]\nmarkers =\n    gpu: g\n    multi_gpu: m\n    cudnn: c\n'
        '    slow: s\n    ideep: i\n    chainerx: x\n')
    path = tmp_path / 'test_sample.py'
    path.write_text(textwrap.dedent(source))
    report = tmp_path / 'report.xml'
    env = dict(os.environ)
    env['PYTHONPATH'] = ROOT + os.pathsep + env.get('PYTHONPATH', '')
    env['PYTEST_DISABLE_PLUGIN_AUTOLOAD'] = '1'  # faster start-up
    for name in ('PYTEST_ADDOPTS', 'CHAINER_TEST_GPU_LIMIT',
                 'DYNET_TEST_GPU_LIMIT'):
        env.pop(name, None)
    proc = subprocess.run(
        [sys.executable, '-m', 'pytest', str(path), '-p', 'no:cacheprovider',
         '-q', '--junitxml', str(report)] + list(args),
        cwd=str(tmp_path), env=env, capture_output=True, text=True,
        timeout=120)
    outcomes = {}
    if report.exists():
        for case in ET.parse(str(report)).getroot().iter('testcase'):
            cls = case.get('classname', '')
            prefix = 'test_sample'
            cls = cls[len(prefix) + 1:] if cls.startswith(prefix + '.') \
                else ''
            key = cls + '::' + case.get('name') if cls else case.get('name')
            state = 'passed'
            for child in case:
                if child.tag in ('failure', 'error', 'skipped'):
                    state = {'failure': 'failed'}.get(child.tag, child.tag)
            outcomes[key] = state
    return outcomes, proc


@pytest.fixture
def fake_module(monkeypatch):
    """A fresh module registered in sys.modules for classes to live in."""
    module = types.ModuleType('_dynet_fake_test_module')
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return module


def _make_class(module, name, bases=(object,), body=None):
    namespace = {'__module__': module.__name__, '__qualname__': name}
    namespace.update(body or {})
    cls = type(name, bases, namespace)
    setattr(module, name, cls)
    return cls


def _generated(module, base_name):
    return sorted(
        (name, obj) for name, obj in vars(module).items()
        if isinstance(obj, type) and name.startswith(base_name + '_param_'))


# --- product / product_dict -------------------------------------------------

def test_product_dict_of_lists():
    result = testing.product({'b': [1, 2], 'a': ['x', 'y', 'z']})
    assert len(result) == 6
    # Keys in sorted order, last key fastest.
    assert result[0] == {'a': 'x', 'b': 1}
    assert result[1] == {'a': 'x', 'b': 2}
    assert result[-1] == {'a': 'z', 'b': 2}
    assert len({tuple(sorted(d.items())) for d in result}) == 6


def test_product_list_of_lists_of_dicts():
    result = testing.product([
        [{'a': 1, 'b': 2}, {'a': 10, 'b': 20}],
        [{'c': 3}, {'c': 30}, {'c': 300}],
    ])
    assert len(result) == 6
    assert result[0] == {'a': 1, 'b': 2, 'c': 3}
    assert {'a': 10, 'b': 20, 'c': 300} in result


def test_product_rejects_bad_input():
    with pytest.raises(TypeError):
        testing.product(({'a': 1},))
    with pytest.raises(TypeError):
        testing.product([[{'a': 1}], [1]])
    with pytest.raises(TypeError):
        testing.product([{'a': 1}])


def test_product_dict_merges_later_wins():
    result = testing.product_dict([{'a': 1}, {'a': 2}], [{'b': 3, 'a': 9}])
    assert result == [{'a': 9, 'b': 3}, {'a': 9, 'b': 3}]
    result = testing.product_dict([{'a': 1}, {'a': 2}], [{'b': 3}])
    assert result == [{'a': 1, 'b': 3}, {'a': 2, 'b': 3}]
    assert testing.product_dict() == [{}]


def test_from_pytest_parameterize():
    assert testing.from_pytest_parameterize('a, b', [(1, 2), (3, 4)]) == \
        [{'a': 1, 'b': 2}, {'a': 3, 'b': 4}]
    assert testing.from_pytest_parameterize('a', [1, 2]) == \
        [{'a': 1}, {'a': 2}]
    with pytest.raises(ValueError):
        testing.from_pytest_parameterize(['a', 'b'], [(1,)])


# --- parameterize (in process) ---------------------------------------------

def test_generates_one_class_per_param(fake_module):
    base = _make_class(fake_module, 'TestFoo', (unittest.TestCase,), {
        'test_a': lambda self: None})
    bundle = testing.parameterize({'x': 1, 'y': 'a'}, {'x': 2, 'y': 'b'},
                                  {'x': 3, 'y': 'c'})(base)

    assert isinstance(bundle, parameterized.TestCaseBundle)
    assert not isinstance(bundle, type)
    generated = _generated(fake_module, 'TestFoo')
    assert [name for name, _ in generated] == [
        "TestFoo_param_0_{x=1, y='a'}",
        "TestFoo_param_1_{x=2, y='b'}",
        "TestFoo_param_2_{x=3, y='c'}",
    ]
    assert [cls for _, cls in generated] == list(bundle)
    for i, (_, cls) in enumerate(generated):
        assert issubclass(cls, base)
        assert cls.__module__ == fake_module.__name__
        assert cls.x == i + 1
        assert cls.y == 'abc'[i]
    # Generated unittest cases describe their parameters.
    case = generated[1][1]('test_a')
    assert "'x': 2" in str(case)


def test_function_parameter_is_not_bound(fake_module):
    def double(v):
        return v * 2

    base = _make_class(fake_module, 'TestF')
    testing.parameterize({'f': double, 'g': len})(base)
    (_, cls), = _generated(fake_module, 'TestF')
    assert cls().f(4) == 8
    assert cls().g('abc') == 3


def test_stacked_parameterize_is_product(fake_module):
    base = _make_class(fake_module, 'TestS', body={'test_a': lambda self: 0})
    inner = testing.parameterize({'a': 1}, {'a': 2})(base)
    inner_names = [c.__name__ for c in inner]
    outer = testing.parameterize({'b': 'p'}, {'b': 'q'}, {'b': 'r'})(inner)

    generated = _generated(fake_module, 'TestS')
    assert len(generated) == 6 == len(outer)
    combos = {(cls.a, cls.b) for _, cls in generated}
    assert combos == {(a, b) for a in (1, 2) for b in 'pqr'}
    # The intermediate classes are no longer in the module.
    for name in inner_names:
        assert not hasattr(fake_module, name)
    assert len({name for name, _ in generated}) == 6


def test_long_values_are_shortened_in_names(fake_module):
    base = _make_class(fake_module, 'TestL')
    testing.parameterize({'v': 'x' * 1000})(base)
    (name, cls), = _generated(fake_module, 'TestL')
    assert len(name) < 200
    assert '...' in name
    assert cls.v == 'x' * 1000


def test_rejects_non_class():
    with pytest.raises(TypeError):
        testing.parameterize({'a': 1})(lambda: None)


@pytest.mark.skipif(sys.version_info < (3, 11),
                    reason='exception notes need Python 3.11')
def test_failure_reports_parameters(fake_module):
    def test_fail(self):
        assert self.value == 0, 'boom'

    base = _make_class(fake_module, 'TestN', body={'test_fail': test_fail})
    testing.parameterize({'value': 42})(base)
    (_, cls), = _generated(fake_module, 'TestN')
    with pytest.raises(AssertionError) as info:
        cls().test_fail()
    notes = '\n'.join(getattr(info.value, '__notes__', []))
    assert 'value: 42' in notes
    assert 'TestN' in notes


def test_skip_is_not_annotated(fake_module):
    def test_skip(self):
        raise unittest.SkipTest('later')

    base = _make_class(fake_module, 'TestK', body={'test_skip': test_skip})
    testing.parameterize({'value': 1})(base)
    (_, cls), = _generated(fake_module, 'TestK')
    with pytest.raises(unittest.SkipTest) as info:
        cls().test_skip()
    assert not getattr(info.value, '__notes__', None)


def test_parameterize_pytest(fake_module):
    base = _make_class(fake_module, 'TestPP')
    bundle = testing.parameterize_pytest('a,b', [(1, 2), (3, 4)])(base)
    assert sorted((c.a, c.b) for c in bundle) == [(1, 2), (3, 4)]


# --- parameterize under pytest (collection) --------------------------------

def test_collection_unittest_and_pytest_style(tmp_path):
    outcomes, proc = run_pytest(tmp_path, '''
        import unittest
        import pytest
        from dynet import testing

        @testing.parameterize(*testing.product({
            'shape': [(2,), (3, 4)], 'dtype': ['f', 'd']}))
        class TestUnit(unittest.TestCase):
            def setUp(self):
                self.size = len(self.shape)

            def test_attrs(self):
                assert self.size in (1, 2)
                assert self.dtype in ('f', 'd')

            def test_fail_on_double(self):
                assert self.dtype == 'f'

        @testing.parameterize({'n': 1}, {'n': 2})
        class TestPlain:
            @pytest.fixture
            def offset(self):
                return 10

            def test_fixture(self, offset):
                assert offset + self.n in (11, 12)

            @pytest.mark.parametrize('k', [0, 1, 2])
            def test_parametrize(self, k):
                assert k < 3

        @testing.parameterize({'a': 1}, {'a': 2})
        @testing.parameterize({'b': 3}, {'b': 4}, {'b': 5})
        class TestStacked:
            def test_ab(self):
                assert (self.a, self.b) != (2, 5)
        ''')
    assert proc.returncode == 1, proc.stdout + proc.stderr

    unit = {k: v for k, v in outcomes.items() if k.startswith('TestUnit')}
    assert len(unit) == 8
    assert 'TestUnit::test_attrs' not in outcomes
    assert "TestUnit_param_0_{dtype='f', shape=(2,)}::test_attrs" in unit
    assert sum(v == 'passed' for v in unit.values()) == 6
    failed = sorted(k for k, v in unit.items() if v == 'failed')
    assert len(failed) == 2
    assert all("dtype='d'" in k and 'test_fail_on_double' in k
               for k in failed)

    plain = {k: v for k, v in outcomes.items() if k.startswith('TestPlain')}
    assert len(plain) == 2 * (1 + 3)
    assert set(plain.values()) == {'passed'}
    assert 'TestPlain_param_1_{n=2}::test_parametrize[2]' in plain

    stacked = {k: v for k, v in outcomes.items()
               if k.startswith('TestStacked')}
    assert len(stacked) == 6
    assert sorted(stacked.values()).count('failed') == 1
    (bad,) = [k for k, v in stacked.items() if v == 'failed']
    assert '{b=5}' in bad and '{a=2}' in bad

    assert len(outcomes) == 8 + 8 + 6
