"""Declarative tests of functions and links (``chainer.testing`` protocol).

``FunctionTestCase``
    A subclass defines ``generate_inputs`` (NumPy arrays), ``forward`` (the
    function under test on Variables) and ``forward_expected`` (an
    independent NumPy reference); it gets ``test_forward``,
    ``test_backward`` and ``test_double_backward``.

``LinkTestCase``
    A subclass defines ``generate_params`` (initializer-likes),
    ``create_link(initializers)``, ``generate_inputs``, optionally
    ``forward(link, inputs, device)``, and ``forward_expected(link,
    inputs)``; it gets ``test_forward`` and ``test_backward``, the latter
    checking the gradients of the inputs and of the parameters named in
    ``param_names``.

``LinkInitializersTestCase``
    Same set-up as ``LinkTestCase`` plus ``get_initializers()``; its
    ``test_initializers`` builds the link with each listed initializer and
    checks the parameter against what the initializer itself produces.

Decorated with ``inject_backend_tests``, each test runs once per backend;
undecorated, it runs on NumPy. The three base classes are not collected
by pytest themselves (importing one into a test module is harmless); their
subclasses are.
"""
import contextlib
import numbers
import unittest

import numpy

from dynet import backend
from dynet import gradient_check
from dynet import initializers as initializers_module
from dynet.testing.backend import BackendConfig, _make_noncontiguous
from dynet.variable import Variable

_CPU = BackendConfig({})

# Inputs are regenerated at most this many times when the numerical
# gradient meets a non-differentiable point (``dodge_nondifferentiable``).
_MAX_DODGE_TRIES = 10


# ----------------------------------------------------------------- errors
class _CaseError(AssertionError):
    """Base of the errors raised when a declarative test finds a bug."""

    @classmethod
    def check(cls, condition, message):
        """Raises ``cls(message)`` unless ``condition`` holds."""
        if not condition:
            raise cls(message)

    @classmethod
    def fail(cls, message, exc=None):
        """Raises ``cls(message)``, chained to ``exc`` when given."""
        if exc is not None:
            raise cls('{}\n\n{}: {}'.format(
                message, type(exc).__name__, exc)) from exc
        raise cls(message)

    @classmethod
    @contextlib.contextmanager
    def raise_if_fail(cls, message, error_types=AssertionError):
        """Turns ``error_types`` raised in the block into ``cls``."""
        try:
            yield
        except error_types as error:
            if isinstance(error, cls):
                raise
            cls.fail(message, error)


class FunctionTestError(_CaseError):
    """A FunctionTestCase check failed: the function is wrong."""


class LinkTestError(_CaseError):
    """A LinkTestCase or LinkInitializersTestCase check failed: the link is
    wrong."""


# ------------------------------------------------------ initializer args
class InitializerArgument:
    """An initializer argument of a link paired with what it should mean.

    Use it in ``generate_params`` or ``get_initializers`` when the value
    given to the link's constructor is not itself an initializer, e.g.
    ``InitializerArgument(None, 0)``: passing ``None`` must give the same
    parameter as the initializer-like ``0``.

    Args:
        argument_value: what ``create_link`` receives.
        expected_initializer: the initializer-like (initializer, callable,
            scalar or array; not None) the link should end up using.
    """

    def __init__(self, argument_value, expected_initializer):
        if expected_initializer is None:
            raise ValueError(
                'InitializerArgument: expected_initializer may not be None '
                '(give the initializer the link falls back to)')
        initializers_module._check_is_initializer_like(expected_initializer)
        self.argument_value = argument_value
        self.expected_initializer = expected_initializer

    def __repr__(self):
        return 'InitializerArgument({!r}, {!r})'.format(
            self.argument_value, self.expected_initializer)


def _argument_value(init):
    if isinstance(init, InitializerArgument):
        return init.argument_value
    return init


def _expected_initializer(init):
    """The initializer that produces what ``init`` should produce."""
    if isinstance(init, InitializerArgument):
        init = init.expected_initializer
    if isinstance(init, initializers_module.Initializer):
        return init
    return initializers_module._get_initializer(init)


# ---------------------------------------------------------- common base
class _CaseBase(unittest.TestCase):
    """What the three declarative test cases share."""

    # The base classes are not collected by pytest; a subclass that does
    # not say otherwise is (see __init_subclass__).
    __test__ = False

    _option_names = ()
    _error_class = AssertionError

    backend_config = None
    test_name = None
    contiguous = None
    dodge_nondifferentiable = False
    numerical_grad_dtype = numpy.float64

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if '__test__' not in cls.__dict__:
            cls.__test__ = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each test gets its own option dicts: ``self.check_*_options
        # .update(...)`` in setUp (the usual Chainer idiom) must not leak
        # into other tests. Options given as class attributes are kept.
        for name in self._option_names:
            setattr(self, name, dict(getattr(type(self), name, None) or {}))

    def before_test(self, test_name):
        """Called before each test with its name (``'test_forward'``...);
        may raise ``unittest.SkipTest``."""

    def _start(self, test_name, backend_config, skip_flag=None):
        self.backend_config = backend_config
        self.test_name = test_name
        self.before_test(test_name)
        if skip_flag is not None and getattr(self, skip_flag):
            raise unittest.SkipTest('{} is set'.format(skip_flag))

    # ---------------------------------------------------------- arrays
    def _checked_arrays(self, arrays, method, allow_none=False):
        """``arrays`` as a tuple of NumPy arrays, or an error naming
        ``method``. NumPy scalars (what NumPy reductions return for 0-dim
        results) and Python numbers become 0-dim arrays."""
        checked = []
        for i, x in enumerate(_as_tuple(arrays)):
            if isinstance(x, (numpy.generic, numbers.Number)):
                x = numpy.asarray(x)
            elif not (isinstance(x, numpy.ndarray) or
                      (x is None and allow_none)):
                raise TypeError(
                    '{}.{} must return NumPy arrays; item {} is a {}'.format(
                        type(self).__name__, method, i, type(x).__name__))
            checked.append(x)
        return tuple(checked)

    def _generate_inputs(self):
        return self._checked_arrays(self.generate_inputs(), 'generate_inputs')

    def _as_requested(self, array):
        """``array`` made non-contiguous unless ``contiguous == 'C'``."""
        if array is None:
            return None
        if self.contiguous is None:
            return _make_noncontiguous(array)
        if self.contiguous == 'C':
            return array
        raise ValueError(
            "{}.contiguous must be None or 'C', got {!r}".format(
                type(self).__name__, self.contiguous))

    def _to_device(self, arrays, backend_config):
        return tuple(None if x is None else
                     self._as_requested(backend_config.get_array(x))
                     for x in arrays)

    def _run_dodging(self, check):
        """Runs ``check()``; with ``dodge_nondifferentiable``, runs it again
        (it must draw new data) while it meets a non-differentiable point.
        """
        if not self.dodge_nondifferentiable:
            return check()
        for _ in range(_MAX_DODGE_TRIES):
            try:
                return check()
            except gradient_check.NondifferentiableError:
                continue
        raise self._error_class(
            '{}: no differentiable point found in {} draws of the test '
            'data'.format(type(self).__name__, _MAX_DODGE_TRIES))

    # ---------------------------------------------------------- checks
    def _check_output_variables(self, outputs, backend_config, method):
        """Checks that ``outputs`` are Variables on the tested device."""
        name = type(self).__name__
        error = self._error_class
        for i, y in enumerate(outputs):
            if not isinstance(y, Variable):
                raise error('{}: output {} of {} is a {}, not a '
                            'Variable'.format(name, i, method,
                                              type(y).__name__))
            if not backend_config.device.is_array_supported(y.array):
                raise error('{}: output {} of {} is on {}, expected '
                            '{}'.format(name, i, method, y.device,
                                        backend_config.device))

    def _compare_arrays(self, actual, expected, options):
        """Compares count, shapes, dtypes and values of two array tuples;
        raises the case's error naming every mismatching output."""
        from dynet.testing.array import assert_allclose
        name = type(self).__name__
        error = self._error_class
        if len(actual) != len(expected):
            raise error('{}: got {} outputs, expected {}'.format(
                name, len(actual), len(expected)))
        problems = []
        for i, (y, e) in enumerate(zip(actual, expected)):
            e = numpy.asarray(e)
            if y.shape != e.shape or y.dtype != e.dtype:
                problems.append(
                    'output {}: shape {} dtype {}; expected shape {} dtype '
                    '{}'.format(i, y.shape, y.dtype, e.shape, e.dtype))
                continue
            try:
                assert_allclose(y, e, **options)
            except AssertionError as failure:
                problems.append('output {}: values differ\n{}'.format(
                    i, failure))
        if problems:
            raise error('{}: outputs do not match the expected values '
                        '(x: actual, y: expected)\n{}'.format(
                            name, '\n'.join(problems)))


# ----------------------------------------------------- FunctionTestCase
class FunctionTestCase(_CaseBase):
    """Base class of declarative function tests.

    Required: ``generate_inputs()`` (tuple of NumPy arrays), ``forward(
    inputs, device)`` (Variables in, tuple of Variables out) and
    ``forward_expected(inputs)`` (NumPy in, tuple of NumPy arrays out).

    Optional: ``before_test(test_name)``, ``generate_grad_outputs(
    outputs_template)``, ``generate_grad_grad_inputs(inputs_template)``,
    ``check_forward_outputs(outputs, expected_outputs)``.

    Attributes a subclass may set (the options also in ``setUp``):
        check_forward_options, check_backward_options,
        check_double_backward_options: keyword arguments of
            ``assert_allclose``, ``check_backward``, ``check_double_backward``.
        skip_forward_test, skip_backward_test, skip_double_backward_test.
        dodge_nondifferentiable: draw new inputs when the numerical check
            finds a non-differentiable point.
        numerical_grad_dtype: dtype of the numerical derivative (float64).
        contiguous: None (arrays are made non-contiguous where possible) or
            'C' (C-contiguous).

    Set during a test: ``backend_config`` and ``test_name``.
    """

    __test__ = False

    _option_names = ('check_forward_options', 'check_backward_options',
                     'check_double_backward_options')
    _error_class = FunctionTestError

    check_forward_options = {}
    check_backward_options = {}
    check_double_backward_options = {}
    skip_forward_test = False
    skip_backward_test = False
    skip_double_backward_test = False

    # ----------------------------------------------------- to override
    def generate_inputs(self):
        raise NotImplementedError(
            '{} must implement generate_inputs'.format(type(self).__name__))

    def generate_grad_outputs(self, outputs_template):
        return tuple(_random_like(y) for y in outputs_template)

    def generate_grad_grad_inputs(self, inputs_template):
        return tuple(_random_like(x) for x in inputs_template)

    def forward(self, inputs, device):
        raise NotImplementedError(
            '{} must implement forward'.format(type(self).__name__))

    def forward_expected(self, inputs):
        raise NotImplementedError(
            '{} must implement forward_expected'.format(type(self).__name__))

    def check_forward_outputs(self, outputs, expected_outputs):
        """Compares the forward outputs (arrays on the tested device) with
        the expected NumPy arrays; raises FunctionTestError."""
        self._compare_arrays(outputs, expected_outputs,
                             self.check_forward_options)

    # ----------------------------------------------------------- tests
    def test_forward(self, backend_config=None):
        self.run_test_forward(backend_config or _CPU)

    def test_backward(self, backend_config=None):
        self.run_test_backward(backend_config or _CPU)

    def test_double_backward(self, backend_config=None):
        self.run_test_double_backward(backend_config or _CPU)

    def run_test_forward(self, backend_config):
        self._start('test_forward', backend_config, 'skip_forward_test')
        inputs = self._generate_inputs()
        expected = self._checked_arrays(
            self.forward_expected(tuple(x.copy() for x in inputs)),
            'forward_expected')
        originals = tuple(x.copy() for x in inputs)
        device_inputs = self._to_device(inputs, backend_config)
        outputs = self._call_forward(device_inputs, backend_config)
        self._check_inputs_unchanged(originals, device_inputs)
        self.check_forward_outputs(tuple(y.array for y in outputs),
                                   expected)

    def run_test_backward(self, backend_config):
        self._start('test_backward', backend_config, 'skip_backward_test')

        def check():
            inputs = self._generate_inputs()
            outputs = self._output_template(inputs, backend_config)
            grad_outputs = self._checked_arrays(
                self.generate_grad_outputs(outputs), 'generate_grad_outputs',
                allow_none=True)
            with backend_config, FunctionTestError.raise_if_fail(
                    'backward is not implemented correctly'):
                gradient_check.check_backward(
                    self._forward_function(backend_config),
                    self._to_device(inputs, backend_config),
                    self._to_device(grad_outputs, backend_config),
                    dtype=self.numerical_grad_dtype,
                    detect_nondifferentiable=self.dodge_nondifferentiable,
                    **self.check_backward_options)
        self._run_dodging(check)

    def run_test_double_backward(self, backend_config):
        self._start('test_double_backward', backend_config,
                    'skip_double_backward_test')

        def check():
            inputs = self._generate_inputs()
            outputs = self._output_template(inputs, backend_config)
            grad_outputs = self._checked_arrays(
                self.generate_grad_outputs(outputs), 'generate_grad_outputs',
                allow_none=True)
            grad_grad_inputs = self._checked_arrays(
                self.generate_grad_grad_inputs(inputs),
                'generate_grad_grad_inputs', allow_none=True)
            to_device = self._to_device
            with backend_config, FunctionTestError.raise_if_fail(
                    'double backward is not implemented correctly'):
                gradient_check.check_double_backward(
                    self._forward_function(backend_config),
                    to_device(inputs, backend_config),
                    to_device(grad_outputs, backend_config),
                    to_device(grad_grad_inputs, backend_config),
                    dtype=self.numerical_grad_dtype,
                    detect_nondifferentiable=self.dodge_nondifferentiable,
                    **self.check_double_backward_options)
        self._run_dodging(check)

    # -------------------------------------------------------- helpers
    def _call_forward(self, device_inputs, backend_config):
        with backend_config:
            outputs = _as_tuple(self.forward(
                tuple(Variable(x, requires_grad=x.dtype.kind == 'f')
                      for x in device_inputs), backend_config.device))
        self._check_output_variables(outputs, backend_config, 'forward')
        return outputs

    def _forward_function(self, backend_config):
        device = backend_config.device

        def f(*xs):
            outputs = _as_tuple(self.forward(xs, device))
            self._check_output_variables(outputs, backend_config, 'forward')
            return outputs
        return f

    def _output_template(self, inputs, backend_config):
        """The forward outputs on NumPy (shapes and dtypes for the output
        gradients)."""
        outputs = self._call_forward(
            tuple(backend_config.get_array(x) for x in inputs),
            backend_config)
        return tuple(backend.CpuDevice().send_array(y.array)
                     for y in outputs)

    def _check_inputs_unchanged(self, inputs, device_inputs):
        cpu = backend.CpuDevice()
        changed = [i for i, (x, d) in enumerate(zip(inputs, device_inputs))
                   if not numpy.array_equal(x, cpu.send_array(d),
                                            equal_nan=x.dtype.kind in 'fc')]
        if changed:
            raise FunctionTestError(
                '{}: forward modified its input arrays (indices {})'.format(
                    type(self).__name__, changed))


# ------------------------------------------------------- link test bases
class _LinkCaseBase(_CaseBase):
    """Set-up shared by LinkTestCase and LinkInitializersTestCase."""

    __test__ = False

    _error_class = LinkTestError

    param_names = ()

    def generate_params(self):
        raise NotImplementedError(
            '{} must implement generate_params'.format(type(self).__name__))

    def create_link(self, initializers):
        raise NotImplementedError(
            '{} must implement create_link'.format(type(self).__name__))

    def generate_inputs(self):
        raise NotImplementedError(
            '{} must implement generate_inputs'.format(type(self).__name__))

    def forward(self, link, inputs, device):
        """Default: ``link(*inputs)``, as a tuple."""
        return _as_tuple(link(*inputs))

    # -------------------------------------------------------- helpers
    def _generate_params(self):
        inits = self.generate_params()
        if not isinstance(inits, (tuple, list)):
            raise TypeError('{}.generate_params must return a tuple or a '
                            'list, got {}'.format(type(self).__name__,
                                                  type(inits).__name__))
        for init in inits:
            if not isinstance(init, InitializerArgument):
                initializers_module._check_is_initializer_like(init)
        return tuple(inits)

    def _create_link(self, inits, backend_config):
        from dynet.link import Link
        link = self.create_link(tuple(_argument_value(i) for i in inits))
        if not isinstance(link, Link):
            raise TypeError('{}.create_link must return a Link, got '
                            '{}'.format(type(self).__name__,
                                        type(link).__name__))
        link.to_device(backend_config.device)
        return link

    def _call_forward(self, link, input_arrays, backend_config):
        with backend_config:
            outputs = _as_tuple(self.forward(
                link, tuple(Variable(x, requires_grad=x.dtype.kind == 'f')
                            for x in input_arrays), backend_config.device))
        self._check_output_variables(outputs, backend_config, 'forward')
        return outputs

    def _create_initialized_link(self, inits, backend_config):
        """A link on the tested device after one forward pass (which
        initializes lazily shaped parameters); also returns the device
        inputs and the outputs of that pass."""
        link = self._create_link(inits, backend_config)
        inputs = self._to_device(self._generate_inputs(), backend_config)
        outputs = self._call_forward(link, inputs, backend_config)
        link.cleargrads()
        return link, inputs, tuple(y.array for y in outputs)

    def _link_params(self, link):
        from dynet.variable import Parameter
        params = []
        for name in self.param_names:
            target = link
            for part in name.split('.'):
                target = getattr(target, part, None)
            if not isinstance(target, Parameter):
                raise LinkTestError(
                    '{}: the link has no parameter named {!r} (param_names '
                    'lists the parameters to test)'.format(
                        type(self).__name__, name))
            params.append(target)
        return params


class LinkTestCase(_LinkCaseBase):
    """Base class of declarative forward/backward tests of a link.

    Required: ``generate_params()`` (a tuple of initializer-likes, one per
    initializer argument of the link), ``create_link(initializers)``,
    ``generate_inputs()`` (tuple of NumPy arrays) and ``forward_expected(
    link, inputs)`` (the link is on the CPU; NumPy in, tuple of NumPy
    arrays out).

    Optional: ``forward(link, inputs, device)`` (default ``link(*inputs)``),
    ``before_test(test_name)``, ``generate_grad_outputs(outputs_template)``,
    ``check_forward_outputs(outputs, expected_outputs)``.

    Attributes: ``param_names`` (the parameters whose gradients
    ``test_backward`` checks, e.g. ``('W', 'b')``), ``skip_forward_test``,
    ``skip_backward_test``, ``dodge_nondifferentiable``,
    ``numerical_grad_dtype``, ``contiguous``, ``check_forward_options``,
    ``check_backward_options``.
    """

    __test__ = False

    _option_names = ('check_forward_options', 'check_backward_options')

    check_forward_options = {}
    check_backward_options = {}
    skip_forward_test = False
    skip_backward_test = False

    def forward_expected(self, link, inputs):
        raise NotImplementedError(
            '{} must implement forward_expected'.format(type(self).__name__))

    def generate_grad_outputs(self, outputs_template):
        return tuple(_random_like(y) for y in outputs_template)

    def check_forward_outputs(self, outputs, expected_outputs):
        """Compares the forward outputs (arrays on the tested device) with
        the expected NumPy arrays; raises LinkTestError."""
        self._compare_arrays(outputs, expected_outputs,
                             self.check_forward_options)

    def test_forward(self, backend_config=None):
        """The link's outputs match ``forward_expected``."""
        backend_config = backend_config or _CPU
        self._start('test_forward', backend_config, 'skip_forward_test')
        link = self._create_link(self._generate_params(), backend_config)
        inputs = self._generate_inputs()
        outputs = self._call_forward(
            link, self._to_device(inputs, backend_config), backend_config)
        outputs = tuple(y.array for y in outputs)
        link.to_device(backend.CpuDevice())
        expected = self._checked_arrays(
            self.forward_expected(link, tuple(x.copy() for x in inputs)),
            'forward_expected')
        self.check_forward_outputs(outputs, expected)

    def test_backward(self, backend_config=None):
        """The gradients of the inputs and of ``param_names`` match
        numerical ones."""
        backend_config = backend_config or _CPU
        self._start('test_backward', backend_config, 'skip_backward_test')

        def check():
            link, inputs, outputs = self._create_initialized_link(
                self._generate_params(), backend_config)
            params = self._link_params(link)
            for p in params:
                p.array = self._as_requested(p.array)
            cpu = backend.CpuDevice()
            grad_outputs = self._checked_arrays(
                self.generate_grad_outputs(
                    tuple(cpu.send_array(y) for y in outputs)),
                'generate_grad_outputs', allow_none=True)

            def f(*xs):
                outputs = _as_tuple(self.forward(link, xs,
                                                 backend_config.device))
                self._check_output_variables(outputs, backend_config,
                                             'forward')
                return outputs

            with backend_config, LinkTestError.raise_if_fail(
                    'backward is not implemented correctly'):
                gradient_check.check_backward(
                    f, inputs, self._to_device(grad_outputs, backend_config),
                    params=params, dtype=self.numerical_grad_dtype,
                    detect_nondifferentiable=self.dodge_nondifferentiable,
                    **self.check_backward_options)
        self._run_dodging(check)


class LinkInitializersTestCase(_LinkCaseBase):
    """Base class of declarative tests of a link's initializer arguments.

    Required: ``generate_params()``, ``create_link(initializers)``,
    ``generate_inputs()`` (as in LinkTestCase) and ``get_initializers()``:
    one list per initializer argument of the link, each listing the
    initializer-likes to try for it (initializers, callables, scalars,
    arrays, or ``InitializerArgument(value, expected)`` for arguments such
    as None whose meaning is another initializer). They must be
    deterministic: each is applied twice, once by the link and once to
    compute the expected parameter.

    ``test_initializers`` tries each listed initializer in turn (the other
    arguments come from ``generate_params``), runs one forward pass (which
    initializes lazily shaped parameters) and compares the parameter named
    by ``param_names[i]`` with an array of the same shape and dtype filled
    by the initializer. ``check_initializers_options`` are keyword
    arguments of ``assert_allclose``.
    """

    __test__ = False

    _option_names = ('check_initializers_options',)

    check_initializers_options = {}

    def get_initializers(self):
        raise NotImplementedError(
            '{} must implement get_initializers'.format(type(self).__name__))

    def test_initializers(self, backend_config=None):
        """Each initializer of ``get_initializers`` gives the parameter it
        should."""
        backend_config = backend_config or _CPU
        self._start('test_initializers', backend_config)
        candidates = self._get_initializers()
        if len(candidates) > len(self.param_names):
            raise TypeError(
                '{}.get_initializers returned {} lists but param_names names '
                '{} parameters'.format(type(self).__name__, len(candidates),
                                       len(self.param_names)))
        for index, inits_to_try in enumerate(candidates):
            inits = list(self._generate_params())
            for init in inits_to_try:
                inits[index] = init
                self._check_one_initializer(index, inits, backend_config)

    def _get_initializers(self):
        name = type(self).__name__
        candidates = self.get_initializers()
        if not isinstance(candidates, (tuple, list)):
            raise TypeError('{}.get_initializers must return a tuple or a '
                            'list'.format(name))
        for inits in candidates:
            if not isinstance(inits, (tuple, list)):
                raise TypeError('{}.get_initializers must return a tuple or '
                                'a list of tuples or lists'.format(name))
            for init in inits:
                if init is None:
                    raise ValueError(
                        '{}.get_initializers: wrap None as '
                        'InitializerArgument(None, <the initializer the link '
                        'falls back to>)'.format(name))
                if not isinstance(init, InitializerArgument):
                    initializers_module._check_is_initializer_like(init)
        return candidates

    def _check_one_initializer(self, index, inits, backend_config):
        link, _, _ = self._create_initialized_link(inits, backend_config)
        param = self._link_params(link)[index]
        actual = backend.CpuDevice().send_array(param.array)
        expected = numpy.empty_like(actual)
        _expected_initializer(inits[index])(expected)
        try:
            self._compare_arrays((actual,), (expected,),
                                 self.check_initializers_options)
        except LinkTestError as error:
            raise LinkTestError(
                'parameter {!r} initialized with {!r}: {}'.format(
                    self.param_names[index], inits[index], error)) from None


# ----------------------------------------------------------- utilities
def _as_tuple(x):
    if isinstance(x, tuple):
        return x
    if isinstance(x, list):
        return tuple(x)
    return (x,)


def _random_like(x):
    x = numpy.asarray(x)
    if x.dtype.kind != 'f':
        return None
    return numpy.random.uniform(-1, 1, x.shape).astype(x.dtype)
