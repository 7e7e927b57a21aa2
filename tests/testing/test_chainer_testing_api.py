"""A Chainer-style test module run against dynet.

Everything below uses only the documented ``chainer.testing`` (and
``chainer.gradient_check``) API, imported under Chainer's names, the way
an existing Chainer test suite would after ``import dynet as chainer``.
Test-case methods are called with an explicit ``BackendConfig`` where
Chainer requires one.
"""
import os
import subprocess
import sys
import textwrap
import unittest
import warnings
import xml.etree.ElementTree as ElementTree

import numpy
import pytest

import dynet as chainer
from dynet import gradient_check
from dynet import testing
from dynet.testing import attr
from dynet.testing import condition

F = chainer.functions
L = chainer.links

_CPU = testing.BackendConfig({})
_NO_GPU = testing.BackendConfig({'use_cuda': True}).unavailable_reason \
    is not None

# Configurations a CPU-only machine (and dynet, for ChainerX and iDeep)
# cannot run: tests injected with them must be skipped, never failed.
_BACKENDS = [
    {},
    {'use_cuda': True},
    {'use_cuda': True, 'cuda_device': 1, 'use_cudnn': 'always'},
    {'use_chainerx': True, 'chainerx_device': 'native:0'},
    {'use_ideep': 'always'},
]


def _run_unittest(case_class):
    """Runs every test of ``case_class`` with unittest; returns the result.
    """
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(case_class)
    result = unittest.TestResult()
    suite.run(result)
    return result


# ----------------------------------------------------------- parameterize
_seen_params = []


@testing.parameterize(
    {'value': 1, 'name': 'one'},
    {'value': 2, 'name': 'two'},
)
class TestParameterize(unittest.TestCase):

    def test_attributes_are_set(self):
        assert (self.value, self.name) in ((1, 'one'), (2, 'two'))
        _seen_params.append(self.value)


@testing.parameterize(*testing.product({
    'shape': [(2, 3), ()],
    'dtype': [numpy.float32, numpy.float64],
}))
class TestProductParameterize(unittest.TestCase):

    def test_combination(self):
        x = numpy.zeros(self.shape, self.dtype)
        assert x.shape == self.shape and x.dtype == self.dtype


def test_product_and_product_dict():
    combos = testing.product({'a': [1, 2], 'b': ['x', 'y']})
    assert len(combos) == 4
    assert {'a': 1, 'b': 'x'} in combos and {'a': 2, 'b': 'y'} in combos
    joined = testing.product_dict(
        [{'a': 1}, {'a': 2}], [{'b': 3, 'c': 4}])
    assert joined == [{'a': 1, 'b': 3, 'c': 4}, {'a': 2, 'b': 3, 'c': 4}]
    # product also accepts a list of lists of dicts.
    nested = testing.product([[{'a': 1}, {'a': 2}], [{'b': 3}]])
    assert nested == [{'a': 1, 'b': 3}, {'a': 2, 'b': 3}]


def test_parameterized_classes_exist_in_module():
    names = [n for n in globals() if n.startswith('TestParameterize_')]
    assert len(names) == 2


# --------------------------------------------------------------- condition
def test_condition_retry_passes_after_failures():
    calls = []

    class Case(unittest.TestCase):
        @condition.retry(3)
        def test_flaky(self):
            calls.append(None)
            assert len(calls) >= 3

    result = _run_unittest(Case)
    assert result.wasSuccessful(), result.failures
    assert len(calls) == 3


def test_condition_retry_gives_up():
    calls = []

    class Case(unittest.TestCase):
        @condition.retry(2)
        def test_always_fails(self):
            calls.append(None)
            assert False

    result = _run_unittest(Case)
    assert len(result.failures) == 1
    assert len(calls) == 2


def test_condition_repeat_runs_every_time():
    calls = []

    class Case(unittest.TestCase):
        @condition.repeat(4)
        def test_counted(self):
            calls.append(None)

    assert _run_unittest(Case).wasSuccessful()
    assert len(calls) == 4


def test_condition_repeat_fails_on_one_failure():
    calls = []

    class Case(unittest.TestCase):
        @condition.repeat(3)
        def test_fails_second_time(self):
            calls.append(None)
            assert len(calls) != 2

    assert len(_run_unittest(Case).failures) == 1


@pytest.mark.parametrize('failures_allowed,fail_count,ok', [
    (2, 2, True), (2, 3, False)])
def test_condition_repeat_with_success_at_least(
        failures_allowed, fail_count, ok):
    calls = []

    class Case(unittest.TestCase):
        @condition.repeat_with_success_at_least(5, 5 - failures_allowed)
        def test_sometimes(self):
            calls.append(None)
            assert len(calls) > fail_count

    result = _run_unittest(Case)
    assert result.wasSuccessful() == ok


# ---------------------------------------------------------------- markers
class TestMarkers(unittest.TestCase):

    @attr.gpu
    def test_gpu_only(self):
        import cupy  # noqa: F401  (never reached without a GPU)

    @attr.slow
    def test_slow(self):
        assert True


_GENERATED_MODULE = '''
import unittest

import numpy

import dynet as chainer
from dynet import testing
from dynet.testing import attr


class TestMarked(unittest.TestCase):

    @attr.gpu
    def test_gpu(self):
        import cupy
        cupy.zeros(1)

    @attr.multi_gpu(2)
    def test_two_gpus(self):
        import cupy
        cupy.zeros(1)

    @attr.cudnn
    def test_cudnn(self):
        import cupy
        cupy.zeros(1)

    @attr.slow
    def test_slow(self):
        pass

    def test_plain(self):
        pass


@attr.gpu
class TestWholeClassOnGpu(unittest.TestCase):

    def test_a(self):
        import cupy
        cupy.zeros(1)


@testing.inject_backend_tests(None, BACKENDS)
class TestInjected(unittest.TestCase):

    def test_sum(self, backend_config):
        x = backend_config.get_array(numpy.arange(3, dtype=numpy.float32))
        with backend_config:
            y = chainer.functions.sum(x)
        assert float(backend_config.device.send(y.array)) == 3.0


@testing.inject_backend_tests(None, BACKENDS)
class TestReluCase(testing.FunctionTestCase):

    dodge_nondifferentiable = True

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (2, 3)).astype(numpy.float32),

    def forward(self, inputs, device):
        return chainer.functions.relu(inputs[0]),

    def forward_expected(self, inputs):
        return numpy.maximum(inputs[0], 0),
'''


def _outcomes_of(tmp_path, extra_args=()):
    """Runs pytest on the generated module in a subprocess; returns
    {test name: 'passed' | 'failed' | 'skipped'} from its JUnit report."""
    module = _GENERATED_MODULE.replace('BACKENDS', repr(_BACKENDS))
    (tmp_path / 'test_generated.py').write_text(module)
    (tmp_path / 'pytest.ini').write_text(textwrap.dedent('''\
        [pytest]
        markers =
            gpu: needs a GPU
            cudnn: needs cuDNN
            slow: slow
        '''))
    report = tmp_path / 'report.xml'
    root = os.path.dirname(os.path.dirname(os.path.abspath(
        chainer.__file__)))
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        [root] + [p for p in [env.get('PYTHONPATH')] if p])
    env.pop('DYNET_TEST_GPU_LIMIT', None)
    env.pop('CHAINER_TEST_GPU_LIMIT', None)
    proc = subprocess.run(
        [sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider',
         '--junitxml', str(report), 'test_generated.py'] + list(extra_args),
        cwd=str(tmp_path), env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, universal_newlines=True, timeout=300)
    assert report.exists(), proc.stdout
    outcomes = {}
    for case in ElementTree.parse(str(report)).getroot().iter('testcase'):
        name = '{}::{}'.format(case.get('classname').split('.')[-1],
                               case.get('name'))
        if case.find('skipped') is not None:
            outcomes[name] = 'skipped'
        elif case.find('failure') is not None or \
                case.find('error') is not None:
            outcomes[name] = 'failed'
        else:
            outcomes[name] = 'passed'
    return outcomes, proc


def _by_outcome(outcomes, kind):
    return sorted(n for n, o in outcomes.items() if o == kind)


@pytest.mark.skipif(not _NO_GPU, reason='checks the CPU-only outcome')
def test_gpu_marked_and_injected_tests_are_skipped(tmp_path):
    outcomes, proc = _outcomes_of(tmp_path)
    assert _by_outcome(outcomes, 'failed') == [], proc.stdout
    assert _by_outcome(outcomes, 'passed') == [
        'TestInjected::test_sum__0_numpy',
        'TestMarked::test_plain',
        'TestMarked::test_slow',
        'TestReluCase::test_backward__0_numpy',
        'TestReluCase::test_double_backward__0_numpy',
        'TestReluCase::test_forward__0_numpy',
    ], proc.stdout
    skipped = _by_outcome(outcomes, 'skipped')
    for name in ('TestMarked::test_gpu', 'TestMarked::test_two_gpus',
                 'TestMarked::test_cudnn', 'TestWholeClassOnGpu::test_a'):
        assert name in skipped
    # Four unavailable configurations for each injected test.
    assert len([n for n in skipped if n.startswith('TestInjected')]) == 4
    assert len([n for n in skipped if n.startswith('TestReluCase')]) == 12
    assert len(outcomes) == 6 + 4 + 4 + 12


def test_marker_expressions_deselect(tmp_path):
    outcomes, proc = _outcomes_of(tmp_path, ['-m', 'not slow and not gpu'])
    assert 'TestMarked::test_slow' not in outcomes
    assert 'TestMarked::test_gpu' not in outcomes
    assert not any('cupy' in n for n in outcomes), sorted(outcomes)
    assert outcomes['TestMarked::test_plain'] == 'passed'
    assert 'deselected' in proc.stdout


# -------------------------------------------------------- inject_backend
@testing.inject_backend_tests(['test_get_array'], _BACKENDS)
class TestInjectBackendTests(unittest.TestCase):

    def test_get_array(self, backend_config):
        x = backend_config.get_array(numpy.ones((2,), numpy.float32))
        assert backend_config.device.xp is backend_config.xp
        with backend_config:
            y = F.relu(chainer.Variable(x))
        assert isinstance(y.array, type(x))

    def test_not_injected(self):
        assert True


def test_inject_backend_tests_names():
    names = [n for n in dir(TestInjectBackendTests)
             if n.startswith('test_get_array')]
    assert len(names) == len(_BACKENDS)
    assert 'test_not_injected' in dir(TestInjectBackendTests)


# -------------------------------------------------------------- assertions
def test_assert_allclose():
    x = numpy.array([1.0, 2.0, 3.0], numpy.float32)
    testing.assert_allclose(x, x + 1e-6)
    testing.assert_allclose(x, x + 0.05, atol=0.1, rtol=0)
    testing.assert_allclose(1.0, numpy.float64(1.0))
    with pytest.raises(AssertionError):
        testing.assert_allclose(x, x + 1)
    with pytest.raises(AssertionError):
        testing.assert_allclose(x, x + 0.05, atol=0.01, rtol=0,
                                verbose=False)


def test_assert_warns():
    with testing.assert_warns(DeprecationWarning):
        warnings.warn('old', DeprecationWarning)
    with pytest.raises(AssertionError):
        with testing.assert_warns(UserWarning):
            pass


# ------------------------------------------------------------------ random
def test_fix_random_function():
    @testing.fix_random()
    def draw():
        return numpy.random.rand(3), chainer.functions.dropout(
            numpy.ones((50,), numpy.float32), 0.5).array

    first = draw()
    second = draw()
    numpy.testing.assert_array_equal(first[0], second[0])
    numpy.testing.assert_array_equal(first[1], second[1])


def test_fix_random_class():
    draws = []

    @testing.fix_random()
    class Case(unittest.TestCase):
        def setUp(self):
            self.x = numpy.random.rand(2)

        def test_a(self):
            draws.append((self.x.copy(), numpy.random.rand(2)))

    for _ in range(2):
        assert _run_unittest(Case).wasSuccessful()
    numpy.testing.assert_array_equal(draws[0][0], draws[1][0])
    numpy.testing.assert_array_equal(draws[0][1], draws[1][1])


def test_generate_seed_inside_fix_random():
    @testing.fix_random()
    def seeds():
        return testing.generate_seed(), testing.generate_seed()

    first = seeds()
    assert first == seeds()
    assert all(isinstance(seed, int) for seed in first)


# -------------------------------------------------------------- requires
def test_with_requires_and_without_requires():
    class Case(unittest.TestCase):
        @testing.with_requires('numpy>=1.0')
        def test_runs(self):
            pass

        @testing.with_requires('numpy<1.0')
        def test_too_new(self):
            pass

        @testing.with_requires('surely-not-installed-dist-zzz')
        def test_missing(self):
            pass

        @testing.without_requires('surely-not-installed-dist-zzz')
        def test_absent_ok(self):
            pass

        @testing.without_requires('numpy')
        def test_present(self):
            pass

    result = _run_unittest(Case)
    assert result.wasSuccessful()
    assert sorted(t.id().split('.')[-1] for t, _ in result.skipped) == [
        'test_missing', 'test_present', 'test_too_new']


# ------------------------------------------------------------- serializer
def _linear_pair():
    src = L.Linear(3, 2)
    dst = L.Linear(3, 2)
    dst.W.array[...] = 0
    dst.b.array[...] = 5
    return src, dst


def test_save_and_load_npz():
    src, dst = _linear_pair()
    testing.save_and_load_npz(src, dst)
    testing.assert_allclose(dst.W.array, src.W.array, atol=0, rtol=0)
    testing.assert_allclose(dst.b.array, src.b.array, atol=0, rtol=0)


@testing.with_requires('h5py')
def test_save_and_load_hdf5():
    src, dst = _linear_pair()
    testing.save_and_load_hdf5(src, dst)
    testing.assert_allclose(dst.W.array, src.W.array, atol=0, rtol=0)


# ---------------------------------------------------------------- training
def test_get_trainer_with_mock_updater(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    seen = []
    trainer = testing.get_trainer_with_mock_updater(
        stop_trigger=(2, 'epoch'), iter_per_epoch=5)
    trainer.extend(lambda t: seen.append(t.updater.epoch), name='epochs',
                   trigger=(1, 'epoch'))
    trainer.run()
    assert trainer.updater.iteration == 10
    assert seen == [1, 2]


# ------------------------------------------------------------------- patch
def test_patch_wraps_by_default():
    with testing.patch('numpy.linalg.norm') as norm:
        value = numpy.linalg.norm(numpy.array([3.0, 4.0]))
    assert value == 5.0
    assert norm.call_count == 1
    with testing.patch('numpy.linalg.norm', return_value=7):
        assert numpy.linalg.norm(numpy.array([3.0, 4.0])) == 7


# ---------------------------------------------------------- gradient_check
def _random(*shape):
    return numpy.random.uniform(-1, 1, shape).astype(numpy.float32)


class _WrongSquare(chainer.FunctionNode):
    """y = x ** 2 with a wrong backward (x instead of 2x)."""

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        return x * x,

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * x,


def _wrong_square(x):
    return _WrongSquare().apply((x,))[0]


def test_check_backward_accepts_chainer_arguments():
    x, w, gy = _random(2, 3), _random(4, 3), _random(2, 4)
    gradient_check.check_backward(
        F.linear, (x, w), gy, eps=1e-3, atol=1e-3, rtol=1e-3,
        no_grads=[False, True], dtype=numpy.float64,
        detect_nondifferentiable=False)
    gradient_check.check_double_backward(
        lambda a: F.sin(a), x, _random(2, 3), _random(2, 3), eps=1e-3,
        atol=1e-3, rtol=1e-3, no_grads=None, dtype=numpy.float64,
        detect_nondifferentiable=True)
    # A loss (single 0-dim output) needs no y_grad.
    gradient_check.check_backward(lambda a: F.sum(a * a), x, None,
                                  dtype=numpy.float64)


def test_check_backward_with_params():
    link = L.Linear(3, 2)
    x = _random(4, 3)
    gradient_check.check_backward(
        link, x, _random(4, 2), params=(link.W, link.b), atol=1e-3,
        rtol=1e-3, dtype=numpy.float64)


def test_check_backward_wrong_gradient_fails():
    x = _random(3)
    with pytest.raises(AssertionError) as info:
        gradient_check.check_backward(_wrong_square, x, _random(3),
                                      dtype=numpy.float64)
    message = str(info.value)
    assert 'numerical' in message and 'analytic' in message


def test_check_double_backward_wrong_gradient_fails():
    x = _random(3)
    with pytest.raises(AssertionError):
        # The second-order check differentiates the wrong backward.
        gradient_check.check_double_backward(
            lambda a: F.sum(_wrong_square(a) * a), x, None, _random(3),
            dtype=numpy.float64)


def test_check_backward_nondifferentiable_detected():
    with pytest.raises(gradient_check.NondifferentiableError):
        gradient_check.check_backward(
            F.relu, numpy.zeros((3,), numpy.float32), _random(3),
            detect_nondifferentiable=True)


def test_numerical_grad():
    x = _random(3)
    gx, = gradient_check.numerical_grad(
        lambda: (x * x,), (x,), (numpy.ones(3, numpy.float32),), eps=1e-3)
    testing.assert_allclose(gx, 2 * x, atol=1e-2, rtol=1e-2)


# -------------------------------------------------------- FunctionTestCase
@testing.inject_backend_tests(None, _BACKENDS)
class TestReLU(testing.FunctionTestCase):

    dodge_nondifferentiable = True

    def generate_inputs(self):
        return _random(3, 2),

    def forward(self, inputs, device):
        x, = inputs
        return F.relu(x),

    def forward_expected(self, inputs):
        x, = inputs
        expected = x.copy()
        expected[expected < 0] = 0
        return expected,


@testing.parameterize(*testing.product({
    'nobias': [True, False],
    'dtype': [numpy.float16, numpy.float32],
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestLinearFunction(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options.update({'atol': 1e-2, 'rtol': 1e-2})
            self.check_backward_options.update({'atol': 5e-2, 'rtol': 5e-2})
            self.check_double_backward_options.update(
                {'atol': 5e-2, 'rtol': 5e-2})

    def generate_inputs(self):
        x = _random(4, 3).astype(self.dtype)
        W = _random(2, 3).astype(self.dtype)
        if self.nobias:
            return x, W
        return x, W, _random(2).astype(self.dtype)

    def forward(self, inputs, device):
        return F.linear(*inputs),

    def forward_expected(self, inputs):
        x, W = inputs[:2]
        y = x.dot(W.T)
        if not self.nobias:
            y = y + inputs[2]
        return y.astype(self.dtype),


def test_function_test_case_wrong_gradient_fails():
    class TestWrong(testing.FunctionTestCase):
        def generate_inputs(self):
            return _random(2, 3),

        def forward(self, inputs, device):
            return _wrong_square(inputs[0]),

        def forward_expected(self, inputs):
            return inputs[0] * inputs[0],

    case = TestWrong('test_forward')
    case.test_forward(_CPU)  # the values are right
    with pytest.raises(AssertionError):
        TestWrong('test_backward').test_backward(_CPU)
    with pytest.raises(testing.FunctionTestError):
        TestWrong('test_backward').test_backward(_CPU)


def test_function_test_case_wrong_forward_fails():
    class TestWrong(testing.FunctionTestCase):
        def generate_inputs(self):
            return _random(2, 3),

        def forward(self, inputs, device):
            return F.relu(inputs[0]),

        def forward_expected(self, inputs):
            return inputs[0],

    with pytest.raises(AssertionError):
        TestWrong('test_forward').test_forward(_CPU)


# ------------------------------------------------------------ LinkTestCase
class _LinearLinkBase(object):

    param_names = ('W', 'b')

    def generate_params(self):
        return _random(3, 2), _random(3)

    def create_link(self, initializers):
        initialW, initial_bias = initializers
        return L.Linear(2, 3, initialW=initialW, initial_bias=initial_bias)

    def generate_inputs(self):
        return _random(4, 2),

    def forward(self, link, inputs, device):
        x, = inputs
        return link(x),

    def forward_expected(self, link, inputs):
        x, = inputs
        return x.dot(link.W.array.T) + link.b.array,


@testing.inject_backend_tests(None, _BACKENDS)
class TestLinearLink(_LinearLinkBase, testing.LinkTestCase):

    def setUp(self):
        self.check_backward_options = {'atol': 1e-3, 'rtol': 1e-3}


@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestConvolution2DLink(testing.LinkTestCase):

    param_names = ('W', 'b')

    def setUp(self):
        self.check_forward_options = {'atol': 1e-4, 'rtol': 1e-4}
        self.check_backward_options = {'atol': 1e-3, 'rtol': 1e-3}

    def generate_params(self):
        return _random(2, 1, 2, 2), _random(2)

    def create_link(self, initializers):
        initialW, initial_bias = initializers
        return L.Convolution2D(1, 2, ksize=2, stride=1, pad=0,
                               initialW=initialW, initial_bias=initial_bias)

    def generate_inputs(self):
        return _random(1, 1, 3, 3),

    def forward_expected(self, link, inputs):
        x, = inputs
        W, b = link.W.array, link.b.array
        y = numpy.empty((1, 2, 2, 2), numpy.float32)
        for i in range(2):
            for j in range(2):
                window = x[0, 0, i:i + 2, j:j + 2]
                for c in range(2):
                    y[0, c, i, j] = (window * W[c, 0]).sum() + b[c]
        return y,


def test_link_test_case_wrong_gradient_fails():
    class SquareLink(chainer.Link):
        def __init__(self, initial):
            super(SquareLink, self).__init__()
            with self.init_scope():
                self.p = chainer.Parameter(initial)

        def forward(self, x):
            return x * _wrong_square(self.p)

    class TestWrongLink(testing.LinkTestCase):
        param_names = ('p',)

        def generate_params(self):
            return _random(3),

        def create_link(self, initializers):
            return SquareLink(*initializers)

        def generate_inputs(self):
            return _random(3),

        def forward_expected(self, link, inputs):
            return inputs[0] * link.p.array ** 2,

    TestWrongLink('test_forward').test_forward(_CPU)
    with pytest.raises(AssertionError):
        TestWrongLink('test_backward').test_backward(_CPU)
    with pytest.raises(testing.LinkTestError):
        TestWrongLink('test_backward').test_backward(_CPU)

    # Without 'p' in param_names only the (right) input gradient is
    # checked. Unlisted parameters are not cast to numerical_grad_dtype, so
    # the numerical pass keeps the link's dtype here.
    class TestInputsOnly(TestWrongLink):
        param_names = ()
        numerical_grad_dtype = numpy.float32

        def setUp(self):
            self.check_backward_options = {'atol': 1e-3, 'rtol': 1e-3}
    TestInputsOnly('test_backward').test_backward(_CPU)


# ------------------------------------------------ LinkInitializersTestCase
@testing.inject_backend_tests(None, _BACKENDS)
class TestLinearInitializers(_LinearLinkBase,
                             testing.LinkInitializersTestCase):

    param_names = ['W', 'b']

    def get_initializers(self):
        initialW = [chainer.initializers.Constant(1), 2,
                    numpy.full((3, 2), 0.5, numpy.float32)]
        initial_bias = [chainer.initializers.Constant(2), 3,
                        testing.InitializerArgument(None, 0)]
        return initialW, initial_bias


def test_link_initializers_test_case_detects_wrong_initialization():
    class TestWrongDefault(_LinearLinkBase,
                           testing.LinkInitializersTestCase):
        def get_initializers(self):
            # Linear's bias defaults to zero, not to one.
            return [], [testing.InitializerArgument(None, 1)]

    with pytest.raises(AssertionError):
        TestWrongDefault('test_initializers').test_initializers(_CPU)
