"""Tests of F.gaussian."""
import contextlib
import math

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
        test.check_forward_options = {'atol': 2e-3, 'rtol': 2e-3}
        test.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                       'rtol': 5e-3}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-5,
                                       'rtol': 1e-5}
    else:
        test.check_forward_options = {'atol': 1e-14, 'rtol': 1e-14}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-8}
    test.check_double_backward_options = test.check_backward_options


@contextlib.contextmanager
def _seeded(seed):
    state = numpy.random.get_state()
    numpy.random.seed(seed)
    try:
        yield
    finally:
        numpy.random.set_state(state)


def _reference(mean, ln_var, eps):
    z = numpy.empty(mean.shape)
    for i in numpy.ndindex(*mean.shape):
        z[i] = float(mean[i]) + math.exp(float(ln_var[i]) / 2) * float(eps[i])
    return z


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 3), (2, 1, 3)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestGaussianGivenEps(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.eps = numpy.random.standard_normal(self.shape)

    def generate_inputs(self):
        mean = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        ln_var = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        return mean, ln_var

    def forward(self, inputs, device):
        eps = device.send(self.eps.astype(self.dtype))
        return F.gaussian(*inputs, eps=eps),

    def forward_expected(self, inputs):
        eps = self.eps.astype(self.dtype)
        return _reference(inputs[0], inputs[1], eps).astype(self.dtype),


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (2, 1, 3)],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, [{}])
class TestGaussianRandomEps(function_link.FunctionTestCase):
    """eps from NumPy's global generator (reseeded in forward, so every
    evaluation uses the same eps); NumPy only, since the expected eps
    replays NumPy's ``standard_normal`` stream as Chainer draws it."""

    seed = 3

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        mean = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        ln_var = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        return mean, ln_var

    def forward(self, inputs, device):
        with _seeded(self.seed):
            return F.gaussian(*inputs),

    def forward_expected(self, inputs):
        with _seeded(self.seed):
            eps = numpy.random.standard_normal(self.shape).astype(self.dtype)
        return _reference(inputs[0], inputs[1], eps).astype(self.dtype),


@testing.fix_random()
@pytest.mark.parametrize('dtype', _FLOATS)
def test_gaussian_statistics(dtype):
    n = 20000
    mean = numpy.full(n, 2.0, dtype)
    ln_var = numpy.full(n, math.log(0.25), dtype)
    z = F.gaussian(Variable(mean), Variable(ln_var)).array.astype(
        numpy.float64)
    # N(2, 0.5 ** 2): the sample mean and deviation within 5 standard
    # errors.
    assert abs(z.mean() - 2) < 5 * 0.5 / math.sqrt(n)
    assert abs(z.std() - 0.5) < 5 * 0.5 / math.sqrt(2 * n)


def test_gaussian_gradients_and_return_eps():
    mean = Variable(numpy.array([0.5, -1.0]))
    ln_var = Variable(numpy.array([0.2, -0.4]))
    z, eps = F.gaussian(mean, ln_var, return_eps=True)
    z.grad = numpy.array([1.0, 2.0])
    z.backward()
    numpy.testing.assert_array_equal(mean.grad, [1, 2])
    numpy.testing.assert_allclose(
        ln_var.grad, [1, 2] * numpy.exp(ln_var.array / 2) * eps / 2,
        rtol=1e-14)
    z2 = F.gaussian(mean, ln_var, eps=eps)
    numpy.testing.assert_array_equal(z2.array, z.array)


def test_gaussian_samples_in_test_mode_too():
    # As in Chainer v7, gaussian does not look at config.train.
    with dynet.using_config('train', False):
        z = F.gaussian(numpy.zeros(1000), numpy.zeros(1000))
    assert z.array.std() > 0.5


def test_gaussian_second_derivative():
    ln_var = Variable(numpy.array([0.3, -0.6]))
    eps = numpy.array([0.7, -1.1])
    g, = dynet.grad([F.sum(F.gaussian(numpy.zeros(2), ln_var, eps=eps))],
                    [ln_var], enable_double_backprop=True)
    gg, = dynet.grad([F.sum(g)], [ln_var])
    numpy.testing.assert_allclose(
        gg.array, numpy.exp(ln_var.array / 2) * eps / 4, rtol=1e-14)


def test_gaussian_shape_mismatch():
    with pytest.raises(type_check.InvalidType) as info:
        F.gaussian(numpy.zeros(3, numpy.float32),
                   numpy.zeros(2, numpy.float32))
    message = str(info.value)
    assert 'Gaussian' in message and '(3,) != (2,)' in message


def test_gaussian_dtype_mismatch():
    with pytest.raises(type_check.InvalidType) as info:
        F.gaussian(numpy.zeros(3, numpy.float32), numpy.zeros(3))
    assert 'float32 != float64' in str(info.value)


def test_gaussian_eps_of_wrong_shape():
    with pytest.raises(type_check.InvalidType) as info:
        F.gaussian(numpy.zeros(3), numpy.zeros(3), eps=numpy.zeros(4))
    assert 'eps' in str(info.value)


def test_gaussian_unknown_argument():
    with pytest.raises(TypeError, match="gaussian.*'noise'"):
        F.gaussian(numpy.zeros(3), numpy.zeros(3), noise=1)
