"""Tests of F.forget."""
import gc
import math
import weakref

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.testing import backend
from dynet.testing import function_link

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _two_outputs(a, b):
    h = F.tanh(a * b)
    return h * a + b, F.sigmoid(h - b)


def _two_outputs_reference(a, b):
    y0 = numpy.empty(a.shape)
    y1 = numpy.empty(a.shape)
    for i in numpy.ndindex(*a.shape):
        va, vb = float(a[i]), float(b[i])
        h = math.tanh(va * vb)
        y0[i] = h * va + vb
        y1[i] = 1 / (1 + math.exp(-(h - vb)))
    return y0, y1


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 3)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestForget(function_link.FunctionTestCase):

    # Chainer v7 does not support double backprop through forget.
    skip_double_backward_test = True

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 2e-3, 'rtol': 2e-3}
            self.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                           'rtol': 5e-3}
        else:
            self.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
            self.check_backward_options = {'eps': 1e-4, 'atol': 1e-5,
                                           'rtol': 1e-5}

    def generate_inputs(self):
        a = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        b = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        return a, b

    def forward(self, inputs, device):
        return F.forget(_two_outputs, *inputs)

    def forward_expected(self, inputs):
        return tuple(y.astype(self.dtype)
                     for y in _two_outputs_reference(*inputs))


def _plain_and_forgotten_grads(func, arrays, grads):
    """Input gradients of ``sum(sum(y * g) for y, g)`` computed through
    ``func`` directly and through ``forget(func, ...)``."""
    results = []
    for use_forget in (False, True):
        xs = [Variable(a.copy()) for a in arrays]
        ys = F.forget(func, *xs) if use_forget else func(*xs)
        loss = F.add(*[F.sum(y * g) for y, g in zip(ys, grads)])
        loss.backward()
        results.append([x.grad for x in xs])
    return results


def test_forget_gradients_equal_the_plain_graph():
    rng = numpy.random.RandomState(0)
    a = rng.uniform(-1, 1, (4, 3))
    b = rng.uniform(-1, 1, (4, 3))
    grads = [rng.uniform(-1, 1, (4, 3)), rng.uniform(-1, 1, (4, 3))]
    plain, forgotten = _plain_and_forgotten_grads(_two_outputs, [a, b], grads)
    for p, f in zip(plain, forgotten):
        numpy.testing.assert_allclose(f, p, rtol=1e-14)


def test_forget_keeps_no_intermediate_array():
    # tanh's output is retained by the graph (by tanh itself and by the
    # product after it) in a plain call, but not under forget.
    refs = []

    def f(a):
        h = F.tanh(a)
        refs.append(weakref.ref(h.array))
        return h * a

    x = Variable(numpy.random.uniform(-1, 1, (3, 4)))
    y_plain = f(x)
    gc.collect()
    assert refs[0]() is not None
    y = F.forget(f, x)
    gc.collect()
    assert refs[1]() is None
    assert isinstance(y.creator, dynet.FunctionNode)
    assert [node.shape for node in y.creator.inputs] == [(3, 4)]
    y.grad = numpy.ones((3, 4))
    y.backward()
    t = numpy.tanh(x.array)
    numpy.testing.assert_allclose(x.grad, (1 - t * t) * x.array + t,
                                  rtol=1e-14)
    del y_plain


def test_forget_parameters_inside_get_gradients():
    W = dynet.Parameter(numpy.array([2.0, 3.0]))
    x = Variable(numpy.array([1.0, -1.0]))
    y = F.forget(lambda a: F.sum(a * W * a), x)
    y.backward()
    numpy.testing.assert_allclose(W.grad, [1, 1])
    numpy.testing.assert_allclose(x.grad, [4, -6])


def test_forget_converts_arrays_to_variables():
    y = F.forget(lambda a: a * 2, numpy.array([1.0, 2.0]))
    assert isinstance(y, Variable)
    assert y.creator is not None
    numpy.testing.assert_array_equal(y.array, [2, 4])


def test_forget_output_structure():
    x = Variable(numpy.array([1.0, 2.0]))
    ys = F.forget(lambda a: (a * 2, a + 1), x)
    assert isinstance(ys, tuple) and len(ys) == 2
    # A one-element tuple comes back as a single Variable (as in Chainer).
    y = F.forget(lambda a: (a * 3,), x)
    assert isinstance(y, Variable)
    numpy.testing.assert_array_equal(y.array, [3, 6])


def test_forget_partial_output_gradients():
    x = Variable(numpy.array([1.0, 2.0]))
    y0, y1 = F.forget(lambda a: (a * a, a * 5), x)
    y0.grad = numpy.ones(2)
    y0.backward()
    numpy.testing.assert_array_equal(x.grad, [2, 4])


def test_forget_identity_function():
    x = Variable(numpy.array([1.0, 2.0]))
    y = F.forget(lambda a: a, x)
    y.grad = numpy.array([3.0, 4.0])
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [3, 4])


def test_forget_recomputes_in_recomputing_mode():
    seen = []

    def f(a):
        seen.append((dynet.config.in_recomputing,
                     dynet.config.enable_backprop))
        return a * 2

    x = Variable(numpy.array([1.0]))
    y = F.forget(f, x)
    assert seen == [(False, False)]
    y.backward()
    assert seen == [(False, False), (True, True)]
    assert dynet.config.in_recomputing is False


def test_forget_under_no_backprop_mode_records_nothing():
    x = Variable(numpy.array([1.0]))
    with dynet.no_backprop_mode():
        y = F.forget(lambda a: a * 2, x)
    assert y.creator is None


def test_forget_double_backprop_is_an_error():
    x = Variable(numpy.array([1.0, 2.0]))
    y = F.forget(lambda a: F.sum(a * a), x)
    with pytest.raises(RuntimeError, match='forget.*double backprop'):
        dynet.grad([y], [x], enable_double_backprop=True)


def test_forget_func_must_be_callable():
    with pytest.raises(TypeError, match='forget.*callable'):
        F.forget(1, Variable(numpy.zeros(2)))


@pytest.mark.parametrize('func,message', [
    (lambda a: a.array, 'Variable or a tuple of Variables.*ndarray'),
    (lambda a: (a, 1), '2nd element.*int'),
])
def test_forget_func_must_return_variables(func, message):
    with pytest.raises(RuntimeError, match=message):
        F.forget(func, Variable(numpy.zeros(2)))
