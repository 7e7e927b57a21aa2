"""``FunctionTestCase``: forward, backward and double-backward tests of a
function from a few declarations.

A subclass defines ``generate_inputs`` (NumPy arrays), ``forward`` (the
function under test on Variables) and ``forward_expected`` (an independent
NumPy reference). Decorated with ``inject_backend_tests``, each test runs
once per backend; undecorated, it runs on NumPy.
"""
import unittest

import numpy

from dynet import backend
from dynet import gradient_check
from dynet.testing.backend import BackendConfig, _make_noncontiguous
from dynet.variable import Variable

_CPU = BackendConfig({})


class FunctionTestError(AssertionError):
    """A FunctionTestCase check failed."""


class FunctionTestCase(unittest.TestCase):
    """Base class of declarative function tests (see module docstring).

    Attributes a subclass may set:
        check_forward_options, check_backward_options,
        check_double_backward_options: keyword arguments of
            ``assert_allclose``, ``check_backward``, ``check_double_backward``.
        skip_forward_test, skip_backward_test, skip_double_backward_test.
        dodge_nondifferentiable: regenerate the inputs when the numerical
            check finds a non-differentiable point.
        numerical_grad_dtype: dtype of the numerical derivative.
        contiguous: None (inputs are made non-contiguous where possible) or
            'C' (C-contiguous).
    """

    backend_config = None
    check_forward_options = {}
    check_backward_options = {}
    check_double_backward_options = {}
    skip_forward_test = False
    skip_backward_test = False
    skip_double_backward_test = False
    dodge_nondifferentiable = False
    numerical_grad_dtype = numpy.float64
    contiguous = None

    # ----------------------------------------------------- to override
    def before_test(self, test_name):
        """Called before each test with its name ('test_forward', ...)."""

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

    # ----------------------------------------------------------- tests
    def test_forward(self, backend_config=None):
        self.run_test_forward(backend_config or _CPU)

    def test_backward(self, backend_config=None):
        self.run_test_backward(backend_config or _CPU)

    def test_double_backward(self, backend_config=None):
        self.run_test_double_backward(backend_config or _CPU)

    def run_test_forward(self, backend_config):
        self.backend_config = backend_config
        self.before_test('test_forward')
        if self.skip_forward_test:
            raise unittest.SkipTest('skip_forward_test is set')
        inputs = self._generate_inputs()
        expected = _as_tuple(self.forward_expected(
            tuple(x.copy() for x in inputs)))
        device_inputs = self._to_device(inputs, backend_config)
        with backend_config:
            outputs = _as_tuple(self.forward(
                tuple(Variable(x) for x in device_inputs),
                backend_config.device))
        self._check_outputs(outputs, expected, backend_config)

    def run_test_backward(self, backend_config):
        self.backend_config = backend_config
        self.before_test('test_backward')
        if self.skip_backward_test:
            raise unittest.SkipTest('skip_backward_test is set')

        def run(inputs):
            outputs = self._forward_template(inputs, backend_config)
            grad_outputs = self._to_device(
                self.generate_grad_outputs(outputs), backend_config)
            device_inputs = self._to_device(inputs, backend_config)
            with backend_config:
                gradient_check.check_backward(
                    self._forward_function(backend_config), device_inputs,
                    grad_outputs, dtype=self.numerical_grad_dtype,
                    detect_nondifferentiable=self.dodge_nondifferentiable,
                    **self.check_backward_options)
        self._run_dodging(run)

    def run_test_double_backward(self, backend_config):
        self.backend_config = backend_config
        self.before_test('test_double_backward')
        if self.skip_double_backward_test:
            raise unittest.SkipTest('skip_double_backward_test is set')

        def run(inputs):
            outputs = self._forward_template(inputs, backend_config)
            grad_outputs = self.generate_grad_outputs(outputs)
            grad_grad_inputs = self.generate_grad_grad_inputs(inputs)
            to_device = self._to_device
            with backend_config:
                gradient_check.check_double_backward(
                    self._forward_function(backend_config),
                    to_device(inputs, backend_config),
                    to_device(grad_outputs, backend_config),
                    to_device(grad_grad_inputs, backend_config),
                    dtype=self.numerical_grad_dtype,
                    detect_nondifferentiable=self.dodge_nondifferentiable,
                    **self.check_double_backward_options)
        self._run_dodging(run)

    # -------------------------------------------------------- helpers
    def _generate_inputs(self):
        inputs = _as_tuple(self.generate_inputs())
        for i, x in enumerate(inputs):
            if not isinstance(x, numpy.ndarray):
                raise FunctionTestError(
                    '{}.generate_inputs must return NumPy arrays; input {} '
                    'is a {}'.format(type(self).__name__, i,
                                     type(x).__name__))
        return inputs

    def _to_device(self, arrays, backend_config):
        result = []
        for x in arrays:
            if x is None:
                result.append(None)
                continue
            x = backend_config.get_array(x)
            if self.contiguous is None:
                x = _make_noncontiguous(x)
            result.append(x)
        return tuple(result)

    def _forward_function(self, backend_config):
        device = backend_config.device

        def f(*xs):
            return self.forward(xs, device)
        return f

    def _forward_template(self, inputs, backend_config):
        with backend_config:
            outputs = _as_tuple(self.forward(
                tuple(Variable(backend_config.get_array(x))
                      for x in inputs), backend_config.device))
        return tuple(backend.CpuDevice().send_array(y.array)
                     for y in outputs)

    def _run_dodging(self, run):
        inputs = self._generate_inputs()
        for _ in range(10):
            try:
                return run(inputs)
            except gradient_check.NondifferentiableError:
                if not self.dodge_nondifferentiable:
                    raise
                inputs = self._generate_inputs()
        raise FunctionTestError(
            '{}: could not find differentiable inputs in 10 tries'.format(
                type(self).__name__))

    def _check_outputs(self, outputs, expected, backend_config):
        name = type(self).__name__
        if len(outputs) != len(expected):
            raise FunctionTestError(
                '{}: forward returned {} outputs, forward_expected {}'.format(
                    name, len(outputs), len(expected)))
        from dynet.testing.array import assert_allclose
        for i, (y, e) in enumerate(zip(outputs, expected)):
            if not isinstance(y, Variable):
                raise FunctionTestError(
                    '{}: output {} of forward is a {}, not a Variable'.format(
                        name, i, type(y).__name__))
            if not backend_config.device.is_array_supported(y.array):
                raise FunctionTestError(
                    '{}: output {} is on {}, expected {}'.format(
                        name, i, y.device, backend_config.device))
            e = numpy.asarray(e)
            if y.shape != e.shape or y.dtype != e.dtype:
                raise FunctionTestError(
                    '{}: output {} has shape {} and dtype {}; expected shape '
                    '{} and dtype {}'.format(name, i, y.shape, y.dtype,
                                             e.shape, e.dtype))
            assert_allclose(e, y.array, **self.check_forward_options)


def _as_tuple(x):
    return x if isinstance(x, tuple) else tuple(x) if isinstance(
        x, list) else (x,)


def _random_like(x):
    x = numpy.asarray(x)
    if x.dtype.kind != 'f':
        return None
    return numpy.random.uniform(-1, 1, x.shape).astype(x.dtype)
