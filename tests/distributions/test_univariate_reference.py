"""Univariate distributions against scipy.stats: probability functions,
statistics, samples (Kolmogorov-Smirnov or frequencies) and gradients."""
import numpy
import pytest

from dynet import gradient_check
from dynet import testing
from dynet import distributions as D

stats = pytest.importorskip('scipy.stats', reason='scipy is needed for the '
                            'reference values (pip install scipy)')

F64 = numpy.float64


def _a(*values):
    return numpy.array(values, dtype=F64)


class Case:
    """One distribution: parameters, constructor, scipy reference, which
    methods to compare, how to draw points of the support."""

    def __init__(self, name, params, make, ref, methods, support,
                 discrete=False, reparam=(), grad_x=True):
        self.name = name
        self.params = params          # dict name -> float64 array
        self.make = make              # (*param arrays or Variables) -> dist
        self.ref = ref                # dict of param arrays -> scipy frozen
        self.methods = methods
        self.support = support        # (rng, shape) -> points
        self.discrete = discrete
        self.reparam = reparam        # names of params samples depend on
        self.grad_x = grad_x          # log_prob differentiable in x

    def __repr__(self):
        return self.name


def _normal_points(rng, shape):
    return rng.normal(0.5, 1.5, shape)


def _positive_points(rng, shape):
    return rng.gamma(2.0, 1.0, shape) + 0.05


def _unit_points(rng, shape):
    return rng.uniform(0.05, 0.95, shape)


CASES = [
    Case('Normal', {'loc': _a(-1, 0, 2), 'scale': _a(0.5, 1, 2)},
         D.Normal, lambda p: stats.norm(p['loc'], p['scale']),
         ['log_prob', 'prob', 'cdf', 'log_cdf', 'survival_function',
          'log_survival_function', 'icdf', 'mean', 'variance', 'stddev',
          'entropy'], _normal_points, reparam=('loc', 'scale')),
    Case('Bernoulli', {'p': _a(0.2, 0.5, 0.9)}, D.Bernoulli,
         lambda p: stats.bernoulli(p['p']),
         ['log_prob', 'prob', 'mean', 'variance', 'stddev', 'entropy'],
         lambda rng, shape: rng.randint(0, 2, shape).astype(F64),
         discrete=True, grad_x=False),
    Case('Uniform', {'low': _a(-1, 0, 2), 'high': _a(0, 3, 2.5)},
         D.Uniform,
         lambda p: stats.uniform(p['low'], p['high'] - p['low']),
         ['log_prob', 'cdf', 'icdf', 'mean', 'variance', 'stddev',
          'entropy'],
         lambda rng, shape: _a(-1, 0, 2) + rng.uniform(
             0.05, 0.95, shape) * _a(1, 3, 0.5),
         reparam=('low', 'high')),
    Case('Exponential', {'lam': _a(0.5, 1, 3)}, D.Exponential,
         lambda p: stats.expon(scale=1 / p['lam']),
         ['log_prob', 'cdf', 'log_cdf', 'survival_function',
          'log_survival_function', 'icdf', 'mean', 'variance', 'stddev',
          'entropy'], _positive_points, reparam=('lam',)),
    Case('Gamma', {'k': _a(0.5, 2, 5), 'theta': _a(1, 0.5, 2)}, D.Gamma,
         lambda p: stats.gamma(p['k'], scale=p['theta']),
         ['log_prob', 'mean', 'variance', 'stddev', 'entropy'],
         _positive_points),
    Case('Beta', {'a': _a(0.5, 2, 3), 'b': _a(1.5, 2, 0.7)}, D.Beta,
         lambda p: stats.beta(p['a'], p['b']),
         ['log_prob', 'mean', 'variance', 'entropy'], _unit_points),
    Case('LogNormal', {'mu': _a(0, 0.5, -1), 'sigma': _a(0.5, 1, 0.3)},
         D.LogNormal,
         lambda p: stats.lognorm(p['sigma'], scale=numpy.exp(p['mu'])),
         ['log_prob', 'cdf', 'icdf', 'mean', 'variance', 'entropy'],
         _positive_points, reparam=('mu', 'sigma')),
    Case('Laplace', {'loc': _a(-1, 0, 2), 'scale': _a(0.5, 1, 2)},
         D.Laplace, lambda p: stats.laplace(p['loc'], p['scale']),
         ['log_prob', 'cdf', 'icdf', 'mean', 'variance', 'stddev',
          'entropy'],
         lambda rng, shape: rng.normal(0.3, 1.5, shape) + 0.01,
         reparam=('loc', 'scale')),
    Case('Cauchy', {'loc': _a(-1, 0, 2), 'scale': _a(0.5, 1, 2)},
         D.Cauchy, lambda p: stats.cauchy(p['loc'], p['scale']),
         ['log_prob', 'cdf', 'icdf', 'entropy'], _normal_points,
         reparam=('loc', 'scale')),
    Case('Gumbel', {'loc': _a(-1, 0, 2), 'scale': _a(0.5, 1, 2)},
         D.Gumbel, lambda p: stats.gumbel_r(p['loc'], p['scale']),
         ['log_prob', 'cdf', 'log_cdf', 'icdf', 'mean', 'variance',
          'entropy'], _normal_points, reparam=('loc', 'scale')),
    Case('Poisson', {'lam': _a(0.5, 2, 7)}, D.Poisson,
         lambda p: stats.poisson(p['lam']),
         ['log_prob', 'mean', 'variance'],
         lambda rng, shape: rng.randint(0, 9, shape).astype(F64),
         discrete=True, grad_x=False),
    Case('Geometric', {'p': _a(0.2, 0.5, 0.9)}, D.Geometric,
         lambda p: stats.geom(p['p']),
         ['log_prob', 'mean', 'variance', 'entropy'],
         lambda rng, shape: rng.randint(1, 6, shape).astype(F64),
         discrete=True, grad_x=False),
    Case('Chisquare', {'k': _a(1, 3, 6.5)}, D.Chisquare,
         lambda p: stats.chi2(p['k']),
         ['log_prob', 'mean', 'variance', 'entropy'], _positive_points),
    Case('Pareto', {'scale': _a(1, 0.5, 2), 'alpha': _a(1.5, 3, 5)},
         D.Pareto, lambda p: stats.pareto(p['alpha'], scale=p['scale']),
         ['log_prob', 'cdf', 'icdf', 'mean', 'variance', 'entropy'],
         lambda rng, shape: _a(1, 0.5, 2) * (1.05 + rng.gamma(
             1.0, 1.0, shape)),
         reparam=('scale',)),
]

_SCIPY_NAMES = {'log_prob': 'logpdf', 'prob': 'pdf', 'cdf': 'cdf',
                'log_cdf': 'logcdf', 'survival_function': 'sf',
                'log_survival_function': 'logsf', 'icdf': 'ppf'}


def _reference(case, method, x=None):
    frozen = case.ref(case.params)
    if method in ('mean', 'variance', 'stddev', 'entropy'):
        name = {'variance': 'var', 'stddev': 'std'}.get(method, method)
        return getattr(frozen, name)()
    name = _SCIPY_NAMES[method]
    if case.discrete:
        name = name.replace('pdf', 'pmf')
    return getattr(frozen, name)(x)


def _dist(case, dtype=F64):
    return case.make(*[v.astype(dtype) for v in case.params.values()])


def _evaluate(dist, method, x):
    value = getattr(dist, method)
    return value(x) if callable(value) else value


@pytest.mark.parametrize('case', CASES, ids=repr)
def test_matches_scipy(case):
    rng = numpy.random.RandomState(0)
    dist = _dist(case)
    assert dist.batch_shape == (3,) and dist.event_shape == ()
    for method in case.methods:
        if method == 'icdf':
            x = rng.uniform(0.02, 0.98, (4, 3))
        elif method in ('mean', 'variance', 'stddev', 'entropy'):
            x = None
        else:
            x = case.support(rng, (4, 3))
        got = _evaluate(dist, method, x)
        expected = _reference(case, method, x)
        assert got.dtype == F64, method
        assert got.shape == numpy.broadcast(expected, numpy.zeros(
            dist.batch_shape)).shape, method
        testing.assert_allclose(got.array, expected, atol=1e-7, rtol=1e-6)


@pytest.mark.parametrize('case', CASES, ids=repr)
def test_float32(case):
    rng = numpy.random.RandomState(1)
    dist = _dist(case, numpy.float32)
    x = case.support(rng, (2, 3)).astype(numpy.float32)
    y = dist.log_prob(x)
    assert y.dtype == numpy.float32 and y.shape == (2, 3)
    expected = _reference(case, 'log_prob', x.astype(F64))
    testing.assert_allclose(y.array, expected, atol=1e-4, rtol=1e-4)
    assert dist.sample((2, 5)).shape == (2, 5, 3)
    assert dist.sample().shape == (3,)
    assert dist.sample_n(4).shape == (4, 3)


@pytest.mark.parametrize('case', CASES, ids=repr)
def test_samples_follow_the_distribution(case):
    numpy.random.seed(2)
    n = 20000
    dist = _dist(case)
    samples = dist.sample(n).array
    assert samples.shape == (n, 3) and samples.dtype == F64
    frozen = case.ref(case.params)
    if case.discrete:
        for value in range(10):
            freq = (samples == value).mean(axis=0)
            testing.assert_allclose(freq, frozen.pmf(value), atol=0.015,
                                    rtol=0)
        assert numpy.all(samples == numpy.round(samples))
    else:
        for i in range(3):
            def cdf(t, i=i):
                return frozen.cdf(t[:, None])[:, i]
            p_value = stats.kstest(samples[:, i], cdf).pvalue
            assert p_value > 1e-3, (case.name, i, p_value)


def _random_grad(shape, seed=3):
    return numpy.random.RandomState(seed).uniform(-1, 1, shape)


@pytest.mark.parametrize('case', CASES, ids=repr)
def test_log_prob_gradient(case):
    rng = numpy.random.RandomState(4)
    x = case.support(rng, (2, 3))
    names = list(case.params)

    def f(*args):
        params, point = args[:len(names)], args[len(names)]
        return case.make(*params).log_prob(point)
    inputs = tuple(case.params.values()) + (x,)
    no_grads = [False] * len(names) + [not case.grad_x]
    gradient_check.check_backward(
        f, inputs, _random_grad((2, 3)), no_grads=no_grads, eps=1e-6,
        atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize('case', [c for c in CASES
                                  if 'entropy' in c.methods], ids=repr)
def test_entropy_gradient(case):
    def f(*params):
        return case.make(*params).entropy
    gradient_check.check_backward(
        f, tuple(case.params.values()), _random_grad((3,)), eps=1e-6,
        atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize('case', [c for c in CASES if c.reparam], ids=repr)
def test_reparameterized_sample_gradient(case):
    names = list(case.params)

    def f(*params):
        numpy.random.seed(5)       # the same noise at every evaluation
        return case.make(*params).sample(4)
    no_grads = [name not in case.reparam for name in names]
    gradient_check.check_backward(
        f, tuple(case.params.values()), _random_grad((4, 3)),
        no_grads=no_grads, eps=1e-6, atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize('case', [c for c in CASES if not c.reparam],
                         ids=repr)
def test_non_reparameterized_samples_carry_no_gradient(case):
    import dynet
    params = [dynet.Variable(v) for v in case.params.values()]
    sample = case.make(*params).sample(2)
    assert sample.creator is None


@pytest.mark.parametrize('case', CASES, ids=repr)
def test_log_prob_off_support_and_broadcasting(case):
    dist = _dist(case)
    # One value broadcast over the batch.
    x = case.support(numpy.random.RandomState(6), (1,))
    y = dist.log_prob(x)
    assert y.shape == (3,)
    testing.assert_allclose(y.array, _reference(case, 'log_prob', x),
                            atol=1e-7, rtol=1e-6)
    # A sample axis in front.
    x = case.support(numpy.random.RandomState(7), (5, 1, 3))
    assert dist.log_prob(x).shape == (5, 1, 3)
    with pytest.raises(ValueError, match=case.name + r'\.log_prob'):
        dist.log_prob(numpy.zeros((2,)))
