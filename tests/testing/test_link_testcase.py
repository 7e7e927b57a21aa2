"""Tests of LinkTestCase, LinkInitializersTestCase and the shared machinery
of the declarative test cases (FunctionTestCase included)."""
import unittest

import numpy
import pytest

import dynet
from dynet import functions as F
from dynet import initializers
from dynet import links as L
from dynet import testing
from dynet.link import Link
from dynet.variable import Parameter


def _run_case(case_class, name):
    """Runs one test method of a declarative case outside pytest's own
    collection; returns the unittest result."""
    result = unittest.TestResult()
    case_class(name).run(result)
    return result


def _single_error(result):
    problems = result.errors + result.failures
    assert len(problems) == 1, (result.errors, result.failures)
    return problems[0][1]


# ----------------------------------------------------- a Linear under test
class _LinearSetup:

    in_size = 3
    out_size = 2
    dtype = numpy.float32
    param_names = ('W', 'b')

    def generate_params(self):
        W = numpy.random.uniform(
            -1, 1, (self.out_size, self.in_size)).astype(self.dtype)
        b = numpy.random.uniform(-1, 1, (self.out_size,)).astype(self.dtype)
        return W, b

    def create_link(self, initializers):
        W, b = initializers
        with dynet.using_config('dtype', self.dtype):
            return L.Linear(self.in_size, self.out_size, initialW=W,
                            initial_bias=b)

    def generate_inputs(self):
        return numpy.random.uniform(
            -1, 1, (4, self.in_size)).astype(self.dtype),

    def forward_expected(self, link, inputs):
        x, = inputs
        return (x.dot(link.W.array.T) + link.b.array).astype(self.dtype),


@testing.parameterize(*testing.product({
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
    'contiguous': [None, 'C'],
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestLinearLinkCase(_LinearSetup, testing.LinkTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options.update({'atol': 1e-2, 'rtol': 1e-2})
            self.check_backward_options.update({'atol': 5e-2, 'rtol': 5e-2})


class TestLazyLinear(_LinearSetup, testing.LinkTestCase):
    """``Linear(None, n)``: the parameter shape comes from the first
    forward; backward must see the initialized W."""

    def create_link(self, initializers):
        W, b = initializers
        return L.Linear(None, self.out_size, initialW=W, initial_bias=b)

    def generate_params(self):
        return initializers.Constant(0.5), 0.25


@testing.inject_backend_tests(None, [{}])
class TestConvolution2DLinkCase(testing.LinkTestCase):

    param_names = ('W', 'b')

    def setUp(self):
        self.check_backward_options = {'atol': 1e-3, 'rtol': 1e-3}

    def generate_params(self):
        W = numpy.random.uniform(-1, 1, (2, 3, 2, 2)).astype(numpy.float32)
        b = numpy.random.uniform(-1, 1, (2,)).astype(numpy.float32)
        return W, b

    def create_link(self, initializers):
        W, b = initializers
        return L.Convolution2D(3, 2, 2, initialW=W, initial_bias=b)

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (2, 3, 4, 4)).astype(
            numpy.float32),

    def forward_expected(self, link, inputs):
        x, = inputs
        W = link.W.array
        b = link.b.array
        out = numpy.zeros((2, 2, 3, 3), numpy.float64)
        for i in range(3):
            for j in range(3):
                patch = x[:, :, i:i + 2, j:j + 2]
                out[:, :, i, j] = numpy.tensordot(
                    patch, W, axes=([1, 2, 3], [1, 2, 3]))
        return (out + b[None, :, None, None]).astype(numpy.float32),


# -------------------------------------------------- a deliberately bad link
class _WrongGradient(Link):
    """y = x * W, whose backward for W is off by a factor of 2."""

    def __init__(self, initialW):
        super().__init__()
        with self.init_scope():
            self.W = Parameter(initializers._get_initializer(initialW), (3,))

    def forward(self, x):
        from dynet.function_node import FunctionNode

        class Mul(FunctionNode):
            def forward(self, inputs):
                self.retain_inputs((0, 1))
                a, w = inputs
                return a * w,

            def backward(self, indexes, grad_outputs):
                a, w = self.get_retained_inputs()
                gy, = grad_outputs
                return gy * w, gy * a * 2

        return Mul().apply((x, self.W))[0]


class _BadLinkCase(testing.LinkTestCase):
    __test__ = False  # fails on purpose; run by the tests below
    param_names = ('W',)

    def generate_params(self):
        return numpy.random.uniform(-1, 1, (3,)).astype(numpy.float32),

    def create_link(self, initializers):
        return _WrongGradient(initializers[0])

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (3,)).astype(numpy.float32),

    def forward_expected(self, link, inputs):
        return inputs[0] * link.W.array,


def test_wrong_parameter_gradient_fails_backward():
    error = _single_error(_run_case(_BadLinkCase, 'test_backward'))
    assert 'LinkTestError' in error
    assert 'backward is not implemented correctly' in error
    assert 'params[0]' in error


def test_wrong_parameter_gradient_passes_when_param_not_listed():
    # Only the parameters named in param_names are checked.
    class Case(_BadLinkCase):
        param_names = ()
        __test__ = False
    result = _run_case(Case, 'test_backward')
    assert result.wasSuccessful(), result.failures + result.errors


def test_forward_mismatch_raises_link_test_error():
    class Case(_LinearSetup, testing.LinkTestCase):
        def forward_expected(self, link, inputs):
            y, = super().forward_expected(link, inputs)
            return y + 1,
    with pytest.raises(testing.LinkTestError) as info:
        Case('test_forward').test_forward()
    assert 'output 0: values differ' in str(info.value)
    assert isinstance(info.value, AssertionError)


def test_forward_shape_mismatch():
    class Case(_LinearSetup, testing.LinkTestCase):
        def forward_expected(self, link, inputs):
            y, = super().forward_expected(link, inputs)
            return y[:1],
    with pytest.raises(testing.LinkTestError, match='shape'):
        Case('test_forward').test_forward()


def test_forward_count_mismatch():
    class Case(_LinearSetup, testing.LinkTestCase):
        def forward_expected(self, link, inputs):
            y, = super().forward_expected(link, inputs)
            return y, y
    with pytest.raises(testing.LinkTestError, match='2'):
        Case('test_forward').test_forward()


def test_forward_expected_sees_cpu_link_and_numpy_inputs():
    seen = {}

    class Case(_LinearSetup, testing.LinkTestCase):
        def forward_expected(self, link, inputs):
            seen['device'] = link.device
            seen['types'] = [type(x) for x in inputs]
            return super().forward_expected(link, inputs)
    Case('test_forward').test_forward()
    assert str(seen['device']) == str(testing.BackendConfig({}).device)
    assert seen['types'] == [numpy.ndarray]


def test_unknown_param_name():
    class Case(_LinearSetup, testing.LinkTestCase):
        param_names = ('W', 'gamma')
    with pytest.raises(testing.LinkTestError, match='gamma'):
        Case('test_backward').test_backward()


def test_dotted_param_name_reaches_child_link():
    from dynet.link import Chain

    class Wrapper(Chain):
        def __init__(self, inner):
            super().__init__()
            with self.init_scope():
                self.inner = inner

        def forward(self, x):
            return self.inner(x)

    class Case(_LinearSetup, testing.LinkTestCase):
        param_names = ('inner.W', 'inner.b')

        def create_link(self, initializers):
            return Wrapper(super().create_link(initializers))

        def forward_expected(self, link, inputs):
            return super().forward_expected(link.inner, inputs)
    Case('test_backward').test_backward()
    Case('test_forward').test_forward()


def test_create_link_must_return_link():
    class Case(_LinearSetup, testing.LinkTestCase):
        def create_link(self, initializers):
            return object()
    with pytest.raises(TypeError, match='Link'):
        Case('test_forward').test_forward()


def test_generate_params_must_be_sequence():
    class Case(_LinearSetup, testing.LinkTestCase):
        def generate_params(self):
            return 'W'
    with pytest.raises(TypeError, match='generate_params'):
        Case('test_forward').test_forward()


def test_generate_inputs_must_be_numpy():
    class Case(_LinearSetup, testing.LinkTestCase):
        def generate_inputs(self):
            return [[1.0, 2.0, 3.0]],
    with pytest.raises(TypeError, match='generate_inputs'):
        Case('test_forward').test_forward()


def test_forward_must_return_variables():
    class Case(_LinearSetup, testing.LinkTestCase):
        def forward(self, link, inputs, device):
            return link(*inputs).array,
    with pytest.raises(testing.LinkTestError, match='not a Variable'):
        Case('test_forward').test_forward()


def test_skip_flags_and_before_test():
    calls = []

    class Case(_LinearSetup, testing.LinkTestCase):
        skip_forward_test = True
        skip_backward_test = True

        def before_test(self, test_name):
            calls.append((test_name, self.test_name,
                          self.backend_config is not None))
    for name in ('test_forward', 'test_backward'):
        result = _run_case(Case, name)
        assert len(result.skipped) == 1
    assert calls == [('test_forward', 'test_forward', True),
                     ('test_backward', 'test_backward', True)]


def test_before_test_can_skip():
    class Case(_LinearSetup, testing.LinkTestCase):
        def before_test(self, test_name):
            if test_name == 'test_backward':
                raise unittest.SkipTest('no backward here')
    assert len(_run_case(Case, 'test_backward').skipped) == 1
    assert _run_case(Case, 'test_forward').wasSuccessful()


def test_backward_sees_noncontiguous_arrays_unless_c():
    seen = []

    class Case(_LinearSetup, testing.LinkTestCase):
        def forward(self, link, inputs, device):
            seen.append((inputs[0].array.flags.c_contiguous,
                         link.W.array.flags.c_contiguous))
            return link(*inputs),

    Case('test_backward').test_backward()
    # The pass computing the analytic gradients sees both non-contiguous.
    assert (False, False) in seen
    seen.clear()

    class CaseC(Case):
        contiguous = 'C'
    CaseC('test_backward').test_backward()
    assert all(s == (True, True) for s in seen)


def test_invalid_contiguous_value():
    class Case(_LinearSetup, testing.LinkTestCase):
        contiguous = 'F'
    with pytest.raises(ValueError, match='contiguous'):
        Case('test_forward').test_forward()


def test_dodge_nondifferentiable_redraws():
    draws = []

    class Case(testing.LinkTestCase):
        param_names = ()
        dodge_nondifferentiable = True

        def generate_params(self):
            return ()

        def create_link(self, initializers):
            class ReLU(Link):
                def forward(self, x):
                    return F.relu(x)
            return ReLU()

        def generate_inputs(self):
            # The first draw sits on the kink of relu.
            draws.append(None)
            if len(draws) <= 2:
                return numpy.zeros((3,), numpy.float32),
            return numpy.full((3,), 0.5, numpy.float32),

    Case('test_backward').test_backward()
    assert len(draws) >= 3


def test_options_do_not_leak_between_instances():
    class Case(_LinearSetup, testing.LinkTestCase):
        pass
    first = Case('test_forward')
    first.check_forward_options.update({'atol': 123})
    second = Case('test_forward')
    assert second.check_forward_options == {}
    assert testing.LinkTestCase.check_forward_options == {}


def test_class_level_options_are_kept():
    class Case(_LinearSetup, testing.LinkTestCase):
        check_backward_options = {'atol': 1e-2}
    case = Case('test_backward')
    assert case.check_backward_options == {'atol': 1e-2}
    case.check_backward_options['rtol'] = 1
    assert Case.check_backward_options == {'atol': 1e-2}


def test_base_classes_are_not_collected():
    for base in (testing.FunctionTestCase, testing.LinkTestCase,
                 testing.LinkInitializersTestCase):
        assert base.__test__ is False

    class Sub(testing.LinkTestCase):
        pass
    assert Sub.__test__ is True


def test_injected_gpu_config_is_skipped_without_gpu():
    names = sorted(n for n in dir(TestLinearInitializers)
                   if n.startswith('test_initializers__'))
    assert names == ['test_initializers__0_numpy',
                     'test_initializers__1_cupy']
    if testing.BackendConfig({'use_cuda': True}).unavailable_reason is None:
        pytest.skip('a GPU is available here')
    case = TestLinearInitializers('test_initializers__1_cupy')
    with pytest.raises(pytest.skip.Exception):
        case.test_initializers__1_cupy()


# ---------------------------------------------- LinkInitializersTestCase
def _fill_with_index(array):
    """A plain callable initializer."""
    array[...] = numpy.arange(array.size).reshape(array.shape)


class _LinearInitSetup(_LinearSetup):
    def get_initializers(self):
        W = [initializers.Constant(1), 2.5,
             numpy.full((2, 3), 0.75, numpy.float32),
             _fill_with_index]
        b = [initializers.Constant(2), 3,
             testing.InitializerArgument(None, 0)]
        return W, b


@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestLinearInitializers(_LinearInitSetup,
                             testing.LinkInitializersTestCase):
    pass


class TestLazyLinearInitializers(_LinearInitSetup,
                                 testing.LinkInitializersTestCase):

    def create_link(self, initializers):
        W, b = initializers
        return L.Linear(None, self.out_size, initialW=W, initial_bias=b)


class TestConvolution2DInitializers(testing.LinkInitializersTestCase):
    param_names = ('W', 'b')

    def generate_params(self):
        return initializers.Constant(0.1), initializers.Constant(0.2)

    def create_link(self, initializers):
        W, b = initializers
        return L.Convolution2D(3, 2, 2, initialW=W, initial_bias=b)

    def generate_inputs(self):
        return numpy.ones((1, 3, 3, 3), numpy.float32),

    def get_initializers(self):
        return ([initializers.One(), -1.5],
                [testing.InitializerArgument(None, 0), initializers.Zero()])


def test_initializers_detects_wrong_default():
    class Case(_LinearSetup, testing.LinkInitializersTestCase):
        def get_initializers(self):
            # The bias defaults to 0, not 1.
            return [], [testing.InitializerArgument(None, 1)]
    error = _single_error(_run_case(Case, 'test_initializers'))
    assert 'LinkTestError' in error and "'b'" in error


def test_initializers_detects_ignored_argument():
    class Case(_LinearSetup, testing.LinkInitializersTestCase):
        def create_link(self, initializers):
            # Ignores initialW.
            return L.Linear(self.in_size, self.out_size, initialW=0.5)

        def get_initializers(self):
            return [2.0], []
    with pytest.raises(testing.LinkTestError, match='values differ'):
        Case('test_initializers').test_initializers()


def test_initializers_checks_lazily_initialized_parameter():
    class Case(_LinearSetup, testing.LinkInitializersTestCase):
        def create_link(self, initializers):
            W, b = initializers
            # Ignores initialW once the input size is known.
            return L.Linear(None, self.out_size, initial_bias=b)

        def get_initializers(self):
            return [initializers.Constant(3)], []
    with pytest.raises(testing.LinkTestError, match="'W'"):
        Case('test_initializers').test_initializers()


def test_initializers_reject_bare_none():
    class Case(_LinearSetup, testing.LinkInitializersTestCase):
        def get_initializers(self):
            return [None], []
    with pytest.raises(ValueError, match='InitializerArgument'):
        Case('test_initializers').test_initializers()


@pytest.mark.parametrize('value', ['W', [1, 2], [[object()]]])
def test_initializers_bad_structure(value):
    class Case(_LinearSetup, testing.LinkInitializersTestCase):
        def get_initializers(self):
            return value
    with pytest.raises(TypeError):
        Case('test_initializers').test_initializers()


def test_initializers_before_test_name():
    names = []

    class Case(_LinearInitSetup, testing.LinkInitializersTestCase):
        def before_test(self, test_name):
            names.append(test_name)
    Case('test_initializers').test_initializers()
    assert names == ['test_initializers']


def test_initializer_argument():
    arg = testing.InitializerArgument(None, 0)
    assert arg.argument_value is None and arg.expected_initializer == 0
    with pytest.raises(ValueError):
        testing.InitializerArgument(None, None)
    with pytest.raises(TypeError):
        testing.InitializerArgument(None, object())


def test_initializer_argument_in_generate_params_is_unwrapped():
    received = []

    class Case(_LinearSetup, testing.LinkTestCase):
        def generate_params(self):
            W, _ = super().generate_params()
            return W, testing.InitializerArgument(None, 0)

        def create_link(self, initializers):
            received.append(initializers[1])
            return super().create_link(initializers)
    Case('test_forward').test_forward()
    Case('test_backward').test_backward()
    assert received and all(r is None for r in received)


# ------------------------------------------- FunctionTestCase additions
class _ReluCase(testing.FunctionTestCase):
    __test__ = False
    dodge_nondifferentiable = True

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (2, 3)).astype(numpy.float32),

    def forward(self, inputs, device):
        return F.relu(inputs[0]),

    def forward_expected(self, inputs):
        return numpy.maximum(inputs[0], 0),


def test_function_case_wraps_backward_failure():
    class Bad(_ReluCase):
        def forward(self, inputs, device):
            x, = inputs
            # Right values, gradient scaled by 3 in the backward pass.
            return F.relu(x) * 3 - F.relu(x).array * 2,
    with pytest.raises(testing.FunctionTestError,
                       match='backward is not implemented correctly'):
        Bad('test_backward').test_backward()


def test_function_case_check_forward_outputs_override():
    seen = []

    class Case(_ReluCase):
        def check_forward_outputs(self, outputs, expected_outputs):
            seen.append((type(outputs), len(outputs)))
            super().check_forward_outputs(outputs, expected_outputs)
    Case('test_forward').test_forward()
    assert seen == [(tuple, 1)]


def test_function_case_detects_modified_inputs():
    class Case(_ReluCase):
        def forward(self, inputs, device):
            x, = inputs
            y = F.relu(x)
            x.array[...] = 0
            return y,
    with pytest.raises(testing.FunctionTestError, match='modified'):
        Case('test_forward').test_forward()

    class CaseC(Case):
        contiguous = 'C'
    with pytest.raises(testing.FunctionTestError, match='modified'):
        CaseC('test_forward').test_forward()


def test_function_case_accepts_numpy_scalar_expected():
    class Case(testing.FunctionTestCase):
        def generate_inputs(self):
            return numpy.random.uniform(-1, 1, (3,)).astype(numpy.float32),

        def forward(self, inputs, device):
            return F.sum(inputs[0]),

        def forward_expected(self, inputs):
            return inputs[0].sum(),
    Case('test_forward').test_forward()


def test_function_case_sets_test_name():
    names = []

    class Case(_ReluCase):
        def before_test(self, test_name):
            names.append((test_name, self.test_name))
    for name in ('test_forward', 'test_backward', 'test_double_backward'):
        getattr(Case(name), name)()
    assert names == [(n, n) for n in ('test_forward', 'test_backward',
                                      'test_double_backward')]


def test_case_errors_are_assertion_errors():
    for cls in (testing.FunctionTestError, testing.LinkTestError):
        assert issubclass(cls, AssertionError)
        with pytest.raises(cls, match='boom'):
            cls.check(False, 'boom')
        cls.check(True, 'fine')
        with pytest.raises(cls, match='wrapped') as info:
            with cls.raise_if_fail('wrapped'):
                raise AssertionError('inner')
        assert 'inner' in str(info.value)
        assert isinstance(info.value.__cause__, AssertionError)
