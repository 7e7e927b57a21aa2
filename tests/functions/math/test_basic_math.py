"""Tests of the arithmetic functions behind Variable's operators."""
import operator

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.functions.math import basic_math
from dynet.testing import backend
from dynet.testing import function_link
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _tolerances(test, dtype):
    """Sets forward/backward/double-backward tolerances on a test case.

    The numerical derivative is taken in float64 whatever the input dtype,
    so the tolerances only cover the rounding of the forward output and of
    the analytic gradient in ``dtype``.
    """
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 1e-3, 'rtol': 1e-3}
        test.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                       'rtol': 5e-3}
        test.check_double_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                              'rtol': 5e-3}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-5,
                                       'rtol': 1e-5}
        test.check_double_backward_options = {'eps': 1e-4, 'atol': 1e-5,
                                              'rtol': 1e-5}
    else:
        test.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-8}
        test.check_double_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                              'rtol': 1e-8}


def _f64(*arrays):
    return [numpy.asarray(a, numpy.float64) for a in arrays]


def _nonzero(shape, dtype, low=0.5, high=2.0):
    """Values with |v| in [low, high] and random signs."""
    magnitude = numpy.random.uniform(low, high, shape)
    sign = numpy.where(numpy.random.uniform(-1, 1, shape) < 0, -1, 1)
    return numpy.asarray(magnitude * sign).astype(dtype)


# Reference implementations, computed in float64 (independent of dynet).
_BINARY_REFERENCE = {
    'add': lambda a, b: a + b,
    'sub': lambda a, b: a - b,
    'mul': lambda a, b: a * b,
    'div': lambda a, b: a / b,
    'pow': lambda a, b: numpy.exp(b * numpy.log(a)),
}
_BINARY_OPERATOR = {
    'add': operator.add, 'sub': operator.sub, 'mul': operator.mul,
    'div': operator.truediv, 'pow': operator.pow,
}

_BROADCAST_SHAPES = [
    ((3, 2), (3, 2)),
    ((3, 2), (2,)),
    ((3, 1), (1, 2)),
    ((), (2, 3)),
    ((2, 3), ()),
    ((), ()),
    ((2, 1, 3), (4, 1)),
    ((0, 3), (3,)),
]


@testing.parameterize(*testing.product({
    'op': ['add', 'sub', 'mul', 'div', 'pow'],
    'shapes': _BROADCAST_SHAPES,
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestBinaryVariableVariable(function_link.FunctionTestCase):
    """``a <op> b`` for two Variables, with broadcasting."""

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        a_shape, b_shape = self.shapes
        if self.op == 'pow':
            a = numpy.random.uniform(0.5, 2, a_shape).astype(self.dtype)
            b = numpy.random.uniform(-1.5, 1.5, b_shape).astype(self.dtype)
        else:
            a = numpy.random.uniform(-1, 1, a_shape).astype(self.dtype)
            b = _nonzero(b_shape, self.dtype)
        return a, b

    def forward(self, inputs, device):
        a, b = inputs
        return _BINARY_OPERATOR[self.op](a, b),

    def forward_expected(self, inputs):
        a, b = _f64(*inputs)
        return _BINARY_REFERENCE[self.op](a, b).astype(self.dtype),


@testing.parameterize(*testing.product({
    'shapes': [((2, 3),), ((2, 3), (2, 3), (2, 3)),
               ((2, 3), (3,), (2, 1), ()), ((0, 2), (2,), (1, 2))],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestMultiAdd(function_link.FunctionTestCase):
    """``F.add(*xs)`` with one, three and four inputs."""

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        return tuple(numpy.random.uniform(-1, 1, s).astype(self.dtype)
                     for s in self.shapes)

    def forward(self, inputs, device):
        return F.add(*inputs),

    def forward_expected(self, inputs):
        total = numpy.zeros((), numpy.float64)
        for x in _f64(*inputs):
            total = total + x
        return total.astype(self.dtype),


# Each entry: a function applying the operation to Variable ``x`` and
# constant ``c``, and a float64 reference of the same.
_CONSTANT_OPS = {
    'x+c': (lambda x, c: x + c, lambda x, c: x + c),
    'c+x': (lambda x, c: c + x, lambda x, c: c + x),
    'x-c': (lambda x, c: x - c, lambda x, c: x - c),
    'c-x': (lambda x, c: c - x, lambda x, c: c - x),
    'x*c': (lambda x, c: x * c, lambda x, c: x * c),
    'c*x': (lambda x, c: c * x, lambda x, c: c * x),
    'x/c': (lambda x, c: x / c, lambda x, c: x / c),
    'c/x': (lambda x, c: c / x, lambda x, c: c / x),
    'x**c': (lambda x, c: x ** c,
             lambda x, c: numpy.exp(c * numpy.log(x))),
    'c**x': (lambda x, c: c ** x,
             lambda x, c: numpy.exp(x * numpy.log(c))),
}


@testing.parameterize(*testing.product({
    'op': sorted(_CONSTANT_OPS),
    # (shape of x, shape of the constant or None for a Python float)
    'shapes': [((3, 2), None), ((), None), ((0, 2), None),
               ((3, 2), (2,)), ((2,), (3, 2)), ((3, 2), ())],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestBinaryVariableConstant(function_link.FunctionTestCase):
    """A Variable and a constant (Python float or float64 NumPy array) on
    either side; the constant is cast to the Variable's dtype."""

    def setUp(self):
        _tolerances(self, self.dtype)
        x_shape, c_shape = self.shapes
        rng = numpy.random.RandomState(7)
        if c_shape is None:
            self.constant = 1.3125
        else:
            # float64 on purpose: dynet casts it to x's dtype. The values
            # are exact in float16, so that the float64 evaluation of the
            # numerical gradient sees the same constant.
            self.constant = rng.uniform(0.6, 1.7, c_shape).astype(
                numpy.float16).astype(numpy.float64)

    def generate_inputs(self):
        x_shape, _ = self.shapes
        if self.op in ('x**c', 'c**x', 'c/x'):
            x = numpy.random.uniform(0.5, 2, x_shape)
        else:
            x = numpy.random.uniform(-1, 1, x_shape)
        return x.astype(self.dtype),

    def forward(self, inputs, device):
        x, = inputs
        c = self.constant
        if isinstance(c, numpy.ndarray):
            c = device.send(c)
        return _CONSTANT_OPS[self.op][0](x, c),

    def forward_expected(self, inputs):
        x, = _f64(*inputs)
        # The constant takes the Variable's dtype before the operation.
        c = numpy.asarray(self.constant).astype(self.dtype).astype(
            numpy.float64)
        return numpy.asarray(
            _CONSTANT_OPS[self.op][1](x, c)).astype(self.dtype),


_UNARY = {
    'neg': (lambda x: -x, lambda x: -x),
    'abs': (lambda x: abs(x), numpy.abs),
    'F.absolute': (F.absolute, numpy.abs),
    'pos': (lambda x: +x, lambda x: x),
}


@testing.parameterize(*testing.product({
    'op': sorted(_UNARY),
    'shape': [(3, 2), (), (0, 3)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestUnary(function_link.FunctionTestCase):
    """``-x``, ``abs(x)``, ``F.absolute(x)`` and ``+x``."""

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        # |x| >= 0.5 keeps abs away from its kink at 0.
        return _nonzero(self.shape, self.dtype),

    def forward(self, inputs, device):
        x, = inputs
        return _UNARY[self.op][0](x),

    def forward_expected(self, inputs):
        x, = _f64(*inputs)
        return numpy.asarray(_UNARY[self.op][1](x)).astype(self.dtype),


@backend.inject_backend_tests(None, _BACKENDS)
class TestAbsoluteDodging(function_link.FunctionTestCase):
    """abs near 0, with dodge_nondifferentiable regenerating inputs."""

    dodge_nondifferentiable = True

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (4, 3)),

    def forward(self, inputs, device):
        return F.absolute(inputs[0]),

    def forward_expected(self, inputs):
        return numpy.where(inputs[0] < 0, -inputs[0], inputs[0]),


# ----------------------------------------------------------------------
# Operators: constant types, result dtypes, graph connectivity


@pytest.mark.parametrize('dtype', _FLOATS)
@pytest.mark.parametrize('constant', [
    2, 2.5, True, numpy.float64(2.5), numpy.int64(2), numpy.float16(1.5),
    numpy.array(2.5), numpy.array([1.5, 2.5], numpy.float64),
    numpy.array([1, 2], numpy.int32)])
def test_operators_with_constants_keep_dtype(dtype, constant):
    x = Variable(numpy.array([1.0, 3.0], dtype))
    for result in (x + constant, constant + x, x - constant, constant - x,
                   x * constant, constant * x, x / constant, constant / x,
                   x ** constant, constant ** x):
        assert isinstance(result, Variable)
        assert result.dtype == dtype
        assert result.shape == (2,)


def test_operator_values_with_constants_on_each_side():
    x = Variable(numpy.array([1.0, 2.0, 4.0], numpy.float32))
    c = numpy.array([2.0, 4.0, 8.0], numpy.float64)
    cases = [
        (x + 1, [2, 3, 5]), (1 + x, [2, 3, 5]),
        (x - 1, [0, 1, 3]), (1 - x, [0, -1, -3]),
        (x * 2, [2, 4, 8]), (2 * x, [2, 4, 8]),
        (x / 2, [0.5, 1, 2]), (2 / x, [2, 1, 0.5]),
        (x ** 2, [1, 4, 16]), (2 ** x, [2, 4, 16]),
        (x + c, [3, 6, 12]), (c + x, [3, 6, 12]),
        (x - c, [-1, -2, -4]), (c - x, [1, 2, 4]),
        (x * c, [2, 8, 32]), (c * x, [2, 8, 32]),
        (x / c, [0.5, 0.5, 0.5]), (c / x, [2, 2, 2]),
        (-x, [-1, -2, -4]), (abs(-x), [1, 2, 4]), (+x, [1, 2, 4]),
    ]
    for y, expected in cases:
        assert isinstance(y, Variable)
        assert y.dtype == numpy.float32
        numpy.testing.assert_allclose(y.array, expected, rtol=1e-6)


def test_ndarray_on_the_left_defers_to_variable():
    # NumPy must not treat the Variable as an object scalar.
    x = Variable(numpy.ones((2, 3), numpy.float32))
    for y in (numpy.ones((2, 3)) + x, numpy.ones(3) * x,
              numpy.ones(3) - x, numpy.full(3, 2.0) / x,
              numpy.full(3, 2.0) ** x, numpy.float64(2) * x):
        assert isinstance(y, Variable)
        assert y.dtype == numpy.float32
        assert y.shape == (2, 3)


def test_constant_receives_no_gradient_and_variable_does():
    x = Variable(numpy.array([1.0, 2.0], numpy.float32))
    c = numpy.array([3.0, 5.0], numpy.float32)
    y = F.sum(c * x + x / c - c / x + 2 ** x + x ** 3)
    y.backward()
    x64 = numpy.array([1.0, 2.0])
    c64 = c.astype(numpy.float64)
    expected = c64 + 1 / c64 + c64 / x64 ** 2 + 2 ** x64 * numpy.log(2) + \
        3 * x64 ** 2
    numpy.testing.assert_allclose(x.grad, expected, rtol=1e-5)


def test_same_variable_on_both_sides_accumulates_gradient():
    x = Variable(numpy.array([1.5, -2.0], numpy.float64))
    F.sum(x * x + x - x / x).backward()
    numpy.testing.assert_allclose(x.grad, 2 * x.array + 1)


def test_broadcast_gradients_are_summed_to_input_shapes():
    a = Variable(numpy.arange(6, dtype=numpy.float64).reshape(2, 3))
    b = Variable(numpy.array([1.0, 2.0, 4.0]))
    F.sum(a * b).backward()
    assert a.grad.shape == (2, 3) and b.grad.shape == (3,)
    numpy.testing.assert_allclose(a.grad, numpy.broadcast_to(b.array, (2, 3)))
    numpy.testing.assert_allclose(b.grad, a.array.sum(axis=0))


def test_pow_of_two_and_of_array_exponent_gradients():
    x = Variable(numpy.array([0.5, 2.0, 3.0]))
    e = numpy.array([1.0, 2.0, 3.0])
    F.sum(x ** 2 + x ** e).backward()
    numpy.testing.assert_allclose(
        x.grad, 2 * x.array + e * x.array ** (e - 1))


@pytest.mark.parametrize('op', [
    operator.add, operator.sub, operator.mul, operator.truediv,
    operator.pow])
def test_variables_of_different_dtypes_raise_invalid_type(op):
    a = Variable(numpy.ones(3, numpy.float32))
    b = Variable(numpy.ones(3, numpy.float64))
    with pytest.raises(type_check.InvalidType) as info:
        op(a, b)
    message = str(info.value)
    assert 'float32' in message and 'float64' in message
    assert 'dtype' in message and 'Expect' in message and 'Actual' in message
    name = {operator.add: 'Add', operator.sub: 'Sub', operator.mul: 'Mul',
            operator.truediv: 'Div', operator.pow: 'PowVarVar'}[op]
    assert name in message


def test_multi_add_of_different_dtypes_raises_invalid_type():
    xs = [Variable(numpy.ones(2, numpy.float32)) for _ in range(2)] + [
        Variable(numpy.ones(2, numpy.float16))]
    with pytest.raises(type_check.InvalidType) as info:
        F.add(*xs)
    assert 'MultiAdd' in str(info.value)
    assert 'float16' in str(info.value)


@pytest.mark.parametrize('op', [
    operator.add, operator.sub, operator.mul, operator.truediv,
    operator.pow])
def test_unbroadcastable_shapes_raise_invalid_type(op):
    a = Variable(numpy.ones((2, 3), numpy.float32))
    b = Variable(numpy.ones((4,), numpy.float32))
    with pytest.raises(type_check.InvalidType) as info:
        op(a, b)
    message = str(info.value)
    assert '(2, 3)' in message and '(4,)' in message
    assert 'broadcast' in message


def test_multi_add_unbroadcastable_shapes_raise_invalid_type():
    with pytest.raises(type_check.InvalidType) as info:
        F.add(*[Variable(numpy.ones(s, numpy.float32))
                for s in [(2, 3), (2, 3), (2,)]])
    assert 'MultiAdd' in str(info.value) and '(2,)' in str(info.value)


@pytest.mark.parametrize('other', ['a', [1.0, 2.0], None, object(), 1j])
@pytest.mark.parametrize('op', [
    operator.add, operator.sub, operator.mul, operator.truediv,
    operator.pow])
def test_unsupported_operand_types_raise_type_error(op, other):
    x = Variable(numpy.ones(2, numpy.float32))
    with pytest.raises(TypeError):
        op(x, other)
    with pytest.raises(TypeError):
        op(other, x)


@pytest.mark.parametrize('func,name', [
    (abs, 'Absolute'), (F.absolute, 'Absolute'),
    (lambda x: x ** 2, 'PowVarConst'), (lambda x: 2 ** x, 'PowConstVar')])
def test_integer_input_raises_invalid_type(func, name):
    x = Variable(numpy.array([1, 2], numpy.int32))
    with pytest.raises(type_check.InvalidType) as info:
        func(x)
    message = str(info.value)
    assert name in message and 'int32' in message
    assert 'Expect' in message and 'Actual' in message


def test_pow_var_var_with_integer_base_raises_invalid_type():
    a = Variable(numpy.array([1, 2], numpy.int32))
    with pytest.raises(type_check.InvalidType) as info:
        a ** Variable(numpy.array([1, 2], numpy.int32))
    assert 'PowVarVar' in str(info.value)


def test_integer_variables_add_and_multiply():
    a = Variable(numpy.array([1, 2], numpy.int32))
    b = Variable(numpy.array([3, 4], numpy.int32))
    assert (a + b).dtype == numpy.int32
    numpy.testing.assert_array_equal((a * b + 1).array, [4, 9])


def test_add_of_two_uses_add_and_result_is_a_new_array():
    a = Variable(numpy.ones(2, numpy.float32))
    y = F.add(a)
    assert y.array is not a.array
    numpy.testing.assert_array_equal(y.array, a.array)
    y.array[0] = 5
    assert a.array[0] == 1
    assert F.add(a, a).creator.label == 'Add'


def test_module_names_and_chainer_style_import():
    chainer = dynet
    assert chainer.functions.absolute is basic_math.absolute
    assert chainer.functions.add is basic_math.add
    for name in ('Add', 'AddConstant', 'MultiAdd', 'Sub', 'SubFromConstant',
                 'Mul', 'MulConstant', 'Div', 'DivFromConstant', 'Neg',
                 'Absolute', 'PowVarVar', 'PowVarConst', 'PowConstVar'):
        assert hasattr(basic_math, name)


def test_grad_of_div_rhs_matches_closed_form():
    a = Variable(numpy.array([1.0, -2.0]))
    b = Variable(numpy.array([4.0, 0.5]))
    ga, gb = dynet.grad([F.sum(a / b)], [a, b])
    numpy.testing.assert_allclose(ga.array, 1 / b.array)
    numpy.testing.assert_allclose(gb.array, -a.array / b.array ** 2)


# ----------------------------------------------------------------------
# The suite can fail: a wrong forward reference or a wrong backward must
# be caught by the same machinery (and tolerances) the tests above use.


def _generated_class(base_name, **params):
    """The class generated by ``parameterize`` from ``base_name`` for the
    given parameter values."""
    for name, value in list(globals().items()):
        if name.startswith(base_name + '_param_') and all(
                getattr(value, k) == v for k, v in params.items()):
            return value
    raise LookupError('{} {}'.format(base_name, params))


def _run_test(cls, name):
    case = cls(name)
    case.setUp()  # as unittest would; it sets the tolerances
    getattr(case, name)()


@pytest.mark.parametrize('dtype', _FLOATS)
def test_the_suite_catches_wrong_gradients_and_values(dtype, monkeypatch):
    cls = _generated_class('TestBinaryVariableVariable', op='div',
                           dtype=dtype, shapes=((3, 2), (2,)))
    _run_test(cls, 'test_backward__0_numpy')  # passes as is

    def wrong_backward(self, indexes, grad_outputs):
        # d(a/b)/db with the sign flipped.
        gy = grad_outputs[0]
        a, b = self.get_retained_inputs()
        result = []
        for i in indexes:
            g = gy / b if i == 0 else gy * a / (b * b)
            result.append(basic_math._sum_to(g, self.inputs[i].shape))
        return tuple(result)

    monkeypatch.setattr(basic_math.Div, 'backward', wrong_backward)
    with pytest.raises(AssertionError, match='check_backward failed'):
        _run_test(cls, 'test_backward__0_numpy')
    monkeypatch.undo()

    # A reference off by about 0.1% (1% for float16) fails test_forward.
    offset = 1e-2 if dtype == numpy.float16 else 1e-3

    class WrongReference(cls):
        def forward_expected(self, inputs):
            y, = super().forward_expected(inputs)
            return (y * (1 + offset) + offset).astype(y.dtype),
    with pytest.raises(AssertionError):
        _run_test(WrongReference, 'test_forward__0_numpy')


# ----------------------------------------------------------------------
# Functions keep working when input checks are switched off.


def _every_function(x):
    ys = [x + x, x - 1, 2 - x, x * x, x / 2, 2 / x, x / x, x ** 2,
          2 ** x, x ** x, -x, abs(x), F.add(x, x, x), F.exp(x), F.log(x),
          F.relu(x), F.sum(x, axis=1), F.sum(x, axis=-1, keepdims=True),
          F.sum_to(x, (3,)), F.matmul(x, x, transb=True), x @ x.T,
          x.reshape(3, -1), x.T, x.transpose(1, 0), x[:, [0, 0]],
          x[x.array > 0.7], F.broadcast_to(x, (2, 2, 3))]
    ys += list(F.broadcast(x, x[0]))
    return [y.array for y in ys], F.add(*[F.sum(y * y) for y in ys])


def test_functions_with_type_check_off():
    from dynet.config import using_config
    data = numpy.random.uniform(0.5, 1, (2, 3))
    results = []
    for type_check_on in (True, False):
        x = Variable(data.copy())
        with using_config('type_check', type_check_on):
            ys, loss = _every_function(x)
            loss.backward()
        results.append((ys, x.grad))
    (ys_on, grad_on), (ys_off, grad_off) = results
    for y_on, y_off in zip(ys_on, ys_off):
        numpy.testing.assert_array_equal(y_on, y_off)
    numpy.testing.assert_array_equal(grad_on, grad_off)
    assert numpy.isfinite(grad_on).all()
