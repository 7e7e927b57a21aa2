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
from dynet.testing import attr


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(dynet.__file__)))


def run_pytest(tmp_path, source, *args, **env_overrides):
    """Runs pytest on ``source`` in a subprocess; returns outcomes by id."""
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
    env.update(env_overrides)
    proc = subprocess.run(
        [sys.executable, '-m', 'pytest', str(path), '-p', 'no:cacheprovider',
         '-q', '--strict-markers', '--junitxml', str(report)] + list(args),
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


def _cupy_present():
    try:
        import cupy  # NOQA
    except Exception:
        return False
    return True


def mark_names(obj):
    return sorted(m.name for m in getattr(obj, 'pytestmark', []))


@pytest.fixture
def fresh_detection():
    attr._reset_cache()
    yield
    attr._reset_cache()


# --- marks -----------------------------------------------------------------

def test_marks_on_function_and_method():
    @attr.gpu
    def test_f():
        pass

    class TestC(object):
        @attr.slow
        def test_m(self):
            pass

    assert mark_names(test_f) == ['gpu', 'skipif']
    assert mark_names(TestC.test_m) == ['slow']
    assert mark_names(attr.cudnn(lambda: None)) == ['cudnn', 'gpu', 'skipif']
    assert mark_names(attr.ideep(lambda: None)) == ['ideep']
    assert mark_names(attr.chainerx(lambda: None)) == ['chainerx']


def test_multi_gpu_marks():
    def test_f():
        pass

    marked = attr.multi_gpu(3)(test_f)
    assert mark_names(marked) == ['gpu', 'multi_gpu', 'skipif']
    (multi,) = [m for m in marked.pytestmark if m.name == 'multi_gpu']
    assert multi.args == (3,)
    with pytest.raises(ValueError):
        attr.multi_gpu(0)


def test_marks_on_class_and_bundle():
    @attr.gpu
    class TestC(unittest.TestCase):
        def test_a(self):
            pass

        def helper(self):
            pass

    assert 'gpu' in mark_names(TestC)
    # Test methods also skip at call time (for non-pytest runners).
    assert TestC.test_a is not TestC.__dict__.get('helper')
    assert 'helper' in TestC.__dict__ and \
        not hasattr(TestC.helper, '__wrapped__')
    assert hasattr(TestC.test_a, '__wrapped__')

    class TestP(object):
        def test_a(self):
            pass

    TestP.__module__ = __name__
    bundle = testing.parameterize({'x': 1}, {'x': 2})(TestP)
    try:
        assert attr.slow(bundle) is bundle
        for cls in bundle:
            assert 'slow' in mark_names(cls)
    finally:
        for cls in bundle:
            delattr(sys.modules[__name__], cls.__name__)


# --- run-time detection -----------------------------------------------------

@pytest.mark.skipif(_cupy_present(), reason='checks the no-CuPy case')
def test_no_gpu_here(fresh_detection):
    assert attr._gpu_count() == 0
    reason = attr._gpu_skip_reason(1)
    assert reason is not None and 'CuPy' in reason
    assert attr._cudnn_skip_reason() is not None

    def test_f():
        raise AssertionError('must not run')

    for decorator in (attr.gpu, attr.multi_gpu(2), attr.cudnn):
        with pytest.raises(unittest.SkipTest):
            decorator(test_f)()


def _fake_cupy(monkeypatch, n_gpus, with_cudnn=True):
    calls = []

    def get_device_count():
        calls.append(None)
        return n_gpus

    cupy = types.ModuleType('cupy')
    cuda = types.ModuleType('cupy.cuda')
    cuda.runtime = types.SimpleNamespace(getDeviceCount=get_device_count)
    cupy.cuda = cuda
    monkeypatch.setitem(sys.modules, 'cupy', cupy)
    monkeypatch.setitem(sys.modules, 'cupy.cuda', cuda)
    if with_cudnn:
        cuda.cudnn = types.SimpleNamespace(getVersion=lambda: 8000)
    return calls


def test_detection_with_fake_cupy_is_cached(monkeypatch, fresh_detection):
    calls = _fake_cupy(monkeypatch, 2)
    assert attr._gpu_skip_reason(1) is None
    assert attr._gpu_skip_reason(2) is None
    assert '3 GPU(s) required; 2 found' in attr._gpu_skip_reason(3)
    assert attr._cudnn_skip_reason() is None
    assert len(calls) == 1

    ran = []
    attr.multi_gpu(2)(lambda: ran.append(1))()
    assert ran == [1]


def test_cudnn_missing(monkeypatch, fresh_detection):
    _fake_cupy(monkeypatch, 1, with_cudnn=False)
    assert attr._gpu_skip_reason(1) is None
    assert 'cuDNN' in attr._cudnn_skip_reason()


def test_gpu_limit_env(monkeypatch, fresh_detection):
    _fake_cupy(monkeypatch, 4)
    monkeypatch.setenv('CHAINER_TEST_GPU_LIMIT', '1')
    assert attr._gpu_skip_reason(1) is None
    assert 'limit' in attr._gpu_skip_reason(2)
    monkeypatch.setenv('CHAINER_TEST_GPU_LIMIT', '-1')
    assert attr._gpu_skip_reason(4) is None


def test_lazy_condition_evaluates_on_bool():
    state = {'reason': None}
    cond = attr._LazyCondition(lambda: state['reason'])
    assert not cond
    state['reason'] = 'now missing'
    assert cond


def test_import_does_not_import_cupy(tmp_path):
    # A finder that fails the run if anything tries to import cupy.
    script = textwrap.dedent('''
        import sys

        class Guard(object):
            def find_spec(self, name, path=None, target=None):
                if name.split('.')[0] == 'cupy':
                    raise AssertionError('cupy imported at import time')
                return None

            find_module = None

        sys.meta_path.insert(0, Guard())
        import dynet.testing
        from dynet.testing import attr

        @attr.gpu
        def test_f():
            pass

        @attr.cudnn
        class TestC(object):
            def test_a(self):
                pass

        assert 'cupy' not in sys.modules
        sys.meta_path.pop(0)
        print('ok')
        ''')
    env = dict(os.environ)
    env['PYTHONPATH'] = ROOT + os.pathsep + env.get('PYTHONPATH', '')
    env['PYTEST_DISABLE_PLUGIN_AUTOLOAD'] = '1'  # faster start-up
    proc = subprocess.run([sys.executable, '-c', script], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == 'ok'


# --- under pytest -----------------------------------------------------------

SAMPLE = '''
    import unittest
    import pytest
    from dynet import testing
    from dynet.testing import attr

    @attr.gpu
    def test_gpu_function():
        import cupy  # would fail without CuPy

    class TestMethods(unittest.TestCase):
        def test_cpu(self):
            pass

        @attr.gpu
        def test_gpu(self):
            import cupy

        @attr.multi_gpu(2)
        def test_two_gpus(self):
            import cupy

        @attr.cudnn
        def test_cudnn(self):
            import cupy

        @attr.slow
        def test_slow(self):
            pass

    @attr.gpu
    class TestGpuClass(unittest.TestCase):
        def setUp(self):
            import cupy  # set-up must not run either

        def test_a(self):
            pass

    @attr.multi_gpu(2)
    class TestPlainClass:
        @pytest.fixture(autouse=True)
        def needs_gpu(self):
            import cupy

        def test_a(self):
            pass

    @testing.parameterize({'x': 1}, {'x': 2})
    @attr.cudnn
    class TestParam(unittest.TestCase):
        def test_a(self):
            import cupy

    @attr.slow
    @testing.parameterize({'x': 1})
    class TestSlowParam:
        def test_a(self):
            pass
'''


@pytest.mark.skipif(_cupy_present(), reason='checks the no-CuPy case')
def test_skips_under_pytest(tmp_path):
    outcomes, proc = run_pytest(tmp_path, SAMPLE, '-rs')
    assert proc.returncode == 0, proc.stdout + proc.stderr
    expected = {
        'test_sample::test_gpu_function': 'skipped',
        'TestMethods::test_cpu': 'passed',
        'TestMethods::test_gpu': 'skipped',
        'TestMethods::test_two_gpus': 'skipped',
        'TestMethods::test_cudnn': 'skipped',
        'TestMethods::test_slow': 'passed',
        'TestGpuClass::test_a': 'skipped',
        'TestPlainClass::test_a': 'skipped',
        'TestParam_param_0_{x=1}::test_a': 'skipped',
        'TestParam_param_1_{x=2}::test_a': 'skipped',
        'TestSlowParam_param_0_{x=1}::test_a': 'passed',
    }
    assert outcomes == expected, proc.stdout


def test_deselect_with_marker_expression(tmp_path):
    outcomes, proc = run_pytest(tmp_path, SAMPLE, '-m', 'not gpu and not slow')
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert outcomes == {'TestMethods::test_cpu': 'passed'}, proc.stdout

    outcomes, proc = run_pytest(tmp_path, SAMPLE, '-m', 'slow')
    assert sorted(outcomes) == ['TestMethods::test_slow',
                                'TestSlowParam_param_0_{x=1}::test_a']
    outcomes, proc = run_pytest(tmp_path, SAMPLE, '-m', 'multi_gpu')
    assert sorted(outcomes) == ['TestMethods::test_two_gpus',
                                'TestPlainClass::test_a']


@pytest.mark.skipif(_cupy_present(), reason='checks the no-CuPy case')
def test_skips_under_unittest_runner(tmp_path):
    path = tmp_path / 'test_sample.py'
    path.write_text(textwrap.dedent(SAMPLE))
    env = dict(os.environ)
    env['PYTHONPATH'] = ROOT + os.pathsep + env.get('PYTHONPATH', '')
    env['PYTEST_DISABLE_PLUGIN_AUTOLOAD'] = '1'  # faster start-up
    proc = subprocess.run(
        [sys.executable, '-m', 'unittest', '-v', 'test_sample'],
        cwd=str(tmp_path), env=env, capture_output=True, text=True,
        timeout=60)
    # Unittest ignores marks; the run-time wrappers must skip instead.
    assert proc.returncode == 0, proc.stderr
    assert 'skipped=6' in proc.stderr, proc.stderr
