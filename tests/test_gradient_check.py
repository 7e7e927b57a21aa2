import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import FunctionNode, Variable, gradient_check


class WrongGrad(FunctionNode):
    """y = x ** 2 with a backward that is off by a factor."""

    def __init__(self, factor):
        self.factor = factor

    def forward(self, inputs):
        self.retain_inputs((0,))
        return inputs[0] ** 2,

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * x * self.factor,


def _wrong(factor):
    return lambda x: WrongGrad(factor).apply((x,))[0]


def _data(*shape, seed=0):
    rng = numpy.random.RandomState(seed)
    return rng.uniform(0.5, 1.5, shape)


def test_numerical_grad_of_square():
    x = _data(3)
    gy = numpy.ones(3)
    gx, = gradient_check.numerical_grad(lambda: (x ** 2,), (x,), (gy,))
    numpy.testing.assert_allclose(gx, 2 * x, rtol=1e-6)


def test_numerical_grad_weights_outputs():
    x = _data(2, 2)
    gy = _data(2, 2, seed=1)
    gx, = gradient_check.numerical_grad(lambda: (x * 3,), (x,), (gy,))
    numpy.testing.assert_allclose(gx, 3 * gy, rtol=1e-6)


def test_numerical_grad_rejects_bad_eps():
    with pytest.raises(ValueError, match='eps'):
        gradient_check.numerical_grad(lambda: (), (), (), eps=0)


def test_numerical_grad_detects_kink():
    x = numpy.zeros(1)
    with pytest.raises(gradient_check.NondifferentiableError):
        gradient_check.numerical_grad(lambda: (abs(x),), (x,),
                                      (numpy.ones(1),),
                                      detect_nondifferentiable=True)


def test_check_backward_passes_for_correct_gradient():
    gradient_check.check_backward(_wrong(2), _data(2, 3), _data(2, 3, seed=1),
                                  dtype=numpy.float64)


def test_check_backward_fails_for_wrong_gradient_with_report():
    with pytest.raises(AssertionError) as info:
        gradient_check.check_backward(_wrong(2.1), _data(2, 3),
                                      _data(2, 3, seed=1))
    message = str(info.value)
    assert 'numerical' in message and 'analytic' in message
    assert 'x_data[0]' in message


def test_check_backward_multiple_inputs_and_no_grads():
    x, w = _data(3), _data(3, seed=2)
    labels = numpy.array([0, 1, 2], numpy.int32)

    def f(x, w, t):
        assert not t.requires_grad
        return x * w + x

    gradient_check.check_backward(f, (x, w, labels), numpy.ones(3))


def test_check_backward_no_grads_skips_wrong_input():
    def f(x, y):
        return WrongGrad(5).apply((x,))[0] + y
    # The wrong gradient is on x, which is excluded.
    gradient_check.check_backward(f, (_data(2), _data(2, seed=3)),
                                  numpy.ones(2), no_grads=[True, False])
    with pytest.raises(ValueError, match='no_grads has 1 entries'):
        gradient_check.check_backward(f, (_data(2), _data(2)), numpy.ones(2),
                                      no_grads=[True])


def test_check_backward_with_params():
    w = dynet.Parameter(_data(3))

    def f(x):
        return x * w

    gradient_check.check_backward(f, _data(3, seed=4), numpy.ones(3),
                                  params=(w,))
    original = w.array.copy()

    def wrong(x):
        return x * WrongGrad(1).apply((w,))[0]
    with pytest.raises(AssertionError):
        gradient_check.check_backward(wrong, _data(3, seed=4),
                                      numpy.ones(3), params=(w,))
    numpy.testing.assert_array_equal(w.array, original)


def test_check_backward_y_grad_none_for_scalar_output():
    gradient_check.check_backward(lambda x: F.sum(x * x), _data(4), None)
    with pytest.raises(ValueError, match='y_grad is None'):
        gradient_check.check_backward(lambda x: x * x, _data(4), None)


def test_check_backward_bad_y_grad_shape():
    with pytest.raises(ValueError, match=r'y_grad\[0\] has shape'):
        gradient_check.check_backward(lambda x: x * x, _data(4),
                                      numpy.ones(3))


def test_check_backward_float16_with_dtype():
    x = _data(3).astype(numpy.float16)
    gradient_check.check_backward(lambda x: x * x, x,
                                  numpy.ones(3, numpy.float16),
                                  dtype=numpy.float64, atol=1e-2, rtol=1e-2)


def test_check_backward_detect_nondifferentiable():
    with pytest.raises(gradient_check.NondifferentiableError):
        gradient_check.check_backward(
            F.relu, numpy.zeros(3), numpy.ones(3),
            detect_nondifferentiable=True)


def test_check_double_backward_passes_and_fails():
    gradient_check.check_double_backward(
        lambda x: x * x * x, _data(3), _data(3, seed=1), _data(3, seed=2))

    class WrongSecondOrder(FunctionNode):
        def forward(self, inputs):
            self.retain_inputs((0,))
            return inputs[0] ** 3,

        def backward(self, indexes, grad_outputs):
            x, = self.get_retained_inputs()
            # Right value, but its own derivative is wrong (x is treated
            # as constant in one factor).
            return grad_outputs[0] * 3 * x * Variable(x.array),

    f = lambda x: WrongSecondOrder().apply((x,))[0]  # NOQA
    gradient_check.check_backward(f, _data(3), _data(3, seed=1))
    with pytest.raises(AssertionError):
        gradient_check.check_double_backward(f, _data(3), _data(3, seed=1),
                                             _data(3, seed=2))
