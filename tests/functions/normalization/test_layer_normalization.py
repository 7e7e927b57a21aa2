"""Tests of F.layer_normalization."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet.testing import backend
from dynet.testing import function_link
from dynet.utils import type_check

_BACKENDS = [{}, {'use_cuda': True}]


def _reference(x, gamma, beta, eps):
    """Row by row (float64)."""
    x = x.astype(numpy.float64)
    y = numpy.empty_like(x)
    for i, row in enumerate(x):
        mu = sum(row) / row.size
        sigma2 = sum((v - mu) ** 2 for v in row) / row.size
        y[i] = gamma * (row - mu) / numpy.sqrt(sigma2 + eps) + beta
    return y


@testing.parameterize(*testing.product({
    'shape': [(3, 5), (1, 4), (0, 4), (2, 1)],
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
    'eps': [1e-5, 0.3],
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestLayerNormalization(function_link.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 5e-3, 'rtol': 5e-3}
            self.check_backward_options = {'eps': 1e-3, 'atol': 1e-2,
                                           'rtol': 1e-2}
            self.check_double_backward_options = {'eps': 1e-3, 'atol': 3e-2,
                                                  'rtol': 3e-2}
        elif self.dtype == numpy.float32:
            self.check_forward_options = {'atol': 1e-5, 'rtol': 1e-5}
            self.check_backward_options = {'eps': 1e-3, 'atol': 1e-4,
                                           'rtol': 1e-4}
            self.check_double_backward_options = self.check_backward_options
        else:
            self.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
            self.check_backward_options = {'eps': 1e-4, 'atol': 1e-7,
                                           'rtol': 1e-7}
            self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        units = self.shape[1]
        x = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        gamma = numpy.random.uniform(.5, 1.5, units).astype(self.dtype)
        beta = numpy.random.uniform(-1, 1, units).astype(self.dtype)
        return x, gamma, beta

    def forward(self, inputs, device):
        return F.layer_normalization(*inputs, eps=self.eps),

    def forward_expected(self, inputs):
        return _reference(*inputs, eps=self.eps).astype(self.dtype),


def test_default_eps():
    x = numpy.array([[0., 2.]], numpy.float64)
    y = F.layer_normalization(x, numpy.ones(2), numpy.zeros(2))
    numpy.testing.assert_allclose(y.array, [[-1, 1]] / numpy.sqrt(1 + 1e-5),
                                  rtol=1e-12)


def _args(x_shape=(2, 3), gamma_shape=(3,), dtypes=(numpy.float32,) * 3):
    return (numpy.zeros(x_shape, dtypes[0]),
            numpy.ones(gamma_shape, dtypes[1]),
            numpy.zeros(gamma_shape, dtypes[2]))


def test_input_must_be_2d():
    with pytest.raises(type_check.InvalidType) as info:
        F.layer_normalization(*_args((2, 3, 1)))
    assert 'LayerNormalization' in str(info.value)
    assert 'x.ndim == 2' in str(info.value) and 'x.ndim == 3' in str(
        info.value)


def test_gamma_size_must_match_units():
    with pytest.raises(type_check.InvalidType,
                       match=r'gamma.shape\[0\] == 4, x.shape\[1\] == 3'):
        F.layer_normalization(*_args((2, 3), (4,)))


def test_dtypes_must_agree():
    with pytest.raises(type_check.InvalidType, match='float64'):
        F.layer_normalization(*_args(dtypes=(numpy.float32, numpy.float64,
                                             numpy.float64)))


def test_integer_input_is_rejected():
    with pytest.raises(type_check.InvalidType, match='int32'):
        F.layer_normalization(*_args(dtypes=(numpy.int32, numpy.float32,
                                             numpy.float32)))
