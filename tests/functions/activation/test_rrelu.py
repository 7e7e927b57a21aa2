"""Tests of F.rrelu."""
import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.testing import backend
from dynet.testing import function_link
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _tolerances(test, dtype):
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 1e-3, 'rtol': 1e-3}
        test.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                       'rtol': 5e-3}
    else:
        test.check_forward_options = {'atol': 1e-7, 'rtol': 1e-7}
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-6,
                                       'rtol': 1e-6}
    test.check_double_backward_options = test.check_backward_options


def _reference(x, r):
    y = numpy.empty(x.shape)
    for i in numpy.ndindex(*x.shape):
        v = float(x[i])
        y[i] = v if v >= 0 else float(r[i]) * v
    return y


def _away_from_zero(shape, dtype):
    magnitude = numpy.random.uniform(0.1, 1, shape)
    sign = numpy.where(numpy.random.uniform(-1, 1, shape) < 0, -1, 1)
    return numpy.asarray(magnitude * sign).astype(dtype)


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 3), (2, 1, 3)],
    'train': [True, False],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestRReLUGivenSlopes(function_link.FunctionTestCase):
    """With ``r`` given (training) or the mean slope (test mode), rrelu
    is deterministic."""

    def setUp(self):
        _tolerances(self, self.dtype)
        self.l, self.u = 0.1, 0.4
        self.r = numpy.random.uniform(
            self.l, self.u, self.shape).astype(self.dtype)

    def generate_inputs(self):
        return _away_from_zero(self.shape, self.dtype),

    def forward(self, inputs, device):
        # The numerical gradient runs in float64: r follows x's dtype.
        r = device.send(self.r.astype(inputs[0].dtype))
        with dynet.using_config('train', self.train):
            return F.rrelu(inputs[0], l=self.l, u=self.u, r=r),

    def forward_expected(self, inputs):
        if self.train:
            r = self.r
        else:
            r = numpy.full(self.shape, (self.l + self.u) / 2)
        return _reference(inputs[0], r).astype(self.dtype),


@testing.fix_random()
@pytest.mark.parametrize('dtype', _FLOATS)
def test_rrelu_random_slopes_in_training(dtype):
    x = -numpy.ones((100, 100), dtype)
    y, r = F.rrelu(Variable(x), l=0.2, u=0.3, return_r=True)
    assert r.shape == x.shape and r.dtype == dtype
    numpy.testing.assert_array_equal(y.array, -r)
    r64 = r.astype(numpy.float64)
    assert r64.min() >= 0.2 - 1e-3 and r64.max() <= 0.3 + 1e-3
    # U(0.2, 0.3): mean 0.25, standard deviation 0.1 / sqrt(12).
    assert abs(r64.mean() - 0.25) < 5 * 0.0289 / 100
    assert abs(r64.std() - 0.1 / numpy.sqrt(12)) < 2e-3
    # The slopes are the global generator's uniform samples.
    numpy.random.seed(7)
    _, r1 = F.rrelu(Variable(x), l=0.2, u=0.3, return_r=True)
    numpy.random.seed(7)
    expected = numpy.random.uniform(0.2, 0.3, x.shape).astype(dtype)
    numpy.testing.assert_array_equal(r1, expected)


def test_rrelu_backward_uses_the_same_slopes():
    x = Variable(numpy.array([-1.0, -2.0, 0.0, 3.0]))
    y, r = F.rrelu(x, return_r=True)
    F.sum(y).backward()
    numpy.testing.assert_array_equal(x.grad, [r[0], r[1], 1, 1])


def test_rrelu_test_mode_uses_the_mean_slope():
    x = Variable(numpy.array([-1.0, 2.0], numpy.float32))
    with dynet.using_config('train', False):
        y, r = F.rrelu(x, return_r=True)
        # A given r is ignored in test mode, as in Chainer.
        y2 = F.rrelu(x, r=numpy.full(2, 0.9, numpy.float32))
    mean = (1 / 8 + 1 / 3) / 2
    numpy.testing.assert_allclose(r, [mean, mean])
    numpy.testing.assert_allclose(y.array, [-mean, 2])
    numpy.testing.assert_allclose(y2.array, [-mean, 2])


def test_rrelu_return_r_reuses():
    x = Variable(numpy.random.uniform(-1, 1, (3, 4)))
    y1, r = F.rrelu(x, return_r=True)
    y2 = F.rrelu(x, r=r)
    numpy.testing.assert_array_equal(y1.array, y2.array)


@pytest.mark.parametrize('l,u', [(-0.1, 0.3), (0.1, 1.0), (0.3, 0.2),
                                 (0.2, 0.2)])
def test_rrelu_invalid_bounds(l, u):  # NOQA: E741
    with pytest.raises(ValueError, match='rrelu'):
        F.rrelu(Variable(numpy.zeros(2)), l=l, u=u)


def test_rrelu_r_of_wrong_shape():
    with pytest.raises(type_check.InvalidType) as info:
        F.rrelu(Variable(numpy.zeros((2, 3), numpy.float32)),
                r=numpy.zeros((3,), numpy.float32))
    message = str(info.value)
    assert 'RReLU' in message and '(2, 3) != (3,)' in message


def test_rrelu_r_is_keyword_only():
    with pytest.raises(TypeError):
        F.rrelu(Variable(numpy.zeros(2)), 0.1, 0.2, numpy.zeros(2))
