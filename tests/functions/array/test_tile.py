"""Tests of F.tile."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.testing import backend
from dynet.testing import function_link

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


@testing.parameterize(*testing.product({
    'case': [((3, 2), 2), ((3, 2), (2, 1)), ((3, 2), (1, 3, 2)),
             ((2, 3, 2), (2,)), ((2,), (2, 2)), ((), 3), ((), ()),
             ((3, 2), (0, 2)), ((0, 2), (2, 3)), ((2, 2), [1, 2])],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestTile(function_link.FunctionTestCase):

    def setUp(self):
        self.shape, self.reps = self.case
        self.check_forward_options = {'atol': 0, 'rtol': 0}
        if self.dtype == numpy.float16:
            self.check_backward_options = {'atol': 2e-3, 'rtol': 2e-3}
        else:
            self.check_backward_options = {'atol': 1e-6, 'rtol': 1e-6}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.tile(inputs[0], self.reps),

    def forward_expected(self, inputs):
        x = inputs[0]
        reps = (self.reps,) if isinstance(self.reps, int) else \
            tuple(self.reps)
        ndim = max(x.ndim, len(reps))
        x = x.reshape((1,) * (ndim - x.ndim) + x.shape)
        reps = (1,) * (ndim - len(reps)) + reps
        shape = tuple(n * r for n, r in zip(x.shape, reps))
        y = numpy.empty(shape, x.dtype)
        for index in numpy.ndindex(*shape):
            y[index] = x[tuple(i % n for i, n in zip(index, x.shape))]
        return y,


def test_tile_gradient_sums_the_tiles():
    x = Variable(numpy.array([1.0, 2.0]))
    y = F.tile(x, 3)
    y.grad = numpy.arange(6.0)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [0 + 2 + 4, 1 + 3 + 5])


@pytest.mark.parametrize('reps,error,match', [
    (-1, ValueError, 'non-negative'), ((2, -1), ValueError, 'non-negative'),
    (1.5, TypeError, 'reps'), ((1, None), TypeError, 'reps')])
def test_tile_bad_reps(reps, error, match):
    with pytest.raises(error, match='Tile.*' + match):
        F.tile(numpy.zeros(2, numpy.float32), reps)
