"""Tests of F.cumprod, including inputs with zeros."""
import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _tolerances(test, dtype):
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 5e-3, 'rtol': 5e-3}
        test.check_backward_options = {'eps': 1e-3, 'atol': 1e-2,
                                       'rtol': 1e-2}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
        test.check_backward_options = {'eps': 1e-3, 'atol': 1e-5,
                                       'rtol': 1e-4}
    else:
        test.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-7}
    test.check_double_backward_options = test.check_backward_options


def _cumprod_loops(x, axis):
    x = x.astype(numpy.float64)
    if axis is None:
        x = x.reshape(-1)
        axis = 0
    axis %= x.ndim
    y = numpy.ones(x.shape)
    for index in numpy.ndindex(*x.shape):
        for j in range(index[axis] + 1):
            y[index] *= x[index[:axis] + (j,) + index[axis + 1:]]
    return y


@testing.parameterize(*testing.product({
    'shape_axis': [((4,), 0), ((4,), None), ((3, 4), 0), ((3, 4), 1),
                   ((3, 4), -1), ((3, 4), None), ((2, 3, 4), 1),
                   ((2, 3, 4), -3), ((), None), ((1,), 0), ((0, 3), 0),
                   ((3, 0), 1)],
    'zeros': [0, 1, 2],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestCumprod(testing.FunctionTestCase):
    """``zeros`` elements are exactly 0: gradients must stay exact."""

    def setUp(self):
        _tolerances(self, self.dtype)
        self.shape, self.axis = self.shape_axis

    def generate_inputs(self):
        x = numpy.random.uniform(0.5, 1.5, self.shape)
        x *= numpy.random.choice([-1, 1], self.shape)
        flat = x.reshape(-1)
        if flat.size:
            flat[numpy.random.choice(flat.size, min(self.zeros, flat.size),
                                     replace=False)] = 0
        return x.astype(self.dtype),

    def forward(self, inputs, device):
        return F.cumprod(inputs[0], axis=self.axis),

    def forward_expected(self, inputs):
        return _cumprod_loops(inputs[0], self.axis).astype(self.dtype),


def _cumprod_jacobian(x):
    """J[i, k] = d y_i / d x_k = prod(x_j for j <= i, j != k), i >= k."""
    n = len(x)
    jacobian = numpy.zeros((n, n))
    for i in range(n):
        for k in range(i + 1):
            jacobian[i, k] = numpy.prod([x[j] for j in range(i + 1)
                                         if j != k])
    return jacobian


@pytest.mark.parametrize('x', [[2., 0., 3., 4.], [0., 0., 3.],
                               [1.5, -2., 0.]])
def test_gradient_with_zeros_matches_the_jacobian(x):
    x = numpy.array(x)
    v = Variable(x.copy())
    y = F.cumprod(v)
    gy = numpy.array([1., -2., 3., 0.5])[:len(x)]
    y.grad = gy
    y.backward()
    assert not numpy.isnan(v.grad).any()
    numpy.testing.assert_allclose(v.grad, gy @ _cumprod_jacobian(x))


def test_second_derivative_with_a_zero():
    # y_2 = x0 x1 x2; d^2 y_2 / dx1 dx0 = x2, though x1 == 0.
    x = Variable(numpy.array([2., 0., 3.]))
    y = F.cumprod(x)
    gx, = dynet.grad([y[2]], [x], enable_double_backprop=True)
    gx[1].backward()  # gx[1] = x0 * x2
    numpy.testing.assert_array_equal(x.grad, [3., 0., 2.])


def test_cumprod_rejects_integers():
    with pytest.raises(type_check.InvalidType) as info:
        F.cumprod(numpy.arange(3, dtype=numpy.int32), axis=0)
    assert 'Cumprod' in str(info.value) and 'int32' in str(info.value)


@pytest.mark.parametrize('shape,axis', [((2, 3), 2), ((2, 3), -3), ((), 0)])
def test_cumprod_axis_out_of_range(shape, axis):
    with pytest.raises(type_check.InvalidType) as info:
        F.cumprod(numpy.ones(shape, numpy.float32), axis=axis)
    message = str(info.value)
    assert 'Cumprod' in message and 'ndim == {}'.format(len(shape)) in message


@pytest.mark.parametrize('axis', [(0,), 'a'])
def test_cumprod_axis_must_be_int_or_none(axis):
    with pytest.raises(TypeError, match='cumprod.*axis'):
        F.cumprod(numpy.ones((2, 3), numpy.float32), axis=axis)
