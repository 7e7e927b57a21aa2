"""The distributions on CuPy arrays give the NumPy results (skipped without
CuPy and a GPU)."""
import numpy
import pytest

from dynet import testing
from dynet import distributions as D
from dynet.distribution import kl_divergence
from dynet.testing import attr

F32 = numpy.float32


def _params():
    rng = numpy.random.RandomState(0)
    loc = rng.normal(size=(2, 3)).astype(F32)
    scale = rng.uniform(0.5, 2, (2, 3)).astype(F32)
    prob = rng.dirichlet([1, 1, 1], 2).astype(F32)
    tril = numpy.tril(rng.uniform(-0.3, 0.3, (2, 3, 3))).astype(F32) \
        + numpy.eye(3, dtype=F32)
    return loc, scale, prob, tril


def _makers(loc, scale, prob, tril):
    return {
        'Normal': lambda: D.Normal(loc, log_scale=scale - 1),
        'Bernoulli': lambda: D.Bernoulli(logit=loc),
        'Categorical': lambda: D.Categorical(p=prob),
        'OneHotCategorical': lambda: D.OneHotCategorical(logit=loc),
        'Uniform': lambda: D.Uniform(loc, loc + scale),
        'Exponential': lambda: D.Exponential(scale),
        'Gamma': lambda: D.Gamma(scale, scale),
        'Beta': lambda: D.Beta(scale, scale + 1),
        'LogNormal': lambda: D.LogNormal(loc, scale),
        'Laplace': lambda: D.Laplace(loc, scale),
        'Cauchy': lambda: D.Cauchy(loc, scale),
        'Gumbel': lambda: D.Gumbel(loc, scale),
        'Poisson': lambda: D.Poisson(scale),
        'Geometric': lambda: D.Geometric(scale / 2.5),
        'Chisquare': lambda: D.Chisquare(scale),
        'Pareto': lambda: D.Pareto(scale, scale + 1),
        'Dirichlet': lambda: D.Dirichlet(scale),
        'MultivariateNormal': lambda: D.MultivariateNormal(
            loc, scale_tril=tril),
        'Independent': lambda: D.Independent(D.Normal(loc, scale)),
    }


@attr.gpu
@pytest.mark.parametrize('name', sorted(_makers(*_params())))
def test_same_results_on_gpu(name):
    import cupy
    cpu = _makers(*_params())[name]()
    gpu = _makers(*[cupy.asarray(a) for a in _params()])[name]()
    assert gpu.xp is cupy and gpu.batch_shape == cpu.batch_shape
    numpy.random.seed(1)
    x = cpu.sample(4).array
    y_cpu = cpu.log_prob(x)
    y_gpu = gpu.log_prob(cupy.asarray(x))
    assert isinstance(y_gpu.array, cupy.ndarray)
    testing.assert_allclose(y_gpu.array, y_cpu.array, atol=1e-4, rtol=1e-4)
    sample = gpu.sample((5,))
    assert isinstance(sample.array, cupy.ndarray)
    assert sample.shape == (5,) + tuple(cpu.batch_shape) + tuple(
        cpu.event_shape)
    if name not in ('Poisson',):           # Poisson has no entropy
        testing.assert_allclose(gpu.entropy.array, cpu.entropy.array,
                                atol=1e-4, rtol=1e-4)
    if name not in ('Chisquare', 'Pareto'):   # no KL registered
        testing.assert_allclose(kl_divergence(gpu, gpu).array, 0,
                                atol=1e-4)
