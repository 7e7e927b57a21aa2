"""Tests of F.local_response_normalization."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet.testing import backend
from dynet.testing import function_link
from dynet.utils import type_check

_BACKENDS = [{}, {'use_cuda': True}]


def _reference(x, n, k, alpha, beta):
    """Channel by channel, with the window max(0, i - n // 2) ..
    min(C - 1, i + n // 2) of Chainer's formula (float64)."""
    x = x.astype(numpy.float64)
    channels = x.shape[1]
    y = numpy.empty_like(x)
    for i in range(channels):
        total = numpy.zeros_like(x[:, i])
        for j in range(max(0, i - n // 2), min(channels, i + n // 2 + 1)):
            total += x[:, j] ** 2
        y[:, i] = x[:, i] / (k + alpha * total) ** beta
    return y


@testing.parameterize(*(testing.product({
    'shape': [(2, 7, 3), (3, 4), (2, 3, 2, 2), (0, 5, 2)],
    'params': [(5, 2, 1e-4, .75), (3, 1, .5, .75), (2, 1.5, .3, .6),
               (1, 1, 1., 1.), (9, 1, .2, .75)],
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
})))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestLocalResponseNormalization(function_link.FunctionTestCase):

    def setUp(self):
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
        return numpy.random.uniform(-2, 2, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        n, k, alpha, beta = self.params
        return F.local_response_normalization(inputs[0], n, k, alpha, beta),

    def forward_expected(self, inputs):
        return _reference(inputs[0], *self.params).astype(self.dtype),


def test_defaults():
    x = numpy.random.uniform(-2, 2, (2, 7, 3)).astype(numpy.float64)
    numpy.testing.assert_allclose(
        F.local_response_normalization(x).array,
        _reference(x, 5, 2, 1e-4, .75), rtol=1e-12)


def test_alpha_multiplies_the_plain_sum():
    # One channel with value 2, the others 0: within the window, the
    # denominator is k + alpha * 4 (Caffe would use alpha / n * 4).
    x = numpy.zeros((1, 5), numpy.float64)
    x[0, 2] = 2.
    y = F.local_response_normalization(x, n=5, k=1, alpha=.5, beta=1).array
    numpy.testing.assert_allclose(y[0, 2], 2 / (1 + .5 * 4))


def test_even_n_uses_n_plus_one_channels():
    x = numpy.zeros((1, 6), numpy.float64)
    x[0, 0] = 1.
    x[0, 2] = 3.
    y = F.local_response_normalization(x, n=4, k=1, alpha=1, beta=1).array
    # Channel 0 sees channels 0..2 (n // 2 = 2 on each side).
    numpy.testing.assert_allclose(y[0, 0], 1 / (1 + 1 + 9))


def test_input_needs_two_dimensions():
    with pytest.raises(type_check.InvalidType) as info:
        F.local_response_normalization(numpy.zeros(3, numpy.float32))
    assert 'LocalResponseNormalization' in str(info.value)
    assert 'x.ndim >= 2' in str(info.value)


def test_integer_input_is_rejected():
    with pytest.raises(type_check.InvalidType, match='int32'):
        F.local_response_normalization(numpy.zeros((2, 3), numpy.int32))


@pytest.mark.parametrize('n', [0, -1, 2.5])
def test_window_must_be_positive_integer(n):
    with pytest.raises(ValueError, match='n must be a positive integer'):
        F.local_response_normalization(numpy.zeros((2, 3), numpy.float32),
                                       n=n)
