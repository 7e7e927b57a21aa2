"""Tests of F.group_normalization."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet.testing import backend
from dynet.testing import function_link
from dynet.utils import type_check

_BACKENDS = [{}, {'use_cuda': True}]
_DTYPES = [(numpy.float16, numpy.float16), (numpy.float32, numpy.float32),
           (numpy.float64, numpy.float64), (numpy.float16, numpy.float32)]


def _reference(x, groups, gamma, beta, eps):
    """Sample by sample, group by group (float64)."""
    x = x.astype(numpy.float64)
    y = numpy.empty_like(x)
    size = x.shape[1] // groups
    for n in range(x.shape[0]):
        for g in range(groups):
            block = x[n, g * size:(g + 1) * size]
            mu = block.sum() / block.size
            sigma2 = ((block - mu) ** 2).sum() / block.size
            for c in range(g * size, (g + 1) * size):
                y[n, c] = float(gamma[c]) * (x[n, c] - mu) / numpy.sqrt(
                    sigma2 + eps) + float(beta[c])
    return y


@testing.parameterize(*testing.product({
    'shape_groups': [((2, 4, 3), 2), ((2, 6, 2, 2), 3), ((2, 6, 2, 2), 1),
                     ((3, 4, 2), 4), ((3, 4), 2), ((0, 4, 2), 2)],
    'dtypes': _DTYPES,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestGroupNormalization(function_link.FunctionTestCase):

    eps = 1e-5

    def setUp(self):
        self.shape, self.groups = self.shape_groups
        self.dtype, self.param_dtype = self.dtypes
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
        channels = self.shape[1]
        x = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        gamma = numpy.random.uniform(.5, 1.5, channels).astype(
            self.param_dtype)
        beta = numpy.random.uniform(-1, 1, channels).astype(self.param_dtype)
        return x, gamma, beta

    def forward(self, inputs, device):
        x, gamma, beta = inputs
        return F.group_normalization(x, self.groups, gamma, beta),

    def forward_expected(self, inputs):
        x, gamma, beta = inputs
        return _reference(x, self.groups, gamma, beta, self.eps).astype(
            self.dtype),


def _args(shape=(2, 4, 3), channels=4, dtype=numpy.float32):
    return (numpy.zeros(shape, dtype), numpy.ones(channels, numpy.float32),
            numpy.zeros(channels, numpy.float32))


@pytest.mark.parametrize('groups', [2.0, '2', None, True])
def test_groups_must_be_an_int(groups):
    x, gamma, beta = _args()
    with pytest.raises(TypeError, match='groups must be an int'):
        F.group_normalization(x, groups, gamma, beta)


@pytest.mark.parametrize('groups', [3, 0, -2])
def test_groups_must_divide_channels(groups):
    x, gamma, beta = _args()
    with pytest.raises(ValueError, match='divisor of the number of '
                                         'channels 4, got {}'.format(groups)):
        F.group_normalization(x, groups, gamma, beta)


def test_numpy_integer_groups_are_accepted():
    x, gamma, beta = _args()
    assert F.group_normalization(x, numpy.int64(2), gamma, beta).shape == \
        x.shape


def test_input_must_have_channels():
    x, gamma, beta = _args(shape=(4,))
    with pytest.raises(type_check.InvalidType) as info:
        F.group_normalization(x, 2, gamma, beta)
    assert 'GroupNormalization' in str(info.value)
    assert 'x.ndim >= 2' in str(info.value)


def test_gamma_size_must_match_channels():
    x, gamma, beta = _args(channels=6)
    with pytest.raises(type_check.InvalidType,
                       match=r'gamma.shape\[0\] == 6, x.shape\[1\] == 4'):
        F.group_normalization(x, 2, gamma, beta)


def test_integer_input_is_rejected():
    x, gamma, beta = _args(dtype=numpy.int32)
    with pytest.raises(type_check.InvalidType, match='int32'):
        F.group_normalization(x, 2, gamma, beta)
