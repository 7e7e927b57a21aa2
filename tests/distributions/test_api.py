"""The Distribution interface, parameter handling, parameterizations and
bad-argument errors (no scipy needed)."""
import math

import numpy
import pytest

import dynet
from dynet import gradient_check
from dynet import testing
from dynet import distributions as D
from dynet.distribution import Distribution

F32, F64 = numpy.float32, numpy.float64


def _a(*values, dtype=F64):
    return numpy.array(values, dtype=dtype)


# ------------------------------------------------------------ base class
class Coin(Distribution):
    """A user distribution defining only the minimum, as in Chainer."""

    def __init__(self, p):
        self.p = dynet.as_variable(p)

    @property
    def batch_shape(self):
        return self.p.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'p': self.p}

    def log_prob(self, x):
        return dynet.functions.log(x * self.p + (1 - x) * (1 - self.p))

    @property
    def variance(self):
        return self.p * (1 - self.p)

    def cdf(self, x):
        return dynet.functions.where(
            x < 1, (1 - self.p) * numpy.ones_like(x), numpy.ones_like(x))

    def sample_n(self, n):
        draws = numpy.random.binomial(1, self.p.array, (n,) + self.p.shape)
        return dynet.Variable(draws.astype(self.p.dtype))


def test_base_defaults():
    coin = Coin(_a(0.25, 0.5))
    x = _a(1, 0)
    testing.assert_allclose(coin.prob(x).array, [0.25, 0.5])
    testing.assert_allclose(coin.perplexity(x).array, [4, 2])
    testing.assert_allclose(coin.stddev.array, numpy.sqrt([0.1875, 0.25]))
    testing.assert_allclose(coin.survival_function(_a(0, 0)).array,
                            [0.25, 0.5])
    testing.assert_allclose(coin.log_cdf(_a(0, 0)).array,
                            numpy.log([0.75, 0.5]))
    testing.assert_allclose(coin.log_survival_function(_a(0, 0)).array,
                            numpy.log([0.25, 0.5]))
    assert coin.xp is numpy
    assert coin.device == dynet.get_device('@numpy')
    assert repr(coin) == 'Coin(batch_shape=(2,), event_shape=())'


@pytest.mark.parametrize('sample_shape,expected', [
    ((), (2,)), (3, (3, 2)), ((3,), (3, 2)), ((2, 3), (2, 3, 2)),
    ((0,), (0, 2)), ([4, 1], (4, 1, 2)),
])
def test_sample_shapes(sample_shape, expected):
    assert Coin(_a(0.25, 0.5)).sample(sample_shape).shape == expected


@pytest.mark.parametrize('bad', [-1, (2, -1), 1.5, (2.0,), 'ab', True])
def test_sample_bad_shape(bad):
    with pytest.raises((TypeError, ValueError),
                       match=r'Coin\.sample: sample_shape'):
        Coin(_a(0.5)).sample(bad)


def test_missing_methods_name_the_class():
    coin = Coin(_a(0.5))
    for name in ('mean', 'entropy', 'covariance', 'mode'):
        with pytest.raises(NotImplementedError, match='Coin.' + name):
            getattr(coin, name)
    with pytest.raises(NotImplementedError, match=r'Coin\.icdf'):
        coin.icdf(_a(0.5))
    with pytest.raises(NotImplementedError, match=r'Distribution\.params'):
        Distribution().params


@pytest.mark.parametrize('dist', [
    D.Normal(_a(0), _a(1)), D.Exponential(_a(1)), D.Bernoulli(p=_a(0.5)),
    D.Categorical(p=_a(0.5, 0.5)), D.Uniform(_a(0), _a(1)),
], ids=lambda d: type(d).__name__)
def test_sample_n_rejects_bad_n(dist):
    name = type(dist).__name__
    for bad in (-1, 2.0, None):
        with pytest.raises(ValueError, match=name + r'\.sample_n: n must be'):
            dist.sample_n(bad)


# -------------------------------------------------------- parameters
def test_params_accept_python_numbers_and_follow_array_dtype():
    d = D.Normal(0.0, 1.0)
    assert d.loc.dtype == F32 and d.batch_shape == ()
    d = D.Normal(numpy.zeros(3, F64), 2.0)
    assert d.scale.dtype == F64 and d.batch_shape == (3,)
    d = D.Normal([0.0, 1.0], [1.0, 2.0])
    assert d.batch_shape == (2,)
    testing.assert_allclose(d.log_prob(0.0).array,
                            [-0.5 * math.log(2 * math.pi),
                             -0.125 - math.log(2) - 0.5 * math.log(
                                 2 * math.pi)], rtol=1e-6)


def test_params_broadcast():
    d = D.Normal(numpy.zeros((2, 3)), numpy.ones(3))
    assert d.batch_shape == (2, 3) and d.scale.shape == (2, 3)
    assert d.params['scale'].shape == (2, 3)
    with pytest.raises(ValueError, match=r'Normal: the shapes of loc, scale '
                       r'do not broadcast.*\(2, 3\).*\(2,\)'):
        D.Normal(numpy.zeros((2, 3)), numpy.ones(2))


def test_param_type_errors():
    with pytest.raises(TypeError, match=r'Normal: the parameters must share '
                       r'one dtype.*float32.*float64'):
        D.Normal(numpy.zeros(2, F32), numpy.ones(2, F64))
    with pytest.raises(TypeError, match='Normal: loc must be a '
                       'floating-point array, got dtype int64'):
        D.Normal(numpy.zeros(2, numpy.int64), numpy.ones(2))
    with pytest.raises(TypeError, match='Exponential: lam must be a '
                       'Variable or an array, got str'):
        D.Exponential('1')


def test_log_prob_casts_x_to_the_parameter_dtype():
    d = D.Normal(numpy.zeros(2, F32), numpy.ones(2, F32))
    assert d.log_prob(numpy.zeros(2, F64)).dtype == F32
    x = dynet.Variable(numpy.zeros(2, F64))
    y = d.log_prob(x)
    assert y.dtype == F32
    dynet.functions.sum(y).backward()
    assert x.grad is not None and x.grad.dtype == F64
    with pytest.raises(TypeError, match=r'Normal\.log_prob: x must be'):
        d.log_prob('a')


def test_gradients_reach_parameter_variables():
    loc = dynet.Variable(_a(0.5, -0.5))
    log_scale = dynet.Variable(_a(0.1, 0.2))
    d = D.Normal(loc, log_scale=log_scale)
    dynet.functions.sum(d.log_prob(_a(1, 1)) + d.entropy).backward()
    assert loc.grad is not None and log_scale.grad is not None


# ----------------------------------------------------------------- Normal
def test_normal_log_scale_matches_scale():
    loc, log_scale = _a(0.3, -1), _a(-0.5, 0.7)
    x = _a(1.2, 0.4)
    by_log = D.Normal(loc, log_scale=log_scale)
    by_scale = D.Normal(loc, numpy.exp(log_scale))
    for name in ('log_prob', 'cdf', 'log_cdf', 'survival_function',
                 'log_survival_function'):
        testing.assert_allclose(getattr(by_log, name)(x).array,
                                getattr(by_scale, name)(x).array)
    for name in ('entropy', 'mean', 'variance', 'stddev', 'mode'):
        testing.assert_allclose(getattr(by_log, name).array,
                                getattr(by_scale, name).array)
    testing.assert_allclose(by_log.log_scale.array, log_scale)
    testing.assert_allclose(by_scale.log_scale.array, log_scale)
    gradient_check.check_backward(
        lambda m, s, x: D.Normal(m, log_scale=s).log_prob(x),
        (loc, log_scale, x), _a(1, -1), eps=1e-6, atol=1e-6, rtol=1e-5)

    def sample(m, s):
        numpy.random.seed(0)
        return D.Normal(m, log_scale=s).sample(3)
    gradient_check.check_backward(
        sample, (loc, log_scale), numpy.ones((3, 2)), eps=1e-6, atol=1e-6,
        rtol=1e-5)


def test_normal_sampling_uses_numpy_standard_normal():
    # Chainer draws standard_normal((n,) + batch_shape): same seed, same
    # numbers.
    loc, scale = _a(1, 2, 3), _a(0.5, 1, 2)
    numpy.random.seed(0)
    got = D.Normal(loc, scale).sample(4).array
    numpy.random.seed(0)
    expected = loc + scale * numpy.random.standard_normal((4, 3))
    testing.assert_allclose(got, expected, atol=0, rtol=1e-15)


def test_normal_errors():
    with pytest.raises(ValueError, match='Normal: give either scale or '
                       r'log_scale \(not both\); got both'):
        D.Normal(_a(0), _a(1), log_scale=_a(0))
    with pytest.raises(ValueError, match='got neither'):
        D.Normal(_a(0))
    with pytest.raises(TypeError, match='unexpected keyword.*sigma'):
        D.Normal(_a(0), sigma=_a(1))
    with pytest.raises(ValueError, match=r'Normal\.cdf: x\.shape must '
                       r'broadcast.*\(2,\).*\(3,\)'):
        D.Normal(_a(0, 1), _a(1, 1)).cdf(numpy.zeros(3))


# -------------------------------------------------------------- Bernoulli
def test_bernoulli_p_and_logit_agree():
    p = _a(0.1, 0.5, 0.8)
    x = _a(1, 0, 1)
    by_p = D.Bernoulli(p=p)
    by_logit = D.Bernoulli(logit=numpy.log(p / (1 - p)))
    testing.assert_allclose(by_p.log_prob(x).array,
                            by_logit.log_prob(x).array)
    testing.assert_allclose(by_p.entropy.array, by_logit.entropy.array)
    testing.assert_allclose(by_logit.p.array, p)
    testing.assert_allclose(by_p.logit.array, by_logit.logit.array)
    assert set(by_p.params) == {'p'} and set(by_logit.params) == {'logit'}


def test_bernoulli_grey_values_and_binary_check():
    p = _a(0.2, 0.7)
    x = _a(0.25, 0.5)
    relaxed = D.Bernoulli(p=p).log_prob(x).array
    testing.assert_allclose(relaxed, x * numpy.log(p)
                            + (1 - x) * numpy.log1p(-p))
    checked = D.Bernoulli(p=p, binary_check=True)
    assert numpy.all(checked.log_prob(x).array == -numpy.inf)
    testing.assert_allclose(checked.prob(x).array, [0, 0])
    testing.assert_allclose(checked.log_prob(_a(1, 0)).array,
                            numpy.log([0.2, 0.3]))


def test_bernoulli_extreme_parameters():
    for d in (D.Bernoulli(p=_a(0, 1)),
              D.Bernoulli(logit=_a(-numpy.inf, numpy.inf))):
        testing.assert_allclose(d.log_prob(_a(0, 1)).array, [0, 0])
        assert numpy.all(d.log_prob(_a(1, 0)).array == -numpy.inf)
        testing.assert_allclose(d.entropy.array, [0, 0])
    p = dynet.Variable(_a(0.0, 0.3))
    dynet.functions.sum(D.Bernoulli(p=p).log_prob(_a(0, 1))).backward()
    assert numpy.all(numpy.isfinite(p.grad))


def test_bernoulli_sample_draws_like_numpy_binomial():
    p = _a(0.2, 0.7, 0.5)
    numpy.random.seed(0)
    got = D.Bernoulli(p=p).sample(5).array
    numpy.random.seed(0)
    numpy.testing.assert_array_equal(
        got, numpy.random.binomial(1, p, (5, 3)))
    assert got.dtype == F64


def test_bernoulli_and_categorical_errors():
    for cls in (D.Bernoulli, D.Categorical, D.OneHotCategorical):
        with pytest.raises(ValueError, match=cls.__name__ + r': give either '
                           r'p or logit \(not both\); got both'):
            cls(p=_a(0.5, 0.5), logit=_a(0, 0))
        with pytest.raises(ValueError, match='got neither'):
            cls()
    with pytest.raises(ValueError, match='Categorical: p must sum to 1'):
        D.Categorical(p=_a(0.2, 0.2))
    with pytest.raises(ValueError, match='non-negative'):
        D.Categorical(p=_a(1.5, -0.5))
    with pytest.raises(ValueError, match='at least one axis'):
        D.Categorical(logit=numpy.array(0.0))


# ---------------------------------------------------------------- Uniform
def test_uniform_parameterizations():
    a = D.Uniform(_a(-1, 0), _a(1, 4))
    b = D.Uniform(loc=_a(-1, 0), scale=_a(2, 4))
    c = D.Uniform(low=_a(-1, 0), high=_a(1, 4))
    x = _a(0.5, 3.0)
    for d in (b, c):
        testing.assert_allclose(d.log_prob(x).array, a.log_prob(x).array)
        testing.assert_allclose(d.high.array, a.high.array)
    testing.assert_allclose(a.log_prob(_a(1.5, -0.1)).array,
                            [-numpy.inf, -numpy.inf])
    testing.assert_allclose(a.cdf(_a(-2, 5)).array, [0, 1])
    with pytest.raises(ValueError, match='Uniform: give either low and high '
                       'or loc and scale'):
        D.Uniform(low=_a(0), scale=_a(1))
    with pytest.raises(ValueError, match='Uniform: give both low and high'):
        D.Uniform(_a(0))
    with pytest.raises(ValueError, match='Uniform: give low and high'):
        D.Uniform()


def test_off_support_values():
    testing.assert_allclose(
        D.Exponential(_a(1, 1)).log_prob(_a(-1, 0)).array, [-numpy.inf, 0])
    testing.assert_allclose(D.Exponential(_a(2)).cdf(_a(-1)).array, [0])
    assert D.Gamma(_a(2), _a(1)).log_prob(_a(-1)).array[0] == -numpy.inf
    assert D.Beta(_a(2), _a(2)).log_prob(_a(1.5)).array[0] == -numpy.inf
    assert D.LogNormal(_a(0), _a(1)).log_prob(_a(0)).array[0] == -numpy.inf
    assert D.Pareto(_a(1), _a(2)).log_prob(_a(0.5)).array[0] == -numpy.inf
    assert D.Poisson(_a(2, 2)).log_prob(_a(1.5, -1)).array.tolist() == [
        -numpy.inf, -numpy.inf]
    assert D.Geometric(_a(0.5)).log_prob(_a(0)).array[0] == -numpy.inf
    # No NaN gradients from the masked branch.
    k = dynet.Variable(_a(2.0))
    dynet.functions.sum(D.Gamma(k, _a(1)).log_prob(_a(-1))).backward()
    assert numpy.isfinite(k.grad).all()


def test_cauchy_undefined_moments_warn():
    d = D.Cauchy(_a(0, 1), _a(1, 1))
    with pytest.warns(RuntimeWarning, match='mean of the Cauchy'):
        assert numpy.isnan(d.mean.array).all()
    with pytest.warns(RuntimeWarning, match='variance of the Cauchy'):
        assert numpy.isnan(d.variance.array).all()


def test_poisson_and_geometric_zero_edge_cases():
    testing.assert_allclose(D.Poisson(_a(0.0)).log_prob(_a(0)).array, [0])
    testing.assert_allclose(D.Geometric(_a(1.0)).log_prob(_a(1)).array, [0])


def test_double_backward_through_log_prob():
    loc, scale, x = _a(0.3, -1), _a(0.5, 2), _a(1.2, 0.4)
    gy, ggs = _a(1, -0.5), (_a(0.3, 0.2), _a(-0.4, 0.1), _a(0.2, 0.7))
    gradient_check.check_double_backward(
        lambda m, s, x: D.Normal(m, s).log_prob(x), (loc, scale, x), gy,
        ggs, eps=1e-5, atol=1e-5, rtol=1e-4)
    gradient_check.check_double_backward(
        lambda logit: D.Bernoulli(logit=logit).log_prob(_a(1, 0)), _a(0.3, -2),
        gy, _a(0.5, 0.5), eps=1e-5, atol=1e-5, rtol=1e-4)
