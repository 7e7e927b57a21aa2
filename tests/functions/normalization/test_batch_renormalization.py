"""Tests of F.batch_renormalization and F.fixed_batch_renormalization."""
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
_DTYPES = [(numpy.float16, numpy.float16), (numpy.float32, numpy.float32),
           (numpy.float64, numpy.float64), (numpy.float16, numpy.float32)]


def _reference(x, gamma, beta, running_mean, running_var, rmax, dmax, eps):
    """Batch renormalization per channel (axis 1), by loops (float64)."""
    x = x.astype(numpy.float64)
    y = numpy.empty_like(x)
    for c in range(x.shape[1]):
        values = x[:, c]
        mu = values.sum() / values.size
        sigma2 = ((values - mu) ** 2).sum() / values.size
        std = numpy.sqrt(sigma2 + eps)
        running_std = numpy.sqrt(float(running_var[c]) + eps)
        r = min(max(std / running_std, 1. / rmax), rmax)
        d = min(max((mu - float(running_mean[c])) / running_std, -dmax),
                dmax)
        y[:, c] = float(gamma[c]) * ((values - mu) / std * r + d) + \
            float(beta[c])
    return y


def _batch(shape, mean, std):
    """A batch whose per-channel (axis 1) mean and standard deviation are
    exactly ``mean`` and ``std``."""
    z = numpy.random.uniform(-1, 1, shape)
    axes = (0,) + tuple(range(2, len(shape)))
    z = (z - z.mean(axis=axes, keepdims=True)) / z.std(axis=axes,
                                                       keepdims=True)
    return mean + std * z


def _r_d(x, running_mean, running_var, rmax, dmax, eps):
    x = x.astype(numpy.float64)
    axes = (0,) + tuple(range(2, x.ndim))
    mu = x.mean(axis=axes)
    std = numpy.sqrt(x.var(axis=axes) + eps)
    running_std = numpy.sqrt(running_var + eps)
    return (numpy.clip(std / running_std, 1 / rmax, rmax),
            numpy.clip((mu - running_mean) / running_std, -dmax, dmax))


@testing.parameterize(*testing.product({
    'shape': [(5, 3), (4, 2, 3)],
    'dtypes': _DTYPES,
    'regime': ['clipped', 'free'],
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestBatchRenormalization(function_link.FunctionTestCase):
    """'clipped': the running statistics are far from the batch ones, so r
    and d sit at their bounds and the function is locally batch
    normalization with constant corrections: the numerical gradient is the
    true one. 'free': r and d are strictly inside their bounds (the
    gradient, which treats them as constants, is tested separately)."""

    rmax = 3.
    dmax = 1.
    eps = 2e-5

    def setUp(self):
        self.dtype, self.param_dtype = self.dtypes
        channels = self.shape[1]
        if self.regime == 'clipped':
            self.running_mean = numpy.full(channels, 30.)
            self.running_var = numpy.full(channels, 100.)
        else:
            self.running_mean = numpy.full(channels, 0.05)
            self.running_var = numpy.full(channels, 0.3)
            self.skip_backward_test = True
            self.skip_double_backward_test = True
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
        # r = 0.8 / sqrt(0.3) and d = 0.15 / sqrt(0.3) in the free regime.
        x = _batch(self.shape, 0.2, 0.8).astype(self.dtype)
        c = self.shape[1]
        gamma = numpy.random.uniform(.5, 1.5, c).astype(self.param_dtype)
        beta = numpy.random.uniform(-1, 1, c).astype(self.param_dtype)
        return x, gamma, beta

    def forward(self, inputs, device):
        x, gamma, beta = inputs
        return F.batch_renormalization(
            x, gamma, beta, self.rmax, self.dmax, eps=self.eps,
            running_mean=self.running_mean.astype(self.param_dtype),
            running_var=self.running_var.astype(self.param_dtype)),

    def forward_expected(self, inputs):
        x, gamma, beta = inputs
        r, d = _r_d(x, self.running_mean, self.running_var, self.rmax,
                    self.dmax, self.eps)
        inside = (r > 1 / self.rmax) & (r < self.rmax) & \
            (abs(d) < self.dmax)
        # The regime the test means to exercise.
        assert inside.all() if self.regime == 'free' else not inside.any()
        return _reference(x, gamma, beta, self.running_mean,
                          self.running_var, self.rmax, self.dmax,
                          self.eps).astype(self.dtype),


@testing.fix_random()
def test_r_and_d_are_constants_in_backward():
    # Inside the bounds, the gradients are those of batch normalization
    # with scale gamma * r and shift gamma * d + beta, r and d held fixed.
    x = _batch((6, 3), 0.2, 0.8)
    gamma = numpy.random.uniform(.5, 1.5, 3)
    beta = numpy.random.uniform(-1, 1, 3)
    running_mean = numpy.full(3, 0.05)
    running_var = numpy.full(3, 0.3)
    gy = numpy.random.uniform(-1, 1, x.shape)
    r, d = _r_d(x, running_mean, running_var, 3., 1., 2e-5)
    assert (r > 1 / 3.).all() and (r < 3.).all() and (abs(d) < 1).all()

    xs = [Variable(x.copy()), Variable(gamma.copy()), Variable(beta.copy())]
    y = F.batch_renormalization(xs[0], xs[1], xs[2], 3., 1.,
                                running_mean=running_mean.copy(),
                                running_var=running_var.copy())
    y.grad = gy
    y.backward()

    ref = [Variable(x.copy()), Variable(gamma.copy()), Variable(beta.copy())]
    y_ref = F.batch_normalization(ref[0], ref[1] * r, ref[1] * d + ref[2])
    y_ref.grad = gy
    y_ref.backward()
    numpy.testing.assert_allclose(y.array, y_ref.array, rtol=1e-12)
    for a, b in zip(xs, ref):
        numpy.testing.assert_allclose(a.grad, b.grad, rtol=1e-10,
                                      atol=1e-12)


def test_defaults_of_the_link_reduce_to_batch_normalization():
    x = numpy.random.uniform(-1, 1, (5, 3, 2)).astype(numpy.float32)
    gamma = numpy.random.uniform(.5, 1.5, 3).astype(numpy.float32)
    beta = numpy.random.uniform(-1, 1, 3).astype(numpy.float32)
    y = F.batch_renormalization(
        x, gamma, beta, 1, 0, running_mean=numpy.full(3, 5, numpy.float32),
        running_var=numpy.full(3, 9, numpy.float32))
    numpy.testing.assert_allclose(
        y.array, F.batch_normalization(x, gamma, beta).array, rtol=1e-5,
        atol=1e-6)


@pytest.mark.parametrize('update', [False, True])
def test_update_statistics(update):
    x = numpy.random.uniform(-1, 1, (4, 2, 3)).astype(numpy.float32)
    running_mean = numpy.array([.1, .2], numpy.float32)
    running_var = numpy.array([1., 2.], numpy.float32)
    before_mean, before_var = running_mean.copy(), running_var.copy()
    F.batch_renormalization(x, numpy.ones(2, numpy.float32),
                            numpy.zeros(2, numpy.float32), 2, 1,
                            running_mean=running_mean,
                            running_var=running_var, decay=0.7,
                            update_statistics=update)
    if not update:
        numpy.testing.assert_array_equal(running_mean, before_mean)
        numpy.testing.assert_array_equal(running_var, before_var)
        return
    x64 = x.astype(numpy.float64)
    numpy.testing.assert_allclose(
        running_mean, 0.7 * before_mean + 0.3 * x64.mean(axis=(0, 2)),
        rtol=1e-6)
    # The running variance uses the unbiased batch variance (12 values).
    numpy.testing.assert_allclose(
        running_var,
        0.7 * before_var + 0.3 * x64.var(axis=(0, 2)) * 12 / 11, rtol=1e-6)


def test_output_uses_statistics_before_the_update():
    x = numpy.random.uniform(-1, 1, (6, 2)).astype(numpy.float64)
    gamma, beta = numpy.ones(2), numpy.zeros(2)
    running_mean, running_var = numpy.array([.1, -.1]), numpy.array([.4, .6])
    expected = _reference(x, gamma, beta, running_mean, running_var, 3., 1.,
                          2e-5)
    y = F.batch_renormalization(x, gamma, beta, 3., 1.,
                                running_mean=running_mean.copy(),
                                running_var=running_var.copy(),
                                update_statistics=True)
    numpy.testing.assert_allclose(y.array, expected, rtol=1e-12)


def test_running_statistics_are_required():
    x = numpy.zeros((2, 3), numpy.float32)
    gamma = numpy.ones(3, numpy.float32)
    with pytest.raises(TypeError, match='running_mean is required'):
        F.batch_renormalization(x, gamma, gamma, 1, 0,
                                running_var=numpy.ones(3, numpy.float32))
    with pytest.raises(TypeError, match='running_var is required'):
        F.batch_renormalization(x, gamma, gamma, 1, 0,
                                running_mean=numpy.ones(3, numpy.float32))


def test_gamma_shape_is_checked():
    x = numpy.zeros((2, 3), numpy.float32)
    gamma = numpy.ones(4, numpy.float32)
    with pytest.raises(type_check.InvalidType) as info:
        F.batch_renormalization(x, gamma, gamma, 1, 0, running_mean=gamma,
                                running_var=gamma)
    assert 'BatchRenormalization' in str(info.value)
    assert 'gamma.shape == (4,)' in str(info.value)


def test_fixed_batch_renormalization_is_deprecated_fixed_batch_norm():
    x = numpy.random.uniform(-1, 1, (3, 2)).astype(numpy.float32)
    gamma = numpy.array([1., 2.], numpy.float32)
    beta = numpy.array([0., 1.], numpy.float32)
    mean = numpy.array([.1, .2], numpy.float32)
    var = numpy.array([1., 2.], numpy.float32)
    with pytest.warns(DeprecationWarning):
        y = F.fixed_batch_renormalization(x, gamma, beta, mean, var)
    numpy.testing.assert_array_equal(
        y.array,
        F.fixed_batch_normalization(x, gamma, beta, mean, var).array)
    assert dynet.config.train
