"""Categorical, OneHotCategorical, Dirichlet, MultivariateNormal and
Independent: values against independent references, samples, gradients."""
import math

import numpy
import pytest

import dynet
from dynet import gradient_check
from dynet import testing
from dynet import distributions as D

stats = pytest.importorskip('scipy.stats', reason='scipy is needed for the '
                            'reference values (pip install scipy)')

F64 = numpy.float64
P = numpy.array([[0.1, 0.2, 0.3, 0.4], [0.7, 0.1, 0.1, 0.1]])
LOGIT = numpy.array([[0.5, -1.0, 2.0, 0.0], [1.0, 1.0, -3.0, 0.3]])


def _softmax(logit):
    e = numpy.exp(logit - logit.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# --------------------------------------------------------------- Categorical
@pytest.mark.parametrize('by', ['p', 'logit'])
def test_categorical_values(by):
    dist = D.Categorical(p=P) if by == 'p' else D.Categorical(logit=LOGIT)
    p = P if by == 'p' else _softmax(LOGIT)
    assert dist.batch_shape == (2,) and dist.event_shape == ()
    x = numpy.array([[3, 0], [1, 2], [0, 0]], dtype=numpy.int32)
    expected = numpy.log(p[numpy.arange(2), x])
    testing.assert_allclose(dist.log_prob(x).array, expected, atol=1e-12)
    testing.assert_allclose(dist.prob(x).array, numpy.exp(expected))
    testing.assert_allclose(dist.entropy.array,
                            [stats.entropy(row) for row in p])
    testing.assert_allclose(dist.p.array, p)
    # Float indices holding integers are accepted, like Chainer's cast.
    testing.assert_allclose(dist.log_prob(x.astype(F64)).array, expected)


def test_categorical_samples_frequencies_and_dtype():
    numpy.random.seed(0)
    dist = D.Categorical(p=P)
    samples = dist.sample(20000).array
    assert samples.shape == (20000, 2) and samples.dtype == numpy.int32
    for k in range(4):
        testing.assert_allclose((samples == k).mean(axis=0), P[:, k],
                                atol=0.015, rtol=0)
    assert dist.sample((3, 2)).shape == (3, 2, 2)


def test_categorical_sampling_matches_numpy_choice():
    # The same draws as numpy.random.choice row after row (Chainer's way).
    numpy.random.seed(1)
    got = D.Categorical(p=P).sample_n(7).array
    numpy.random.seed(1)
    expected = numpy.stack([numpy.random.choice(4, 7, p=row) for row in P],
                           axis=1)
    numpy.testing.assert_array_equal(got, expected)


def test_categorical_zero_probability():
    p = numpy.array([[0.0, 0.5, 0.5]])
    dist = D.Categorical(p=p)
    testing.assert_allclose(dist.entropy.array, [math.log(2)])
    assert dist.log_prob(numpy.array([0])).array[0] == -numpy.inf
    numpy.random.seed(2)
    assert not numpy.any(dist.sample(500).array == 0)
    # Gradient of the entropy stays finite at p == 0.
    p_var = dynet.Variable(p)
    D.Categorical(p=p_var).entropy.backward()
    assert numpy.all(numpy.isfinite(p_var.grad))


@pytest.mark.parametrize('by', ['p', 'logit'])
def test_categorical_gradients(by):
    x = numpy.array([[3, 0], [1, 2]], dtype=numpy.int32)
    gy = numpy.random.RandomState(0).uniform(-1, 1, (2, 2))

    def log_prob(param):
        return D.Categorical(**{by: param}).log_prob(x)

    def entropy(param):
        return D.Categorical(**{by: param}).entropy
    param = P if by == 'p' else LOGIT
    gradient_check.check_backward(log_prob, param, gy, eps=1e-6, atol=1e-6,
                                  rtol=1e-5)
    gradient_check.check_backward(entropy, param, gy[0], eps=1e-6,
                                  atol=1e-6, rtol=1e-5)


def test_categorical_bad_values():
    dist = D.Categorical(p=P)
    with pytest.raises(ValueError, match=r'Categorical\.log_prob.*\[0, 4\)'):
        dist.log_prob(numpy.array([4, 0]))
    with pytest.raises(ValueError, match=r'Categorical\.log_prob.*integer'):
        dist.log_prob(numpy.array([0.5, 0.0]))
    with pytest.raises(ValueError, match=r'Categorical\.log_prob.*x\.shape'):
        dist.log_prob(numpy.zeros((3,), numpy.int32))


# --------------------------------------------------------- OneHotCategorical
@pytest.mark.parametrize('by', ['p', 'logit'])
def test_one_hot_categorical(by):
    dist = (D.OneHotCategorical(p=P) if by == 'p'
            else D.OneHotCategorical(logit=LOGIT))
    p = P if by == 'p' else _softmax(LOGIT)
    assert dist.batch_shape == (2,) and dist.event_shape == (4,)
    x = numpy.eye(4)[[[3, 0], [1, 2]]]
    expected = numpy.log(p[numpy.arange(2), [[3, 0], [1, 2]]])
    testing.assert_allclose(dist.log_prob(x).array, expected)
    testing.assert_allclose(dist.mean.array, p)
    testing.assert_allclose(dist.variance.array, p * (1 - p))
    testing.assert_allclose(dist.covariance.array,
                            [numpy.diag(r) - numpy.outer(r, r) for r in p])
    testing.assert_allclose(dist.entropy.array,
                            [stats.entropy(row) for row in p])
    numpy.random.seed(3)
    samples = dist.sample(20000).array
    assert samples.shape == (20000, 2, 4) and samples.dtype == F64
    numpy.testing.assert_array_equal(samples.sum(axis=-1), 1)
    testing.assert_allclose(samples.mean(axis=0), p, atol=0.015, rtol=0)
    with pytest.raises(ValueError, match='OneHotCategorical.log_prob'):
        dist.log_prob(numpy.zeros((2, 3)))


def test_one_hot_categorical_gradient():
    x = numpy.eye(4)[[[3, 0], [1, 2]]]
    gy = numpy.random.RandomState(0).uniform(-1, 1, (2, 2))
    gradient_check.check_backward(
        lambda logit: D.OneHotCategorical(logit=logit).log_prob(x), LOGIT,
        gy, eps=1e-6, atol=1e-6, rtol=1e-5)


# ---------------------------------------------------------------- Dirichlet
ALPHA = numpy.array([[0.5, 1.0, 2.0], [3.0, 4.0, 1.5]])


def test_dirichlet_values():
    dist = D.Dirichlet(ALPHA)
    assert dist.batch_shape == (2,) and dist.event_shape == (3,)
    x = numpy.random.RandomState(0).dirichlet([1, 1, 1], (4, 2))
    expected = numpy.array([[stats.dirichlet(ALPHA[j]).logpdf(x[i, j])
                             for j in range(2)] for i in range(4)])
    testing.assert_allclose(dist.log_prob(x).array, expected, atol=1e-9)
    for j in range(2):
        ref = stats.dirichlet(ALPHA[j])
        testing.assert_allclose(dist.mean.array[j], ref.mean())
        testing.assert_allclose(dist.variance.array[j], ref.var())
        testing.assert_allclose(dist.entropy.array[j], ref.entropy())
    # A component outside (0, 1] has probability zero.
    bad = numpy.array([[0.5, 0.6, -0.1], [0.2, 0.3, 0.5]])
    y = dist.log_prob(bad).array
    assert y[0] == -numpy.inf and numpy.isfinite(y[1])


def test_dirichlet_samples_and_gradients():
    numpy.random.seed(4)
    dist = D.Dirichlet(ALPHA)
    samples = dist.sample(20000).array
    assert samples.shape == (20000, 2, 3)
    testing.assert_allclose(samples.sum(axis=-1), 1, atol=1e-12)
    testing.assert_allclose(samples.mean(axis=0), dist.mean.array,
                            atol=0.01, rtol=0)
    testing.assert_allclose(samples.var(axis=0), dist.variance.array,
                            atol=0.005, rtol=0.05)
    x = numpy.random.RandomState(1).dirichlet([2, 2, 2], (2,))
    gy = numpy.random.RandomState(2).uniform(-1, 1, (2,))
    gradient_check.check_backward(
        lambda a, x: D.Dirichlet(a).log_prob(x), (ALPHA, x), gy, eps=1e-6,
        atol=1e-6, rtol=1e-5)
    gradient_check.check_backward(
        lambda a: D.Dirichlet(a).entropy, ALPHA, gy, eps=1e-6, atol=1e-6,
        rtol=1e-5)


# ------------------------------------------------------- MultivariateNormal
LOC = numpy.array([[0.0, 1.0, -1.0], [2.0, 0.5, 0.0]])
TRIL = numpy.array([[[1.0, 0, 0], [0.5, 2.0, 0], [-0.3, 0.2, 0.7]],
                    [[0.6, 0, 0], [0.0, 1.0, 0], [0.4, -0.5, 1.5]]])


def test_multivariate_normal_values():
    dist = D.MultivariateNormal(LOC, scale_tril=TRIL)
    assert dist.batch_shape == (2,) and dist.event_shape == (3,)
    cov = TRIL @ TRIL.transpose(0, 2, 1)
    x = numpy.random.RandomState(0).normal(size=(4, 2, 3))
    expected = numpy.array([[stats.multivariate_normal(LOC[j], cov[j])
                             .logpdf(x[i, j]) for j in range(2)]
                            for i in range(4)])
    testing.assert_allclose(dist.log_prob(x).array, expected, atol=1e-9)
    testing.assert_allclose(dist.covariance.array, cov)
    testing.assert_allclose(dist.variance.array,
                            numpy.diagonal(cov, axis1=1, axis2=2))
    testing.assert_allclose(dist.stddev.array, numpy.sqrt(
        numpy.diagonal(cov, axis1=1, axis2=2)))
    testing.assert_allclose(dist.mean.array, LOC)
    testing.assert_allclose(dist.entropy.array, [
        stats.multivariate_normal(LOC[j], cov[j]).entropy()
        for j in range(2)])


def test_multivariate_normal_broadcasts_a_shared_scale():
    dist = D.MultivariateNormal(LOC, scale_tril=TRIL[0])
    assert dist.batch_shape == (2,)
    cov = TRIL[0] @ TRIL[0].T
    x = numpy.zeros(3)
    testing.assert_allclose(dist.log_prob(x).array, [
        stats.multivariate_normal(LOC[j], cov).logpdf(x) for j in range(2)])


def test_multivariate_normal_samples_and_gradients():
    numpy.random.seed(5)
    dist = D.MultivariateNormal(LOC, scale_tril=TRIL)
    samples = dist.sample(40000).array
    assert samples.shape == (40000, 2, 3)
    testing.assert_allclose(samples.mean(axis=0), LOC, atol=0.04, rtol=0)
    for j in range(2):
        testing.assert_allclose(numpy.cov(samples[:, j].T),
                                dist.covariance.array[j], atol=0.06,
                                rtol=0.03)
    x = numpy.random.RandomState(1).normal(size=(2, 3))
    gy = numpy.random.RandomState(2).uniform(-1, 1, (2,))
    # The check perturbs every entry; keep the factor lower triangular.
    lower = numpy.tril(numpy.ones((3, 3)))
    gradient_check.check_backward(
        lambda loc, tril, x: D.MultivariateNormal(
            loc, scale_tril=tril * lower).log_prob(x), (LOC, TRIL, x), gy,
        eps=1e-6, atol=1e-6, rtol=1e-5)

    def sample(loc, tril):
        numpy.random.seed(6)
        return D.MultivariateNormal(loc, scale_tril=tril * lower).sample(2)
    gradient_check.check_backward(
        sample, (LOC, TRIL),
        numpy.random.RandomState(3).uniform(-1, 1, (2, 2, 3)), eps=1e-6,
        atol=1e-6, rtol=1e-5)


def test_multivariate_normal_errors():
    with pytest.raises(ValueError, match='scale_tril must be given'):
        D.MultivariateNormal(LOC)
    with pytest.raises(ValueError, match=r'scale_tril\.shape must end with '
                       r'\(3, 3\)'):
        D.MultivariateNormal(LOC, scale_tril=numpy.eye(2))
    with pytest.raises(ValueError, match='lower triangular'):
        D.MultivariateNormal(LOC, scale_tril=TRIL.transpose(0, 2, 1))
    with pytest.raises(TypeError, match='unexpected keyword.*scale'):
        D.MultivariateNormal(LOC, scale=TRIL)
    dist = D.MultivariateNormal(LOC, scale_tril=TRIL)
    with pytest.raises(ValueError, match=r'MultivariateNormal\.log_prob'):
        dist.log_prob(numpy.zeros((2, 2)))


# --------------------------------------------------------------- Independent
def test_independent_shapes_and_reductions():
    loc = numpy.random.RandomState(0).normal(size=(4, 2, 3))
    scale = numpy.random.RandomState(1).uniform(0.5, 2, (4, 2, 3))
    base = D.Normal(loc, scale)
    default = D.Independent(base)            # all axes but the first
    assert default.reinterpreted_batch_ndims == 2
    assert default.batch_shape == (4,) and default.event_shape == (2, 3)
    one = D.Independent(base, reinterpreted_batch_ndims=1)
    assert one.batch_shape == (4, 2) and one.event_shape == (3,)
    x = numpy.random.RandomState(2).normal(size=(5, 4, 2, 3))
    ref = stats.norm(loc, scale)
    testing.assert_allclose(default.log_prob(x).array,
                            ref.logpdf(x).sum(axis=(-2, -1)))
    testing.assert_allclose(one.log_prob(x).array, ref.logpdf(x).sum(-1))
    testing.assert_allclose(one.prob(x).array, ref.pdf(x).prod(-1))
    testing.assert_allclose(one.cdf(x).array, ref.cdf(x).prod(-1))
    testing.assert_allclose(one.log_cdf(x).array, ref.logcdf(x).sum(-1))
    testing.assert_allclose(one.survival_function(x).array,
                            ref.sf(x).prod(-1))
    testing.assert_allclose(one.log_survival_function(x).array,
                            ref.logsf(x).sum(-1))
    testing.assert_allclose(one.entropy.array, ref.entropy().sum(-1))
    testing.assert_allclose(one.mean.array, loc)
    testing.assert_allclose(one.stddev.array, scale)
    assert one.params is not None and one.support == 'real'
    assert one.sample((2,)).shape == (2, 4, 2, 3)
    with pytest.raises(RuntimeError, match='not invertible'):
        one.icdf(x)
    zero = D.Independent(base, 0)
    assert zero.batch_shape == (4, 2, 3) and zero.event_shape == ()


def test_independent_covariance():
    scale = numpy.array([[1.0, 2.0, 3.0], [0.5, 0.5, 0.5]])
    dist = D.Independent(D.Normal(numpy.zeros((2, 3)), scale))
    testing.assert_allclose(dist.covariance.array,
                            [numpy.diag(s ** 2) for s in scale])
    mvn = D.MultivariateNormal(LOC, scale_tril=TRIL)
    block = D.Independent(mvn, 1)            # event (2, 3): 6x6 blocks
    cov = TRIL @ TRIL.transpose(0, 2, 1)
    expected = numpy.zeros((6, 6))
    expected[:3, :3], expected[3:, 3:] = cov[0], cov[1]
    testing.assert_allclose(block.covariance.array, expected)


def test_independent_of_multivariate_normal():
    dist = D.Independent(D.MultivariateNormal(LOC, scale_tril=TRIL), 1)
    assert dist.batch_shape == () and dist.event_shape == (2, 3)
    x = numpy.zeros((2, 3))
    testing.assert_allclose(
        dist.log_prob(x).array,
        D.MultivariateNormal(LOC, scale_tril=TRIL).log_prob(x).array.sum())


def test_independent_errors():
    base = D.Normal(numpy.zeros((2, 3)), numpy.ones((2, 3)))
    with pytest.raises(ValueError, match=r'reinterpreted_batch_ndims must be'
                       r' in \[0, 2\].*got 3'):
        D.Independent(base, 3)
    with pytest.raises(TypeError, match='reinterpreted_batch_ndims'):
        D.Independent(base, 1.0)
    with pytest.raises(TypeError, match='Independent: distribution must be'):
        D.Independent(numpy.zeros(3))
