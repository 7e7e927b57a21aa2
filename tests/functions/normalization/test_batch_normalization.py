"""Tests of F.batch_normalization and F.fixed_batch_normalization."""
import warnings

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

# (x dtype, gamma/beta/statistics dtype)
_DTYPES = [(numpy.float16, numpy.float16), (numpy.float32, numpy.float32),
           (numpy.float64, numpy.float64), (numpy.float16, numpy.float32)]

# (x shape, gamma shape, axis); at least 4 elements per statistic.
_CASES = [
    ((5, 3), (3,), None),
    ((4, 3, 2, 2), (3,), None),
    ((4, 3, 2), (3, 2), None),
    ((3, 2, 4), (2,), (0, 2)),
    ((4, 5, 3), (4, 3), 1),
    ((4, 3, 2, 2), (3, 2), (0, -1)),
    ((6,), (), None),
]


def _tolerances(test, dtype):
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 5e-3, 'rtol': 5e-3}
        test.check_backward_options = {'eps': 1e-3, 'atol': 1e-2,
                                       'rtol': 1e-2}
        test.check_double_backward_options = {'eps': 1e-3, 'atol': 3e-2,
                                              'rtol': 3e-2}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-5, 'rtol': 1e-5}
        test.check_backward_options = {'eps': 1e-3, 'atol': 1e-4,
                                       'rtol': 1e-4}
        test.check_double_backward_options = test.check_backward_options
    else:
        test.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-7,
                                       'rtol': 1e-7}
        test.check_double_backward_options = test.check_backward_options


def _axes(ndim, gamma_ndim, axis):
    if axis is None:
        return (0,) + tuple(range(gamma_ndim + 1, ndim))
    if isinstance(axis, int):
        axis = (axis,)
    return tuple(a % ndim for a in axis)


def _channel_slices(x_shape, axes):
    """Yields (channel index, index of x selecting that channel's
    elements)."""
    key = [i for i in range(len(x_shape)) if i not in axes]
    for channel in numpy.ndindex(*[x_shape[i] for i in key]):
        index = [slice(None)] * len(x_shape)
        for axis, i in zip(key, channel):
            index[axis] = i
        yield channel, tuple(index)


def _reference_bn(x, gamma, beta, mean, var, eps, axes):
    """Per channel, by plain loops (float64)."""
    x = x.astype(numpy.float64)
    y = numpy.empty_like(x)
    for channel, index in _channel_slices(x.shape, axes):
        values = x[index]
        if mean is None:
            mu = sum(values.ravel()) / values.size
            sigma2 = sum((v - mu) ** 2 for v in values.ravel()) / values.size
        else:
            mu, sigma2 = float(mean[channel]), float(var[channel])
        y[index] = float(gamma[channel]) * (values - mu) / numpy.sqrt(
            sigma2 + eps) + float(beta[channel])
    return y


@testing.parameterize(*testing.product({
    'case': _CASES,
    'dtypes': _DTYPES,
    'eps': [2e-5, 0.5],
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestBatchNormalization(function_link.FunctionTestCase):

    def setUp(self):
        self.x_shape, self.gamma_shape, self.axis = self.case
        self.dtype, self.param_dtype = self.dtypes
        self.axes = _axes(len(self.x_shape), len(self.gamma_shape),
                          self.axis)
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, self.x_shape).astype(self.dtype)
        gamma = numpy.random.uniform(.5, 1.5, self.gamma_shape).astype(
            self.param_dtype)
        beta = numpy.random.uniform(-1, 1, self.gamma_shape).astype(
            self.param_dtype)
        return x, gamma, beta

    def forward(self, inputs, device):
        x, gamma, beta = inputs
        return F.batch_normalization(x, gamma, beta, eps=self.eps,
                                     axis=self.axis),

    def forward_expected(self, inputs):
        x, gamma, beta = inputs
        return _reference_bn(x, gamma, beta, None, None, self.eps,
                             self.axes).astype(self.dtype),


@testing.parameterize(*testing.product({
    'case': _CASES + [((0, 3), (3,), None), ((0, 3, 2), (3,), None)],
    'dtypes': _DTYPES,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestFixedBatchNormalization(function_link.FunctionTestCase):

    def setUp(self):
        self.x_shape, self.gamma_shape, self.axis = self.case
        self.dtype, self.param_dtype = self.dtypes
        self.axes = _axes(len(self.x_shape), len(self.gamma_shape),
                          self.axis)
        self.eps = 2e-5
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, self.x_shape).astype(self.dtype)

        def param(low, high):
            return numpy.random.uniform(low, high, self.gamma_shape).astype(
                self.param_dtype)
        return x, param(.5, 1.5), param(-1, 1), param(-1, 1), param(.5, 1.5)

    def forward(self, inputs, device):
        x, gamma, beta, mean, var = inputs
        return F.fixed_batch_normalization(x, gamma, beta, mean, var,
                                           axis=self.axis),

    def forward_expected(self, inputs):
        x, gamma, beta, mean, var = inputs
        return _reference_bn(x, gamma, beta, mean, var, self.eps,
                             self.axes).astype(self.dtype),


# ------------------------------------------------------ running statistics

def test_running_statistics_are_updated_in_place_with_unbiased_variance():
    x = numpy.random.uniform(-1, 1, (5, 3, 2)).astype(numpy.float32)
    gamma = numpy.ones(3, numpy.float32)
    beta = numpy.zeros(3, numpy.float32)
    running_mean = numpy.array([1., 2., 3.], numpy.float32)
    running_var = numpy.array([4., 5., 6.], numpy.float32)
    mean_before, var_before = running_mean.copy(), running_var.copy()
    mean_object = running_mean
    F.batch_normalization(x, gamma, beta, running_mean=running_mean,
                          running_var=running_var, decay=0.8)
    assert running_mean is mean_object
    x64 = x.astype(numpy.float64)
    m = 10
    batch_mean = x64.mean(axis=(0, 2))
    unbiased_var = ((x64 - batch_mean[None, :, None]) ** 2).sum(
        axis=(0, 2)) / (m - 1)
    numpy.testing.assert_allclose(
        running_mean, 0.8 * mean_before + 0.2 * batch_mean, rtol=1e-6)
    numpy.testing.assert_allclose(
        running_var, 0.8 * var_before + 0.2 * unbiased_var, rtol=1e-6)


def test_running_statistics_update_follows_chainer():
    # running *= decay; running += (1 - decay) [* m / (m - 1)] * stat: in
    # float32, equal to Chainer's (NumPy's mean and var) up to rounding
    # (the statistics are summed in another order).
    x = numpy.random.uniform(-1, 1, (7, 4)).astype(numpy.float32)
    running_mean = numpy.random.uniform(-1, 1, 4).astype(numpy.float32)
    running_var = numpy.random.uniform(.5, 1, 4).astype(numpy.float32)
    expected_mean, expected_var = running_mean.copy(), running_var.copy()
    F.batch_normalization(x, numpy.ones(4, numpy.float32),
                          numpy.zeros(4, numpy.float32),
                          running_mean=running_mean,
                          running_var=running_var)
    expected_mean *= 0.9
    expected_mean += (1 - 0.9) * x.mean(axis=0, dtype=numpy.float32)
    expected_var *= 0.9
    expected_var += (1 - 0.9) * (7 / 6.) * x.var(axis=0,
                                                 dtype=numpy.float32)
    numpy.testing.assert_allclose(running_mean, expected_mean, rtol=1e-6,
                                  atol=1e-7)
    numpy.testing.assert_allclose(running_var, expected_var, rtol=1e-6)


@pytest.mark.parametrize('shape', [(6, 4, 3), (64, 4, 2, 2), (5, 4)])
def test_float32_forward_agrees_with_chainer_to_rounding(shape):
    x = numpy.random.uniform(-3, 3, shape).astype(numpy.float32) + 10
    gamma = numpy.random.uniform(.5, 1.5, 4).astype(numpy.float32)
    beta = numpy.random.uniform(-1, 1, 4).astype(numpy.float32)
    y = F.batch_normalization(x, gamma, beta).array
    axes = (0,) + tuple(range(2, x.ndim))
    expand = (None, slice(None)) + (None,) * (x.ndim - 2)
    mean = x.mean(axis=axes, dtype=numpy.float32)[expand]
    var = x.var(axis=axes, dtype=numpy.float32)[expand]
    inv_std = numpy.reciprocal(numpy.sqrt(var + 2e-5, dtype=numpy.float32))
    expected = (x - mean) * inv_std * gamma[expand] + beta[expand]
    numpy.testing.assert_allclose(y, expected, rtol=1e-5, atol=2e-6)


def test_running_statistics_can_be_variables_and_keep_their_dtype():
    x = numpy.random.uniform(-1, 1, (4, 2)).astype(numpy.float16)
    gamma = numpy.ones(2, numpy.float32)
    beta = numpy.zeros(2, numpy.float32)
    running_mean = Variable(numpy.zeros(2, numpy.float32))
    running_var = Variable(numpy.ones(2, numpy.float32))
    y = F.batch_normalization(x, gamma, beta, running_mean=running_mean,
                              running_var=running_var)
    assert y.dtype == numpy.float16
    numpy.testing.assert_allclose(
        running_mean.array, 0.1 * x.astype(numpy.float64).mean(axis=0),
        rtol=1e-5)
    assert running_mean.dtype == numpy.float32


def test_single_sample_warns_and_gives_beta():
    x = numpy.random.uniform(-1, 1, (1, 3)).astype(numpy.float32)
    beta = numpy.array([1., 2., 3.], numpy.float32)
    running_mean = numpy.zeros(3, numpy.float32)
    running_var = numpy.ones(3, numpy.float32)
    with pytest.warns(UserWarning, match='no more than one sample'):
        y = F.batch_normalization(x, numpy.ones(3, numpy.float32), beta,
                                  running_mean=running_mean,
                                  running_var=running_var)
    numpy.testing.assert_allclose(y.array, beta[None], atol=1e-6)
    # m = 1: no Bessel correction (the factor is m / max(m - 1, 1) = 1).
    numpy.testing.assert_allclose(running_var, 0.9, rtol=1e-6)


def test_empty_batch_gives_empty_output_and_keeps_statistics():
    x = numpy.zeros((0, 3), numpy.float32)
    running_mean = numpy.ones(3, numpy.float32)
    running_var = numpy.ones(3, numpy.float32)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        y = F.batch_normalization(x, numpy.ones(3, numpy.float32),
                                  numpy.zeros(3, numpy.float32),
                                  running_mean=running_mean,
                                  running_var=running_var)
    assert y.shape == (0, 3)
    numpy.testing.assert_array_equal(running_mean, 1)
    numpy.testing.assert_array_equal(running_var, 1)


def test_float16_input_uses_float32_statistics():
    # A float16 batch whose mean is large against its spread: float16
    # statistics would lose the spread (its spacing at 512 is 0.5).
    base = numpy.linspace(-1, 1, 64)
    x = (512 + base).astype(numpy.float16)[:, None]
    y = F.batch_normalization(x, numpy.ones(1, numpy.float16),
                              numpy.zeros(1, numpy.float16))
    x64 = x.astype(numpy.float64)
    expected = (x64 - x64.mean()) / numpy.sqrt(x64.var() + 2e-5)
    numpy.testing.assert_allclose(y.array, expected, atol=2e-3)


@pytest.mark.parametrize('order', [2, 3])
def test_higher_derivatives_are_exact(order):
    # h_1 = sum(y^3), h_{k+1} = sum(grad_x(h_k)^2): the gradient of
    # h_order involves derivatives of y of order `order` + 1. Compared with
    # central differences of h_order.
    numpy.random.seed(3)
    x0 = numpy.random.uniform(-1, 1, (4, 2))
    gamma = numpy.array([1.2, -0.7])
    beta = numpy.array([0.3, 0.1])

    def h(x_array, differentiate):
        x = Variable(x_array)
        y = F.batch_normalization(x, gamma, beta)
        value = F.sum(y * y * y)
        for _ in range(order - 1):
            gx, = dynet.grad([value], [x], enable_double_backprop=True)
            value = F.sum(gx * gx)
        if not differentiate:
            return float(value.array)
        return dynet.grad([value], [x])[0].array

    analytic = h(x0, True)
    numerical = numpy.zeros_like(x0)
    for index in numpy.ndindex(*x0.shape):
        plus, minus = x0.copy(), x0.copy()
        plus[index] += 1e-6
        minus[index] -= 1e-6
        numerical[index] = (h(plus, False) - h(minus, False)) / 2e-6
    numpy.testing.assert_allclose(analytic, numerical, rtol=1e-5, atol=1e-5)


# ------------------------------------------------------------- bad input

def _bn_args(x_shape=(4, 3), gamma_shape=(3,)):
    return (numpy.zeros(x_shape, numpy.float32),
            numpy.ones(gamma_shape, numpy.float32),
            numpy.zeros(gamma_shape, numpy.float32))


def test_train_argument_is_rejected():
    with pytest.raises(ValueError, match='using_config'):
        F.batch_normalization(*_bn_args(), train=True)


def test_unknown_keyword_is_a_type_error():
    with pytest.raises(TypeError, match="'epsilon'"):
        F.batch_normalization(*_bn_args(), epsilon=1e-3)


@pytest.mark.parametrize('axis', [1.5, 'a', [0, None]])
def test_axis_of_wrong_type(axis):
    # Chainer raises RuntimeError; ours is also a ValueError.
    with pytest.raises(RuntimeError, match='axis'):
        F.batch_normalization(*_bn_args(), axis=axis)
    with pytest.raises(ValueError, match='axis'):
        F.batch_normalization(*_bn_args(), axis=axis)


def test_axis_must_be_ascending():
    with pytest.raises(RuntimeError, match='ascending'):
        F.batch_normalization(*_bn_args((4, 3, 2), (3,)), axis=(2, 0))


def test_axis_out_of_range():
    with pytest.raises(type_check.InvalidType, match=r'x.ndim == 2'):
        F.batch_normalization(*_bn_args(), axis=(0, 5))


def test_gamma_shape_must_match_channels():
    with pytest.raises(type_check.InvalidType) as info:
        F.batch_normalization(*_bn_args((4, 3), (5,)))
    message = str(info.value)
    assert 'BatchNormalization' in message
    assert '(3,)' in message and 'gamma.shape == (5,)' in message


def test_gamma_and_beta_dtypes_must_agree():
    x, gamma, _ = _bn_args()
    with pytest.raises(type_check.InvalidType, match='float64'):
        F.batch_normalization(x, gamma, numpy.zeros(3, numpy.float64))


def test_integer_input_is_rejected():
    _, gamma, beta = _bn_args()
    with pytest.raises(type_check.InvalidType, match='x.dtype == int32'):
        F.batch_normalization(numpy.zeros((4, 3), numpy.int32), gamma, beta)


def test_running_mean_without_running_var():
    with pytest.raises(ValueError, match='together'):
        F.batch_normalization(*_bn_args(),
                              running_mean=numpy.zeros(3, numpy.float32))


def test_running_statistics_shape_is_checked():
    with pytest.raises(type_check.InvalidType, match='running_mean.shape'):
        F.batch_normalization(*_bn_args(),
                              running_mean=numpy.zeros(4, numpy.float32),
                              running_var=numpy.zeros(4, numpy.float32))


def test_fixed_statistics_shapes_must_agree():
    x, gamma, beta = _bn_args()
    with pytest.raises(type_check.InvalidType) as info:
        F.fixed_batch_normalization(x, gamma, beta,
                                    numpy.zeros(3, numpy.float32),
                                    numpy.ones(2, numpy.float32))
    assert 'FixedBatchNormalization' in str(info.value)
    assert '(2,)' in str(info.value)


def test_fixed_statistics_dtypes_must_agree():
    x, gamma, beta = _bn_args()
    with pytest.raises(type_check.InvalidType, match='float64'):
        F.fixed_batch_normalization(x, gamma, beta,
                                    numpy.zeros(3, numpy.float64),
                                    numpy.ones(3, numpy.float32))
