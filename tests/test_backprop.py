import gc
import weakref

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import FunctionNode, Variable


def _x(*values):
    return Variable(numpy.array(values, numpy.float32))


def test_scalar_output_starts_from_one_and_keeps_it():
    x = _x(1, 2, 3)
    y = F.sum(x * x)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [2, 4, 6])
    numpy.testing.assert_array_equal(y.grad, 1)


def test_non_scalar_without_grad_raises():
    x = _x(1, 2)
    y = x * 2
    with pytest.raises(RuntimeError, match=r'shape \(2,\).*set its grad'):
        y.backward()


def test_non_scalar_with_grad_set():
    x = _x(1, 2)
    y = x * 3
    y.grad = numpy.array([1, 10], numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [3, 30])


def test_leaf_gradients_accumulate_across_backward_calls():
    x = _x(1, 2)
    F.sum(x * 2).backward()
    F.sum(x * 3).backward()
    numpy.testing.assert_array_equal(x.grad, [5, 5])


def test_variable_used_several_times_accumulates():
    x = _x(3)
    y = x * x + x * 4 + x
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [2 * 3 + 4 + 1])


def test_shared_gradient_arrays_are_not_aliased_between_leaves():
    a, b = _x(1, 2), _x(3, 4)
    F.sum(a + b).backward()
    assert a.grad is not b.grad
    a.grad += 100
    numpy.testing.assert_array_equal(b.grad, [1, 1])


def test_retain_grad():
    x = _x(1, 2)
    h = x * 2
    y = F.sum(h * h)
    y.backward()
    assert h.grad is None
    x.cleargrad()
    h = x * 2
    y = F.sum(h * h)
    y.backward(retain_grad=True)
    numpy.testing.assert_array_equal(h.grad, 2 * h.array)
    numpy.testing.assert_array_equal(x.grad, 8 * x.array)


def test_loss_scale():
    x = dynet.Parameter(numpy.array([1., 2.], numpy.float32))
    F.sum(x * x).backward(loss_scale=4.0)
    numpy.testing.assert_array_equal(x.grad, [8, 16])
    assert x._loss_scale == 4.0


def test_deep_chain_does_not_recurse():
    x = _x(0)
    h = x
    for _ in range(100000):
        h = h + 1
    h.backward()
    numpy.testing.assert_array_equal(x.grad, [1])


def test_double_backprop_through_backward():
    x = _x(2)
    y = x ** 3
    y.backward(enable_double_backprop=True)
    gx = x.grad_var
    assert gx.creator is not None
    x.cleargrad()
    gx.backward()
    numpy.testing.assert_allclose(x.grad, [6 * 2])


def test_no_backprop_mode_records_nothing():
    x = _x(1)
    with dynet.no_backprop_mode():
        y = x * 2
        with dynet.force_backprop_mode():
            z = x * 2
    assert y.creator is None
    assert z.creator is not None


def test_intermediate_arrays_are_freed():
    # Add retains nothing: after the user drops h, its array must go.
    x = _x(*range(10))
    h = x + x
    ref = weakref.ref(h.array)
    y = h + x
    del h
    gc.collect()
    assert ref() is None
    F.sum(y).backward()
    numpy.testing.assert_array_equal(x.grad, numpy.full(10, 3))


def test_intermediate_gradients_are_freed_during_backward():
    seen = []

    class Probe(FunctionNode):
        def forward(self, inputs):
            return inputs[0] * 1,

        def backward(self, indexes, grad_outputs):
            seen.append(weakref.ref(grad_outputs[0].array))
            return grad_outputs[0] * 1,

    x = _x(1, 2)
    h = Probe().apply((x,))[0]
    h = Probe().apply((h,))[0]
    F.sum(h).backward()
    gc.collect()
    # The gradient handed to the first-run (outer) Probe is freed once
    # the walk no longer needs it.
    assert seen[0]() is None


class TestGrad:

    def test_returns_gradients_without_touching_grad(self):
        x, w = _x(1, 2), _x(3, 4)
        y = F.sum(x * w)
        gx, gw = dynet.grad([y], [x, w])
        numpy.testing.assert_array_equal(gx.array, [3, 4])
        numpy.testing.assert_array_equal(gw.array, [1, 2])
        assert x.grad is None and w.grad is None

    def test_intermediate_input(self):
        x = _x(1, 2)
        h = x * 2
        y = F.sum(h * h)
        gh, = dynet.grad([y], [h])
        numpy.testing.assert_array_equal(gh.array, 2 * h.array)

    def test_unreachable_input_is_none(self):
        x, z = _x(1), _x(2)
        assert dynet.grad([x * 2], [z]) == [None]

    def test_set_grad_and_grad_inputs(self):
        x = _x(1, 2)
        y = F.sum(x * 3)
        gx, = dynet.grad([y], [x], grad_inputs=[_x(10, 10)], set_grad=True)
        numpy.testing.assert_array_equal(gx.array, [13, 13])
        assert x.grad_var is gx

    def test_double_backprop(self):
        x = _x(3)
        y = x ** 3
        gx, = dynet.grad([y], [x], enable_double_backprop=True)
        ggx, = dynet.grad([gx], [x])
        numpy.testing.assert_allclose(ggx.array, [18])

    def test_bad_arguments(self):
        x = _x(1, 2)
        y = x * 2
        with pytest.raises(TypeError, match='outputs must be'):
            dynet.grad(y, [x])
        with pytest.raises(TypeError, match=r'inputs\[0\] must be a Variable'):
            dynet.grad([y], [x.array])
        with pytest.raises(ValueError, match='grad_outputs'):
            dynet.grad([y], [x])
        with pytest.raises(ValueError, match='1 grad_outputs for 2 outputs'):
            dynet.grad([y, y], [x], grad_outputs=[None])


class TestBackwardContract:

    def _apply(self, backward):
        class Node(FunctionNode):
            def forward(self, inputs):
                return inputs[0] * 2,

        Node.backward = backward
        x = _x(1, 2)
        return x, F.sum(Node().apply((x,))[0])

    def test_wrong_gradient_shape(self):
        x, y = self._apply(lambda self, i, g: (
            Variable(numpy.ones(3, numpy.float32)),))
        with pytest.raises(ValueError, match=r'Node.backward.*shape \(3,\)'):
            y.backward()

    def test_wrong_count(self):
        x, y = self._apply(lambda self, i, g: (None, None, None))
        with pytest.raises(ValueError, match='returned 3 gradients'):
            y.backward()

    def test_not_a_variable(self):
        x, y = self._apply(lambda self, i, g: (numpy.ones(2, 'f'),))
        with pytest.raises(TypeError, match='must return Variables'):
            y.backward()

    def test_not_a_tuple(self):
        x, y = self._apply(lambda self, i, g: g[0])
        with pytest.raises(TypeError, match='must return a tuple'):
            y.backward()


def test_debug_mode_detects_nan_in_forward():
    x = _x(-1)
    with dynet.using_config('debug', True):
        with pytest.raises(RuntimeError, match='NaN or Inf.*Log'):
            F.log(x)
        with pytest.raises(RuntimeError, match='NaN or Inf.*Log'):
            F.log(_x(0))
        y = F.log(_x(1))
    numpy.testing.assert_array_equal(y.array, [0])


def test_debug_mode_detects_nan_in_backward_and_names_the_function():
    class BadGrad(FunctionNode):
        def forward(self, inputs):
            return inputs[0] * 1,

        def backward(self, indexes, grad_outputs):
            return Variable(numpy.full(1, numpy.nan, numpy.float32)),

    x = _x(1)
    with dynet.using_config('debug', True):
        y = BadGrad().apply((x,))[0]
        with pytest.raises(RuntimeError,
                           match='NaN or Inf in the gradient.*BadGrad'):
            y.backward()


def test_zero_dim_gradients_stay_arrays_when_accumulated():
    x = Variable(numpy.array(2., numpy.float32))
    (x * x).backward()
    assert isinstance(x.grad, numpy.ndarray) and x.grad.shape == ()
    numpy.testing.assert_array_equal(x.grad, 4)
    (x * 3).backward()  # accumulates into the existing leaf gradient
    assert isinstance(x.grad, numpy.ndarray)
    numpy.testing.assert_array_equal(x.grad, 7)


def test_accumulation_never_writes_into_a_gradient_it_did_not_allocate():
    # Add's backward hands the same gradient array to both inputs, so h
    # receives the output gradient itself four times; sums must go to a
    # new array (later terms may be added into that one in place).
    x = dynet.Variable(numpy.ones(3, numpy.float32))
    h = x * 1
    y = h + h + h + h
    y.grad = numpy.full(3, 2, numpy.float32)
    y.backward(retain_grad=True)
    numpy.testing.assert_array_equal(y.grad, [2, 2, 2])
    numpy.testing.assert_array_equal(h.grad, [8, 8, 8])
    numpy.testing.assert_array_equal(x.grad, [8, 8, 8])


def test_in_place_accumulation_matches_a_fresh_sum_for_shared_weights():
    rng = numpy.random.RandomState(0)
    w = dynet.Variable(rng.randn(4, 4).astype(numpy.float32))
    xs = [rng.randn(2, 4).astype(numpy.float32) for _ in range(6)]
    loss = sum(dynet.functions.sum(dynet.functions.matmul(x, w)) for x in xs)
    loss.backward()
    expected = sum(x.sum(axis=0)[:, None] * numpy.ones((1, 4)) for x in xs)
    numpy.testing.assert_allclose(w.grad, expected, rtol=1e-5)
