"""Old-style ``Function`` (array-based forward/backward) via its adapter."""
import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import Function, Variable, gradient_check
from dynet.function import FunctionAdapter
from dynet.utils import type_check


class Mul(Function):
    """x * y; keeps both inputs (the old-style default)."""

    def forward(self, inputs):
        x, y = inputs
        return x * y,

    def backward(self, inputs, grad_outputs):
        x, y = inputs
        gz, = grad_outputs
        return gz * y, gz * x


class SinCos(Function):
    """Two outputs; backward copes with a missing output gradient."""

    def forward(self, inputs):
        x, = inputs
        return numpy.sin(x), numpy.cos(x)

    def backward(self, inputs, grad_outputs):
        x, = inputs
        g_sin, g_cos = grad_outputs
        gx = numpy.zeros_like(x)
        if g_sin is not None:
            gx += g_sin * numpy.cos(x)
        if g_cos is not None:
            gx -= g_cos * numpy.sin(x)
        return gx,


class ExpCPU(Function):
    """forward_cpu/backward_cpu; retains the output, not the input."""

    def forward_cpu(self, inputs):
        self.retain_inputs(())
        self.retain_outputs((0,))
        return numpy.exp(inputs[0]),

    def backward_cpu(self, inputs, grad_outputs):
        assert inputs == (None,)
        y, = self.output_data
        return grad_outputs[0] * y,


class MatVec(Function):
    """A type-checked function."""

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('W', 'v'))
        w_type, v_type = in_types
        type_check.expect(
            w_type.dtype.kind == 'f',
            w_type.ndim == 2,
            v_type.ndim == 1,
            w_type.shape[1] == v_type.shape[0],
        )

    def forward(self, inputs):
        w, v = inputs
        return w.dot(v),

    def backward(self, inputs, grad_outputs):
        w, v = inputs
        gy, = grad_outputs
        return numpy.outer(gy, v), w.T.dot(gy)


def _rand(*shape):
    return numpy.random.uniform(-1, 1, shape).astype(numpy.float32)


def test_exports():
    assert dynet.Function is Function
    assert dynet.function.Function is Function
    assert dynet.function.no_backprop_mode is dynet.no_backprop_mode
    assert dynet.function.force_backprop_mode is dynet.force_backprop_mode


def test_forward_values_and_return_types():
    x, y = _rand(3), _rand(3)
    z = Mul()(Variable(x), y)
    assert isinstance(z, Variable)
    numpy.testing.assert_allclose(z.array, x * y)
    s, c = SinCos()(Variable(x))
    numpy.testing.assert_allclose(s.array, numpy.sin(x))
    numpy.testing.assert_allclose(c.array, numpy.cos(x))


def test_node_and_graph_access():
    f = Mul()
    assert isinstance(f.node, FunctionAdapter)
    assert f.node.function is f
    x, y = Variable(_rand(2)), Variable(_rand(2))
    z = f(x, y)
    assert z.creator_node is f.node
    assert f.label == 'Mul' and f.node.label == 'Mul'
    assert f.inputs == (x.node, y.node)
    assert [r() for r in f.outputs] == [z.node]
    assert f.rank == 0 and z.node.rank == 1
    # Inputs are retained by default.
    assert x.node.data is x.array


def test_graph_owns_function():
    x = Variable(_rand(2))
    z = Mul()(x, x)   # the instance is referenced only by the graph
    import gc
    gc.collect()
    assert isinstance(z.creator_node.function, Mul)
    z.grad = numpy.ones(2, numpy.float32)
    z.backward()
    numpy.testing.assert_allclose(x.grad, 2 * x.array)


@pytest.mark.parametrize('func,n_in', [
    (lambda x, y: Mul()(x, y), 2),
    (lambda x: SinCos()(x), 1),
    (lambda x: ExpCPU()(x), 1),
    (lambda w, v: MatVec()(w, v), 2),
])
def test_check_backward(func, n_in):
    if n_in == 1:
        xs = (_rand(3, 2),)
        n_out = 2 if 'SinCos' in func.__code__.co_names else 1
        gy = tuple(_rand(3, 2) for _ in range(n_out))
    elif 'MatVec' in func.__code__.co_names:
        xs, gy = (_rand(3, 4), _rand(4)), _rand(3)
    else:
        xs, gy = (_rand(3), _rand(3)), _rand(3)
    gradient_check.check_backward(func, xs, gy, dtype=numpy.float64,
                                  atol=1e-3, rtol=1e-3)


def test_one_output_gradient_missing():
    x = Variable(_rand(4))
    s, c = SinCos()(x)
    F.sum(s).backward()   # c gets no gradient: backward sees None
    numpy.testing.assert_allclose(x.grad, numpy.cos(x.array), rtol=1e-6)


def test_mixed_with_new_style_functions():
    x, y = Variable(_rand(3)), Variable(_rand(3))
    h = F.tanh(x)
    z = Mul()(h, ExpCPU()(y))
    loss = F.sum(z * 2)
    loss.backward()
    t, e = numpy.tanh(x.array), numpy.exp(y.array)
    numpy.testing.assert_allclose(x.grad, 2 * e * (1 - t ** 2), rtol=1e-5)
    numpy.testing.assert_allclose(y.grad, 2 * t * e, rtol=1e-5)
    gx, = dynet.grad([loss], [x])
    numpy.testing.assert_allclose(gx.array, x.grad, rtol=1e-6)


def test_retain_outputs_and_output_data():
    f = ExpCPU()
    x = Variable(_rand(3))
    y = f(x)
    data = f.output_data
    assert len(data) == 1 and data[0] is y.array
    assert x.node.data is None   # retain_inputs(()) overrode the default


def test_no_recording_without_grad():
    f = Mul()
    with dynet.no_backprop_mode():
        z = f(Variable(_rand(2)), Variable(_rand(2)))
    assert z.creator_node is None


def test_type_check_failure_names_function():
    f = MatVec()
    with pytest.raises(type_check.InvalidType) as info:
        f(Variable(_rand(3, 4)), Variable(_rand(5)))
    message = str(info.value)
    assert 'MatVec' in message
    assert 'W.shape[1] == v.shape[0]' in message
    with dynet.using_config('type_check', False):
        with pytest.raises(ValueError):
            f(Variable(_rand(3, 4)), Variable(_rand(5)))


class _Recorder(dynet.FunctionHook):
    name = 'recorder'

    def __init__(self):
        self.calls = []

    def added(self, function):
        self.calls.append(('added', function))

    def deleted(self, function):
        self.calls.append(('deleted', function))

    def forward_preprocess(self, function, in_data):
        self.calls.append(('fwd', function.label, len(in_data)))

    def backward_postprocess(self, function, in_data, out_grad):
        self.calls.append(('bwd', function.label, len(out_grad)))


def test_local_hooks_forwarded():
    f = Mul()
    hook = _Recorder()
    f.add_hook(hook)
    assert f.local_function_hooks == {'recorder': hook}
    node = f.node
    x = Variable(_rand(2))
    z = f(x, x)
    F.sum(z).backward()
    assert hook.calls == [('added', node), ('fwd', 'Mul', 2),
                          ('bwd', 'Mul', 1)]
    f.delete_hook('recorder')
    assert hook.calls[-1] == ('deleted', node)
    assert f.local_function_hooks == {}
    with pytest.raises(KeyError):
        f.delete_hook('recorder')


def test_global_hook_sees_adapter():
    hook = _Recorder()
    x = Variable(_rand(2))
    with hook:
        F.sum(SinCos()(x)[0]).backward()
    assert ('fwd', 'SinCos', 1) in hook.calls
    assert ('bwd', 'SinCos', 2) in hook.calls


def test_instance_called_twice_keeps_first_graph():
    f = Mul()
    a, b = Variable(_rand(2)), Variable(_rand(2))
    z1 = f(a, a)
    z2 = f(b, b)
    assert z1.creator_node is not z2.creator_node
    assert f.node is z2.creator_node
    F.sum(z1 + z2).backward()
    numpy.testing.assert_allclose(a.grad, 2 * a.array)
    numpy.testing.assert_allclose(b.grad, 2 * b.array)


def test_bad_backward_results():
    class WrongCount(Mul):
        def backward(self, inputs, grad_outputs):
            return grad_outputs[0],

    class WrongShape(Mul):
        def backward(self, inputs, grad_outputs):
            g = numpy.zeros(7, numpy.float32)
            return g, g

    class WrongDtype(Mul):
        def backward(self, inputs, grad_outputs):
            g = grad_outputs[0].astype(numpy.float64)
            return g, g

    for cls, error in ((WrongCount, ValueError), (WrongShape, ValueError),
                       (WrongDtype, TypeError)):
        x = Variable(_rand(3))
        with pytest.raises(error, match=cls.__name__):
            F.sum(cls()(x, x)).backward()


def test_none_gradient_and_default_backward():
    class Halfway(Mul):
        def backward(self, inputs, grad_outputs):
            return grad_outputs[0] * inputs[1], None

    class NoBackward(Function):
        def forward(self, inputs):
            return inputs[0] + 1,

    x, y = Variable(_rand(2)), Variable(_rand(2))
    F.sum(Halfway()(x, y)).backward()
    numpy.testing.assert_allclose(x.grad, y.array)
    assert y.grad is None
    w = Variable(_rand(2))
    F.sum(NoBackward()(w) * 3).backward()
    assert w.grad is None


def test_scalar_gradients_are_arrays():
    # 0-d arithmetic in backward gives NumPy scalars; they become arrays.
    x = Variable(numpy.array(2.0, numpy.float32))
    w = Variable(numpy.array(3.0, numpy.float32))
    Mul()(x, w).backward()
    assert isinstance(x.grad, numpy.ndarray) and x.grad == 3.0
    assert isinstance(w.grad, numpy.ndarray) and w.grad == 2.0


def test_no_double_backprop():
    x = Variable(_rand(3))
    y = F.sum(Mul()(x, x))
    # A first backward with enable_double_backprop works ...
    gx, = dynet.grad([y], [x], enable_double_backprop=True)
    numpy.testing.assert_allclose(gx.array, 2 * x.array)
    # ... but differentiating the gradient again is refused.
    with pytest.raises(RuntimeError, match='old-style Function .Mul.'):
        F.sum(gx * gx).backward()
    x.cleargrad()
    y.backward(enable_double_backprop=True)
    with pytest.raises(RuntimeError, match='twice'):
        dynet.grad([F.sum(x.grad_var)], [x])


def test_check_double_backward_fails():
    with pytest.raises(RuntimeError, match='old-style'):
        gradient_check.check_double_backward(
            lambda x, y: Mul()(x, y), (_rand(3), _rand(3)), _rand(3),
            (_rand(3), _rand(3)), dtype=numpy.float64)


def test_gradient_without_double_backprop_is_constant():
    x = Variable(_rand(3))
    F.sum(Mul()(x, x)).backward()
    assert x.grad_var.creator_node is None
