"""Probability distributions (Chainer's ``chainer.distributions``).

Each distribution is a :class:`dynet.Distribution` whose parameters are
Variables, so log-probabilities, entropies, KL divergences and
reparameterized samples are differentiable with respect to them. Importing
this package registers the closed-form KL divergences used by
:func:`dynet.kl_divergence`.
"""
from dynet.distribution import (  # NOQA
    Distribution, cross_entropy, kl_divergence, register_kl)
from dynet.distributions.bernoulli import Bernoulli  # NOQA
from dynet.distributions.beta import Beta  # NOQA
from dynet.distributions.categorical import Categorical  # NOQA
from dynet.distributions.cauchy import Cauchy  # NOQA
from dynet.distributions.chisquare import Chisquare  # NOQA
from dynet.distributions.dirichlet import Dirichlet  # NOQA
from dynet.distributions.exponential import Exponential  # NOQA
from dynet.distributions.gamma import Gamma  # NOQA
from dynet.distributions.geometric import Geometric  # NOQA
from dynet.distributions.gumbel import Gumbel  # NOQA
from dynet.distributions.independent import Independent  # NOQA
from dynet.distributions.laplace import Laplace  # NOQA
from dynet.distributions.log_normal import LogNormal  # NOQA
from dynet.distributions.multivariate_normal import MultivariateNormal  # NOQA
from dynet.distributions.normal import Normal  # NOQA
from dynet.distributions.one_hot_categorical import OneHotCategorical  # NOQA
from dynet.distributions.pareto import Pareto  # NOQA
from dynet.distributions.poisson import Poisson  # NOQA
from dynet.distributions.uniform import Uniform  # NOQA

__all__ = [
    'Bernoulli', 'Beta', 'Categorical', 'Cauchy', 'Chisquare', 'Dirichlet',
    'Distribution', 'Exponential', 'Gamma', 'Geometric', 'Gumbel',
    'Independent', 'Laplace', 'LogNormal', 'MultivariateNormal', 'Normal',
    'OneHotCategorical', 'Pareto', 'Poisson', 'Uniform', 'cross_entropy',
    'kl_divergence', 'register_kl',
]
