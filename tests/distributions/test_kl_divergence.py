"""KL divergences against numerical integration, sums over the support,
Monte Carlo and closed forms; their gradients; the registry."""
import math

import numpy
import pytest

import dynet
from dynet import gradient_check
from dynet import testing
from dynet import distributions as D
from dynet.distribution import (
    Distribution, cross_entropy, kl_divergence, register_kl)

scipy_integrate = pytest.importorskip(
    'scipy.integrate', reason='scipy is needed for the reference values')
stats = pytest.importorskip('scipy.stats')

F64 = numpy.float64


def _a(*values):
    return numpy.array(values, dtype=F64)


# Continuous univariate pairs: (make, params1, params2, scipy maker, domain)
CONTINUOUS = {
    'Normal': (D.Normal, (_a(0, 1), _a(1, 0.5)), (_a(0.5, -1), _a(2, 1)),
               lambda loc, scale: stats.norm(loc, scale),
               (-numpy.inf, numpy.inf)),
    'Exponential': (D.Exponential, (_a(0.5, 2),), (_a(1.5, 1),),
                    lambda lam: stats.expon(scale=1 / lam), (0, numpy.inf)),
    'Gamma': (D.Gamma, (_a(2, 0.8), _a(1, 2)), (_a(3, 1.5), _a(0.5, 1)),
              lambda k, t: stats.gamma(k, scale=t), (0, numpy.inf)),
    'Beta': (D.Beta, (_a(2, 0.8), _a(3, 1.5)), (_a(1.5, 2), _a(1, 2.5)),
             lambda a, b: stats.beta(a, b), (0, 1)),
    'LogNormal': (D.LogNormal, (_a(0, 0.5), _a(0.5, 1)),
                  (_a(0.3, 0), _a(1, 0.7)),
                  lambda mu, s: stats.lognorm(s, scale=math.exp(mu)),
                  (0, numpy.inf)),
    'Laplace': (D.Laplace, (_a(0, 1), _a(1, 0.5)), (_a(0.5, -1), _a(2, 1)),
                lambda loc, scale: stats.laplace(loc, scale),
                (-numpy.inf, numpy.inf)),
    'Cauchy': (D.Cauchy, (_a(0, 1), _a(1, 0.5)), (_a(0.5, -1), _a(2, 1)),
               lambda loc, scale: stats.cauchy(loc, scale),
               (-numpy.inf, numpy.inf)),
    'Gumbel': (D.Gumbel, (_a(0, 1), _a(1, 0.5)), (_a(0.5, -1), _a(2, 1)),
               lambda loc, scale: stats.gumbel_r(loc, scale),
               (-numpy.inf, numpy.inf)),
}


def _integrated_kl(ref1, ref2, domain):
    def integrand(x):
        log_p = ref1.logpdf(x)
        if not numpy.isfinite(log_p):        # p(x) == 0 in the far tails
            return 0.0
        return math.exp(log_p) * (log_p - ref2.logpdf(x))
    lo, hi = domain
    # Split at the median so quad sees both sides of the peak.
    mid = ref1.median()
    return (scipy_integrate.quad(integrand, lo, mid, limit=200)[0]
            + scipy_integrate.quad(integrand, mid, hi, limit=200)[0])


@pytest.mark.parametrize('name', sorted(CONTINUOUS))
def test_continuous_kl_matches_integration(name):
    make, params1, params2, ref, domain = CONTINUOUS[name]
    got = kl_divergence(make(*params1), make(*params2))
    assert got.shape == (2,) and got.dtype == F64
    for i in range(2):
        expected = _integrated_kl(ref(*[p[i] for p in params1]),
                                  ref(*[p[i] for p in params2]), domain)
        testing.assert_allclose(got.array[i], expected, atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize('name', sorted(CONTINUOUS))
def test_kl_gradient(name):
    make, params1, params2 = CONTINUOUS[name][:3]
    n1 = len(params1)

    def f(*params):
        return kl_divergence(make(*params[:n1]), make(*params[n1:]))
    gy = numpy.random.RandomState(0).uniform(-1, 1, (2,))
    gradient_check.check_backward(f, params1 + params2, gy, eps=1e-6,
                                  atol=1e-6, rtol=1e-5)


def test_normal_kl_closed_form_and_broadcasting():
    # KL(N(mu, s) || N(0, 1)) = (mu^2 + s^2 - 1) / 2 - log s, over a
    # (3, 2) batch against a prior of shape (2,), as in the VAE example.
    mu = numpy.random.RandomState(0).normal(size=(3, 2))
    log_s = numpy.random.RandomState(1).normal(size=(3, 2)) * 0.3
    q = D.Normal(mu, log_scale=log_s)
    p = D.Normal(numpy.zeros(2), numpy.ones(2))
    kl = kl_divergence(q, p)
    assert kl.shape == (3, 2)
    expected = (mu ** 2 + numpy.exp(2 * log_s) - 1) / 2 - log_s
    testing.assert_allclose(kl.array, expected)
    testing.assert_allclose(
        kl.array, dynet.functions.gaussian_kl_divergence(
            mu, 2 * log_s, reduce='no').array)


def _discrete_kl(pmf1, pmf2, support):
    p = pmf1(support)
    keep = p > 0
    return float(numpy.sum(p[keep] * (numpy.log(p[keep])
                                      - numpy.log(pmf2(support)[keep]))))


@pytest.mark.parametrize('name,make,params1,params2,ref,support', [
    ('Bernoulli-p', lambda p: D.Bernoulli(p=p), (_a(0.2, 0.9),),
     (_a(0.5, 0.3),), lambda p: stats.bernoulli(p), numpy.arange(2)),
    ('Bernoulli-logit', lambda l: D.Bernoulli(logit=l), (_a(-1, 2),),
     (_a(0.5, -0.3),), lambda l: stats.bernoulli(1 / (1 + math.exp(-l))),
     numpy.arange(2)),
    ('Poisson', D.Poisson, (_a(0.5, 4),), (_a(2, 3),),
     lambda lam: stats.poisson(lam), numpy.arange(200)),
    ('Geometric', D.Geometric, (_a(0.2, 0.7),), (_a(0.5, 0.1),),
     lambda p: stats.geom(p), numpy.arange(1, 400)),
])
def test_discrete_kl_matches_sum(name, make, params1, params2, ref, support):
    got = kl_divergence(make(*params1), make(*params2))
    for i in range(2):
        expected = _discrete_kl(ref(params1[0][i]).pmf,
                                ref(params2[0][i]).pmf, support)
        testing.assert_allclose(got.array[i], expected, atol=1e-9, rtol=1e-7)
    gy = numpy.ones(2)
    gradient_check.check_backward(
        lambda a, b: kl_divergence(make(a), make(b)), params1 + params2, gy,
        eps=1e-6, atol=1e-6, rtol=1e-5)


def test_bernoulli_kl_at_extreme_probabilities():
    got = kl_divergence(D.Bernoulli(p=_a(0, 1)), D.Bernoulli(p=_a(0.5, 0.5)))
    testing.assert_allclose(got.array, [math.log(2), math.log(2)])


@pytest.mark.parametrize('cls', [D.Categorical, D.OneHotCategorical])
def test_categorical_kl(cls):
    p1 = numpy.array([[0.1, 0.2, 0.7], [0.0, 0.5, 0.5]])
    p2 = numpy.array([[0.3, 0.3, 0.4], [0.2, 0.2, 0.6]])
    got = kl_divergence(cls(p=p1), cls(p=p2))
    expected = [stats.entropy(a, b) for a, b in zip(p1, p2)]
    testing.assert_allclose(got.array, expected)
    # The gradient stays finite where p1 is 0 (the term is 0 log 0).
    v1 = dynet.Variable(p1)
    dynet.functions.sum(kl_divergence(cls(p=v1), cls(p=p2))).backward()
    assert numpy.all(numpy.isfinite(v1.grad))
    logit1 = numpy.log(p2) * 0.5
    gradient_check.check_backward(
        lambda a, b: kl_divergence(cls(logit=a), cls(logit=b)),
        (logit1, numpy.log(p2)), numpy.ones(2), eps=1e-6, atol=1e-6,
        rtol=1e-5)


def test_uniform_kl():
    inner = D.Uniform(_a(0, 0.5), _a(1, 1))
    outer = D.Uniform(_a(-1, 0), _a(2, 1))
    testing.assert_allclose(kl_divergence(inner, outer).array,
                            [math.log(3), math.log(2)])
    # Not absolutely continuous: infinite.
    assert numpy.all(kl_divergence(outer, inner).array == numpy.inf)
    gradient_check.check_backward(
        lambda a, b, c, d: kl_divergence(D.Uniform(a, b), D.Uniform(c, d)),
        (_a(0, 0.5), _a(1, 1), _a(-1, 0), _a(2, 1.5)), numpy.ones(2),
        eps=1e-6, atol=1e-6, rtol=1e-5)


def _mvn_kl_reference(m1, c1, m2, c2):
    inv2 = numpy.linalg.inv(c2)
    d = len(m1)
    diff = m2 - m1
    return 0.5 * (numpy.trace(inv2 @ c1) + diff @ inv2 @ diff - d
                  + numpy.log(numpy.linalg.det(c2) / numpy.linalg.det(c1)))


def test_multivariate_normal_kl():
    rng = numpy.random.RandomState(0)
    m1, m2 = rng.normal(size=(2, 3)), rng.normal(size=(3,))
    l1 = numpy.tril(rng.uniform(-0.5, 0.5, (2, 3, 3))) + 1.2 * numpy.eye(3)
    l2 = numpy.tril(rng.uniform(-0.5, 0.5, (3, 3))) + 1.5 * numpy.eye(3)
    got = kl_divergence(D.MultivariateNormal(m1, scale_tril=l1),
                        D.MultivariateNormal(m2, scale_tril=l2))
    expected = [_mvn_kl_reference(m1[j], l1[j] @ l1[j].T, m2, l2 @ l2.T)
                for j in range(2)]
    testing.assert_allclose(got.array, expected)
    lower = numpy.tril(numpy.ones((3, 3)))
    gradient_check.check_backward(
        lambda a, b, c, d: kl_divergence(
            D.MultivariateNormal(a, scale_tril=b * lower),
            D.MultivariateNormal(c, scale_tril=d * lower)),
        (m1, l1, m2, l2), numpy.ones(2), eps=1e-6, atol=1e-6, rtol=1e-5)


def test_dirichlet_kl_monte_carlo():
    a = numpy.array([[1.5, 2.0, 0.8]])
    b = numpy.array([[1.0, 3.0, 2.0]])
    p, q = D.Dirichlet(a), D.Dirichlet(b)
    x = numpy.random.RandomState(0).dirichlet(a[0], 200000)[:, None]
    estimate = numpy.mean(stats.dirichlet(a[0]).logpdf(x[:, 0].T)
                          - stats.dirichlet(b[0]).logpdf(x[:, 0].T))
    testing.assert_allclose(kl_divergence(p, q).array, [estimate],
                            atol=0.01, rtol=0)
    gradient_check.check_backward(
        lambda a, b: kl_divergence(D.Dirichlet(a), D.Dirichlet(b)), (a, b),
        numpy.ones(1), eps=1e-6, atol=1e-6, rtol=1e-5)


def test_independent_kl_sums_the_base_kl():
    rng = numpy.random.RandomState(0)
    mu, log_s = rng.normal(size=(4, 3)), rng.normal(size=(4, 3)) * 0.3
    q = D.Independent(D.Normal(mu, log_scale=log_s))
    p = D.Independent(D.Normal(numpy.zeros(3), numpy.ones(3)),
                      reinterpreted_batch_ndims=1)
    kl = kl_divergence(q, p)
    assert kl.shape == (4,)
    expected = ((mu ** 2 + numpy.exp(2 * log_s) - 1) / 2 - log_s).sum(-1)
    testing.assert_allclose(kl.array, expected)
    # Event shapes that differ are an error.
    with pytest.raises(ValueError, match='event shapes'):
        kl_divergence(q, D.Independent(D.Normal(numpy.zeros((4, 3)),
                                                numpy.ones((4, 3))), 0))


def test_cross_entropy():
    p = D.Normal(_a(0, 1), _a(1, 2))
    q = D.Normal(_a(1, 1), _a(2, 1))
    # -E_p[log q(x)] for normals, written out.
    m1, s1, m2, s2 = _a(0, 1), _a(1, 2), _a(1, 1), _a(2, 1)
    expected = (numpy.log(s2 * math.sqrt(2 * math.pi))
                + (s1 ** 2 + (m1 - m2) ** 2) / (2 * s2 ** 2))
    testing.assert_allclose(cross_entropy(p, q).array, expected)
    gradient_check.check_backward(
        lambda a, b, c, d: cross_entropy(D.Normal(a, b), D.Normal(c, d)),
        (m1, s1, m2, s2), numpy.ones(2), eps=1e-6, atol=1e-6, rtol=1e-5)


# ------------------------------------------------------------- the registry
def test_missing_pair_raises_not_implemented_naming_both_types():
    with pytest.raises(NotImplementedError, match='Normal and Bernoulli'):
        kl_divergence(D.Normal(_a(0), _a(1)), D.Bernoulli(p=_a(0.5)))


def test_kl_divergence_rejects_non_distributions():
    with pytest.raises(TypeError, match='kl_divergence: dist2 must be a '
                       'Distribution, got ndarray'):
        kl_divergence(D.Normal(_a(0), _a(1)), numpy.zeros(1))


def test_register_kl_for_new_types_and_subclasses():
    class Point(Distribution):
        def __init__(self, value):
            self.value = value

    class SubPoint(Point):
        pass

    @register_kl(Point, Point)
    def _kl(dist1, dist2):
        return abs(dist1.value - dist2.value)
    assert _kl is not None                       # the decorator returns it
    assert kl_divergence(Point(1), Point(3)) == 2
    # Subclasses use the closest registered pair of bases...
    assert kl_divergence(SubPoint(1), Point(4)) == 3

    # ... unless a more specific one is registered.
    @register_kl(SubPoint, Point)
    def _kl_sub(dist1, dist2):
        return -1
    assert kl_divergence(SubPoint(1), Point(4)) == -1
    assert kl_divergence(Point(1), SubPoint(4)) == 3

    with pytest.raises(TypeError, match='register_kl: Dist2 must be a '
                       'subclass of Distribution'):
        register_kl(Point, int)


def test_vae_example_loss_matches_the_closed_forms():
    # The ELBO of Chainer's VAE example: Independent Normal posterior,
    # Independent Bernoulli decoder, standard normal prior.
    rng = numpy.random.RandomState(0)
    x = (rng.uniform(size=(2, 5)) > 0.5).astype(numpy.float32)
    mu = dynet.Variable(rng.normal(size=(2, 3)).astype(numpy.float32))
    ln_sigma = dynet.Variable(
        rng.normal(size=(2, 3)).astype(numpy.float32) * 0.1)
    w = dynet.Variable(rng.normal(size=(3, 5)).astype(numpy.float32))
    q_z = D.Independent(D.Normal(loc=mu, log_scale=ln_sigma))
    prior = D.Independent(D.Normal(numpy.zeros(3, numpy.float32),
                                   scale=numpy.ones(3, numpy.float32)),
                          reinterpreted_batch_ndims=1)
    numpy.random.seed(0)
    k = 4
    z = q_z.sample(k)
    assert z.shape == (k, 2, 3)
    logit = dynet.functions.matmul(z, dynet.functions.broadcast_to(
        w, (k, 3, 5)))
    p_x = D.Independent(D.Bernoulli(logit=logit), reinterpreted_batch_ndims=1)
    reconstr = dynet.functions.mean(p_x.log_prob(
        dynet.functions.broadcast_to(x[None, :], (k,) + x.shape)))
    kl_penalty = dynet.functions.mean(kl_divergence(q_z, prior))
    loss = -(reconstr - kl_penalty)
    expected_reconstr = -dynet.functions.bernoulli_nll(
        numpy.broadcast_to(x, (k, 2, 5)), logit).array / (k * 2)
    expected_kl = dynet.functions.gaussian_kl_divergence(
        mu, 2 * ln_sigma).array / 2
    testing.assert_allclose(reconstr.array, expected_reconstr, atol=1e-5,
                            rtol=1e-5)
    testing.assert_allclose(kl_penalty.array, expected_kl, atol=1e-5,
                            rtol=1e-5)
    loss.backward()
    for v in (mu, ln_sigma, w):
        assert v.grad is not None and numpy.all(numpy.isfinite(v.grad))
