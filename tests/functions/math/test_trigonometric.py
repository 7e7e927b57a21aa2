"""Tests of F.sin, cos, tan, arcsin, arccos, arctan and arctan2."""
import math

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.functions.math import trigonometric
from dynet.testing import backend
from dynet.testing import function_link
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _tolerances(test, dtype):
    """The numerical derivative is taken in float64 whatever the dtype, so
    the tolerances only cover the rounding of the analytic results."""
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 1e-3, 'rtol': 1e-3}
        test.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                       'rtol': 5e-3}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-5,
                                       'rtol': 1e-5}
    else:
        test.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-8}
    test.check_double_backward_options = test.check_backward_options


def _vectorize(f):
    """Elementwise float64 reference from a scalar function of ``math``."""
    def reference(x):
        x = numpy.asarray(x, numpy.float64)
        y = numpy.empty(x.shape)
        for index in numpy.ndindex(*x.shape):
            y[index] = f(float(x[index]))
        return y
    return reference


# name: (reference, low, high) -- inputs are drawn in [low, high].
_UNARY = {
    'sin': (math.sin, -3, 3),
    'cos': (math.cos, -3, 3),
    'tan': (math.tan, -1.2, 1.2),
    'arcsin': (math.asin, -0.9, 0.9),
    'arccos': (math.acos, -0.9, 0.9),
    'arctan': (math.atan, -3, 3),
}


@testing.parameterize(*testing.product({
    'func': sorted(_UNARY),
    'shape': [(3, 2), (), (0, 3)],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestUnaryTrigonometric(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        if self.func == 'tan' and self.dtype == numpy.float16:
            # tan(1.2) = 2.6: one float16 ulp there is 2e-3.
            self.check_forward_options = {'atol': 2e-3, 'rtol': 2e-3}

    def generate_inputs(self):
        _, low, high = _UNARY[self.func]
        return numpy.random.uniform(low, high, self.shape).astype(
            self.dtype),

    def forward(self, inputs, device):
        return getattr(F, self.func)(inputs[0]),

    def forward_expected(self, inputs):
        reference = _vectorize(_UNARY[self.func][0])
        return reference(inputs[0]).astype(self.dtype),


def _away_from_zero(shape, dtype, low=0.2, high=2.0):
    magnitude = numpy.random.uniform(low, high, shape)
    sign = numpy.where(numpy.random.uniform(-1, 1, shape) < 0, -1, 1)
    return numpy.asarray(magnitude * sign).astype(dtype)


@testing.parameterize(*testing.product({
    'shapes': [((3, 2), (3, 2)), ((3, 2), (2,)), ((3, 1), (1, 2)),
               ((), ()), ((), (2,)), ((0, 2), (2,))],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestArctan2(function_link.FunctionTestCase):
    """|x1|, |x2| >= 0.2: away from the origin and from the branch cut
    (x1 = 0, x2 < 0) where the angle jumps by 2 pi."""

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        s1, s2 = self.shapes
        return (_away_from_zero(s1, self.dtype),
                _away_from_zero(s2, self.dtype))

    def forward(self, inputs, device):
        return F.arctan2(*inputs),

    def forward_expected(self, inputs):
        x1, x2 = numpy.broadcast_arrays(
            *[numpy.asarray(x, numpy.float64) for x in inputs])
        y = numpy.empty(x1.shape)
        for index in numpy.ndindex(*x1.shape):
            y[index] = math.atan2(x1[index], x2[index])
        return y.astype(self.dtype),


def test_arctan2_quadrants():
    y = F.arctan2(numpy.array([1.0, 1.0, -1.0, -1.0]),
                  numpy.array([1.0, -1.0, -1.0, 1.0]))
    numpy.testing.assert_allclose(
        y.array, [math.pi / 4, 3 * math.pi / 4, -3 * math.pi / 4,
                  -math.pi / 4])


def test_derivatives_at_known_points():
    x = Variable(numpy.array([0.0, 0.5]))
    cases = [
        (F.sin, numpy.cos), (F.cos, lambda v: -numpy.sin(v)),
        (F.tan, lambda v: 1 / numpy.cos(v) ** 2),
        (F.arcsin, lambda v: 1 / numpy.sqrt(1 - v * v)),
        (F.arccos, lambda v: -1 / numpy.sqrt(1 - v * v)),
        (F.arctan, lambda v: 1 / (1 + v * v)),
    ]
    for f, derivative in cases:
        gx, = dynet.grad([F.sum(f(x))], [x])
        numpy.testing.assert_allclose(gx.array, derivative(x.array),
                                      rtol=1e-14, err_msg=str(f))


def test_second_derivative_of_sin_is_minus_sin():
    x = Variable(numpy.array([0.3, -1.2, 2.0]))
    gx, = dynet.grad([F.sum(F.sin(x))], [x], enable_double_backprop=True)
    ggx, = dynet.grad([F.sum(gx)], [x])
    numpy.testing.assert_allclose(ggx.array, -numpy.sin(x.array))


def test_labels_as_chainer():
    x = Variable(numpy.ones(2, numpy.float32) * 0.5)
    for name in ('sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan'):
        assert getattr(F, name)(x).creator.label == name
    assert F.arctan2(x, x).creator.label == 'arctan2'


@pytest.mark.parametrize('name', sorted(_UNARY))
@pytest.mark.parametrize('dtype', [numpy.int32, numpy.bool_])
def test_non_float_input_is_rejected(name, dtype):
    with pytest.raises(type_check.InvalidType) as info:
        getattr(F, name)(numpy.ones(3, dtype))
    message = str(info.value)
    assert name in message and numpy.dtype(dtype).name in message
    assert 'Expect' in message and 'Actual' in message


def test_arctan2_rejects_mixed_dtypes():
    with pytest.raises(type_check.InvalidType) as info:
        F.arctan2(numpy.ones(3, numpy.float32), numpy.ones(3, numpy.float64))
    message = str(info.value)
    assert 'arctan2' in message
    assert 'float32' in message and 'float64' in message


def test_arctan2_rejects_unbroadcastable_shapes():
    with pytest.raises(type_check.InvalidType) as info:
        F.arctan2(numpy.ones((2, 3)), numpy.ones((4,)))
    message = str(info.value)
    assert 'arctan2' in message and '(2, 3)' in message and '(4,)' in message


def _run(cls, name):
    case = cls(name)
    case.setUp()  # sets the tolerances and fixes the random seed
    try:
        getattr(case, name)()
    finally:
        case.tearDown()


def test_the_suite_catches_a_wrong_gradient(monkeypatch):
    cls = next(c for name, c in globals().items()
               if name.startswith('TestUnaryTrigonometric_param_') and
               c.func == 'sin' and c.dtype == numpy.float32 and
               c.shape == (3, 2))
    _run(cls, 'test_backward__0_numpy')  # passes as is
    _run(cls, 'test_double_backward__0_numpy')

    def wrong_backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * F.sin(x),  # sin' is not sin

    monkeypatch.setattr(trigonometric.Sin, 'backward', wrong_backward)
    with pytest.raises(AssertionError, match='check_backward failed'):
        _run(cls, 'test_backward__0_numpy')


def test_the_suite_catches_a_wrong_second_derivative(monkeypatch):
    cls = next(c for name, c in globals().items()
               if name.startswith('TestUnaryTrigonometric_param_') and
               c.func == 'sin' and c.dtype == numpy.float64 and
               c.shape == (3, 2))

    def detached_backward(self, indexes, grad_outputs):
        # Right first derivative, but cos(x) as a constant: the second
        # derivative is lost.
        x, = self.get_retained_inputs()
        return grad_outputs[0] * numpy.cos(x.array),

    monkeypatch.setattr(trigonometric.Sin, 'backward', detached_backward)
    _run(cls, 'test_backward__0_numpy')
    with pytest.raises(AssertionError, match='check_backward failed'):
        _run(cls, 'test_double_backward__0_numpy')
