"""The ``Distribution`` interface and the KL-divergence registry.

A distribution holds its parameters as Variables, so everything it computes
from them (``log_prob``, ``entropy``, ``mean``, reparameterized samples...)
is differentiable with respect to them. Shapes follow Chainer's
sample-batch-event hierarchy: a value ``x`` passed to ``log_prob`` has shape
``sample_shape + batch_shape + event_shape`` and the result has shape
``sample_shape + batch_shape``.

The concrete distributions live in ``dynet.distributions``.
"""
import numbers

import numpy

from dynet import backend


class Distribution:
    """Base class of probability distributions (Chainer's
    ``chainer.Distribution``).

    Subclasses define ``batch_shape``, ``event_shape``, ``params`` and
    whichever of the statistics and probability functions they have; the
    rest raise ``NotImplementedError``. Defaults derived from other methods:
    ``prob = exp(log_prob)``, ``stddev = sqrt(variance)``,
    ``log_cdf = log(cdf)``, ``survival_function = 1 - cdf``,
    ``log_survival_function = log(survival_function)``,
    ``perplexity = exp(-log_prob)`` and ``sample`` built on ``sample_n``.
    """

    # ------------------------------------------------------------ shapes
    @property
    def batch_shape(self):
        """tuple: the shape of the batch of independent, non-identical
        distributions."""
        raise NotImplementedError(
            '{}.batch_shape is not implemented'.format(self._name))

    @property
    def event_shape(self):
        """tuple: the shape of one event (one draw of one distribution)."""
        raise NotImplementedError(
            '{}.event_shape is not implemented'.format(self._name))

    @property
    def params(self):
        """dict: the parameters of the distribution, name to Variable."""
        raise NotImplementedError(
            '{}.params is not implemented'.format(self._name))

    @property
    def support(self):
        """str: a description of the set of values with nonzero
        probability."""
        raise NotImplementedError(
            '{}.support is not implemented'.format(self._name))

    # -------------------------------------------------------- statistics
    @property
    def mean(self):
        """Variable: the mean, of shape ``batch_shape + event_shape``."""
        raise self._missing('mean')

    @property
    def mode(self):
        """Variable: the mode, of shape ``batch_shape + event_shape``."""
        raise self._missing('mode')

    @property
    def variance(self):
        """Variable: the variance, of shape ``batch_shape + event_shape``."""
        raise self._missing('variance')

    @property
    def stddev(self):
        """Variable: the standard deviation, ``sqrt(variance)``."""
        from dynet.functions import sqrt
        return sqrt(self.variance)

    @property
    def covariance(self):
        """Variable: the covariance matrix of each event."""
        raise self._missing('covariance')

    @property
    def entropy(self):
        """Variable: the entropy, of shape ``batch_shape``."""
        raise self._missing('entropy')

    # ---------------------------------------------- probability functions
    def log_prob(self, x):
        """Logarithm of the probability (density or mass) at ``x``.

        Args:
            x: Variable or array of shape ``sample_shape + batch_shape +
                event_shape`` (anything that broadcasts to it).
        Returns:
            Variable of shape ``sample_shape + batch_shape``.
        """
        raise self._missing('log_prob')

    def prob(self, x):
        """Probability (density or mass) at ``x``: ``exp(log_prob(x))``."""
        from dynet.functions import exp
        return exp(self.log_prob(x))

    def cdf(self, x):
        """Cumulative distribution function at ``x``."""
        raise self._missing('cdf')

    def log_cdf(self, x):
        """Logarithm of the cumulative distribution function at ``x``."""
        from dynet.functions import log
        return log(self.cdf(x))

    def icdf(self, x):
        """Inverse cumulative distribution function (quantile function) at
        probabilities ``x``."""
        raise self._missing('icdf')

    def survival_function(self, x):
        """Survival function ``1 - cdf(x)``."""
        return 1 - self.cdf(x)

    def log_survival_function(self, x):
        """Logarithm of the survival function at ``x``."""
        from dynet.functions import log
        return log(self.survival_function(x))

    def perplexity(self, x):
        """Perplexity ``exp(-log_prob(x))`` at ``x``."""
        from dynet.functions import exp
        return exp(-self.log_prob(x))

    # ---------------------------------------------------------- sampling
    def sample(self, sample_shape=()):
        """Draws samples.

        Args:
            sample_shape (int or tuple of ints): the shape of the batch of
                i.i.d. draws.
        Returns:
            Variable of shape ``sample_shape + batch_shape + event_shape``.
            Where the distribution is reparameterizable (Normal, Uniform,
            ...), gradients flow from the samples to the parameters.
        """
        shape = _sample_shape(self._name + '.sample', sample_shape)
        n = 1
        for size in shape:
            n *= size
        samples = self.sample_n(n)
        final_shape = shape + tuple(self.batch_shape) + tuple(
            self.event_shape)
        if samples.shape == final_shape:
            return samples
        from dynet.functions import reshape
        return reshape(samples, final_shape)

    def sample_n(self, n):
        """Draws ``n`` samples.

        Returns:
            Variable of shape ``(n,) + batch_shape + event_shape``.
        """
        raise self._missing('sample_n')

    # ------------------------------------------------------------ device
    @property
    def xp(self):
        """The array module (``numpy`` or ``cupy``) of the parameters."""
        return backend.get_array_module(self._reference_param())

    @property
    def device(self):
        """The :class:`~dynet.backend.Device` holding the parameters."""
        return backend.get_device_from_array(self._reference_param())

    def _reference_param(self):
        """One parameter (for ``xp``, ``device`` and the dtype), or None.
        Subclasses whose ``params`` computes values override it."""
        for value in self.params.values():
            return value
        return None

    def __repr__(self):
        try:
            return '{}(batch_shape={}, event_shape={})'.format(
                self._name, tuple(self.batch_shape), tuple(self.event_shape))
        except NotImplementedError:      # a subclass without shapes
            return '<{}>'.format(self._name)

    # ----------------------------------------------------------- helpers
    @property
    def _name(self):
        return type(self).__name__

    def _missing(self, what):
        return NotImplementedError(
            '{}.{} is not implemented'.format(self._name, what))


def _sample_shape(where, sample_shape):
    if isinstance(sample_shape, (bool, numpy.bool_)):
        raise TypeError('{}: sample_shape must be an int or a tuple of ints, '
                        'got {!r}'.format(where, sample_shape))
    if isinstance(sample_shape, numbers.Integral):
        sample_shape = (sample_shape,)
    try:
        shape = tuple(sample_shape)
    except TypeError:
        raise TypeError('{}: sample_shape must be an int or a tuple of ints, '
                        'got {!r}'.format(where, sample_shape)) from None
    for size in shape:
        if (not isinstance(size, numbers.Integral)
                or isinstance(size, (bool, numpy.bool_)) or size < 0):
            raise ValueError('{}: sample_shape must hold non-negative ints, '
                             'got {!r}'.format(where, sample_shape))
    return tuple(int(size) for size in shape)


# ------------------------------------------------------------- KL registry
_KL_REGISTRY = {}


def register_kl(Dist1, Dist2):
    """Decorator registering a KL-divergence function for a pair of types.

    The decorated function takes an instance of ``Dist1`` and one of
    ``Dist2`` and returns ``KL(dist1 || dist2)``; ``kl_divergence`` calls
    it. Registering a pair again replaces the earlier function. A pair
    registered for base classes also serves their subclasses, unless a
    more specific pair is registered.

    Example::

        @register_kl(MyDist, MyDist)
        def _kl_mydist_mydist(dist1, dist2):
            return ...
    """
    for name, cls in (('Dist1', Dist1), ('Dist2', Dist2)):
        if not (isinstance(cls, type) and issubclass(cls, Distribution)):
            raise TypeError('register_kl: {} must be a subclass of '
                            'Distribution, got {!r}'.format(name, cls))

    def decorator(kl):
        if not callable(kl):
            raise TypeError('register_kl: the decorated object must be '
                            'callable, got {!r}'.format(kl))
        _KL_REGISTRY[Dist1, Dist2] = kl
        return kl
    return decorator


def _find_kl(type1, type2):
    found = _KL_REGISTRY.get((type1, type2))
    if found is not None:
        return found
    # The closest registered pair of base classes (sum of MRO distances).
    best, best_rank = None, None
    for rank1, base1 in enumerate(type1.__mro__):
        for rank2, base2 in enumerate(type2.__mro__):
            kl = _KL_REGISTRY.get((base1, base2))
            if kl is not None and (best_rank is None
                                   or rank1 + rank2 < best_rank):
                best, best_rank = kl, rank1 + rank2
    return best


def kl_divergence(dist1, dist2):
    """Kullback-Leibler divergence ``KL(dist1 || dist2)``.

    Args:
        dist1 (Distribution): the left operand ``p``.
        dist2 (Distribution): the right operand ``q``.
    Returns:
        Variable of the (broadcast) batch shape.
    Raises:
        NotImplementedError: no function is registered (``register_kl``)
            for the pair of types.
    """
    for name, dist in (('dist1', dist1), ('dist2', dist2)):
        if not isinstance(dist, Distribution):
            raise TypeError('kl_divergence: {} must be a Distribution, got '
                            '{}'.format(name, type(dist).__name__))
    kl = _find_kl(type(dist1), type(dist2))
    if kl is None:
        raise NotImplementedError(
            'kl_divergence: no KL divergence is registered between {} and {}'
            ' (see register_kl)'.format(type(dist1).__name__,
                                        type(dist2).__name__))
    return kl(dist1, dist2)


def cross_entropy(dist1, dist2):
    """Cross entropy ``H(dist1, dist2) = entropy(dist1) + KL(dist1 ||
    dist2)``.

    Args:
        dist1 (Distribution), dist2 (Distribution).
    Returns:
        Variable of the (broadcast) batch shape.
    """
    return dist1.entropy + kl_divergence(dist1, dist2)
