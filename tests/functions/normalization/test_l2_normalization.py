"""Tests of F.normalize (L2 normalization)."""
import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.testing import backend
from dynet.testing import function_link
from dynet.utils import type_check

_BACKENDS = [{}, {'use_cuda': True}]


def _reference(x, eps, axis):
    """Vector by vector (float64)."""
    x = x.astype(numpy.float64)
    axes = (axis,) if isinstance(axis, int) else axis
    axes = tuple(a % x.ndim for a in axes)
    rest = [i for i in range(x.ndim) if i not in axes]
    y = numpy.empty_like(x)
    for position in numpy.ndindex(*[x.shape[i] for i in rest]):
        index = [slice(None)] * x.ndim
        for axis_, i in zip(rest, position):
            index[axis_] = i
        index = tuple(index)
        vector = x[index]
        norm = numpy.sqrt(sum(v * v for v in vector.ravel()))
        y[index] = vector / (norm + eps)
    return y


@testing.parameterize(*testing.product({
    'shape_axis': [((4, 3), 1), ((4, 3), 0), ((2, 3, 4), (1, 2)),
                   ((2, 3, 4), -1), ((3,), 0), ((0, 3), 1), ((2, 0), 1)],
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
    'eps': [1e-5, 0.5],
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestNormalize(function_link.FunctionTestCase):

    def setUp(self):
        self.shape, self.axis = self.shape_axis
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 2e-3, 'rtol': 2e-3}
            self.check_backward_options = {'eps': 1e-3, 'atol': 1e-2,
                                           'rtol': 1e-2}
            self.check_double_backward_options = {'eps': 1e-3, 'atol': 2e-2,
                                                  'rtol': 2e-2}
        elif self.dtype == numpy.float32:
            self.check_forward_options = {'atol': 1e-6, 'rtol': 1e-5}
            self.check_backward_options = {'eps': 1e-3, 'atol': 1e-4,
                                           'rtol': 1e-4}
            self.check_double_backward_options = self.check_backward_options
        else:
            self.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
            self.check_backward_options = {'eps': 1e-4, 'atol': 1e-7,
                                           'rtol': 1e-7}
            self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.normalize(inputs[0], eps=self.eps, axis=self.axis),

    def forward_expected(self, inputs):
        return _reference(inputs[0], self.eps, self.axis).astype(
            self.dtype),


def test_default_axis_is_1():
    x = numpy.random.uniform(-1, 1, (3, 4, 2))
    numpy.testing.assert_allclose(F.normalize(x).array,
                                  _reference(x, 1e-5, 1), rtol=1e-12)


def test_zero_vector_has_finite_derivatives():
    x = Variable(numpy.array([[0., 0., 0.], [1., 2., 2.]]))
    y = F.normalize(x, eps=0.5)
    numpy.testing.assert_array_equal(y.array[0], 0)
    gy = numpy.array([[1., -2., 3.], [0., 0., 0.]])
    gx, = dynet.grad([y], [x], grad_outputs=[Variable(gy)],
                     enable_double_backprop=True)
    # At 0, y = x / eps to first order: the gradient is gy / eps.
    numpy.testing.assert_allclose(gx.array[0], gy[0] / 0.5)
    ggx, = dynet.grad([F.sum(gx * gx)], [x])
    assert numpy.isfinite(ggx.array).all()


def test_float16_squares_do_not_overflow():
    # 300 ** 2 * 3 overflows float16 (largest 65504).
    x = numpy.full((1, 3), 300, numpy.float16)
    y = F.normalize(x)
    numpy.testing.assert_allclose(y.array, 1 / numpy.sqrt(3), rtol=1e-3)


def test_axis_out_of_range():
    with pytest.raises(type_check.InvalidType) as info:
        F.normalize(numpy.zeros((2, 3), numpy.float32), axis=2)
    assert 'NormalizeL2' in str(info.value)
    assert 'x.ndim == 2' in str(info.value)


def test_integer_input_is_rejected():
    with pytest.raises(type_check.InvalidType, match='int32'):
        F.normalize(numpy.zeros((2, 3), numpy.int32))
