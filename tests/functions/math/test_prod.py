"""Tests of F.prod, including inputs with zeros."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _tolerances(test, dtype):
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 2e-3, 'rtol': 5e-3}
        test.check_backward_options = {'eps': 1e-3, 'atol': 5e-3,
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


def _axes_of(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        return (axis % ndim,)
    return tuple(a % ndim for a in axis)


def _prod_loops(x, axis, keepdims):
    x = x.astype(numpy.float64)
    axes = _axes_of(axis, x.ndim)
    out_shape = tuple(1 if i in axes else n for i, n in enumerate(x.shape))
    y = numpy.ones(out_shape)
    for index in numpy.ndindex(*x.shape):
        target = tuple(0 if i in axes else j for i, j in enumerate(index))
        y[target] *= x[index]
    if not keepdims:
        y = y.reshape(tuple(n for i, n in enumerate(x.shape)
                            if i not in axes))
    return y


@testing.parameterize(*testing.product({
    'shape_axis': [((3, 4), None), ((3, 4), 0), ((3, 4), -1),
                   ((2, 3, 4), 1), ((2, 3, 4), (0, 2)),
                   ((2, 3, 4), (2, 0)), ((2, 3, 4), ()), ((), None),
                   ((4,), 0), ((0, 3), 1), ((0, 3), 0)],
    'keepdims': [False, True],
    'zeros': [0, 1, 2],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestProd(testing.FunctionTestCase):
    """``zeros`` elements of the input are set to exactly 0: the gradient
    must stay exact (one zero: the others' product; two: zero)."""

    def setUp(self):
        _tolerances(self, self.dtype)
        self.shape, self.axis = self.shape_axis

    def generate_inputs(self):
        # Magnitudes near 1 keep products of many factors well scaled.
        x = numpy.random.uniform(0.5, 1.5, self.shape)
        x *= numpy.random.choice([-1, 1], self.shape)
        flat = x.reshape(-1)
        if flat.size:
            flat[numpy.random.choice(flat.size, min(self.zeros, flat.size),
                                     replace=False)] = 0
        return x.astype(self.dtype),

    def forward(self, inputs, device):
        return F.prod(inputs[0], axis=self.axis, keepdims=self.keepdims),

    def forward_expected(self, inputs):
        return _prod_loops(inputs[0], self.axis, self.keepdims).astype(
            self.dtype),


@pytest.mark.parametrize('x,expected', [
    ([2., 0., 3., 4.], [0., 24., 0., 0.]),
    ([0., 0., 3.], [0., 0., 0.]),
    ([5.], [1.]),
])
def test_gradient_with_zeros(x, expected):
    x = Variable(numpy.array(x))
    y = F.prod(x)
    y.backward()
    assert not numpy.isnan(x.grad).any()
    numpy.testing.assert_array_equal(x.grad, expected)


def test_second_derivative_with_a_zero():
    # d^2 prod / dx_i dx_j = product of the others: nonzero for i, j with
    # the zero among {i, j}.
    from dynet import grad
    x = Variable(numpy.array([2., 0., 3.]))
    gx, = grad([F.prod(x)], [x], enable_double_backprop=True)
    gx[1].backward()  # gx[1] = x0 * x2
    numpy.testing.assert_array_equal(x.grad, [3., 0., 2.])


def test_prod_rejects_integers():
    with pytest.raises(type_check.InvalidType) as info:
        F.prod(numpy.arange(4, dtype=numpy.int64))
    assert 'Prod' in str(info.value) and 'int64' in str(info.value)


def test_prod_axis_out_of_range():
    with pytest.raises(type_check.InvalidType, match='Prod'):
        F.prod(numpy.ones((2, 3), numpy.float32), axis=(0, 2))


def test_prod_duplicate_axis():
    with pytest.raises(ValueError, match='duplicate'):
        F.prod(numpy.ones((2, 3), numpy.float32), axis=(1, -1))
