"""Negative sampling loss layer with its own word-frequency sampler."""
import numpy

from dynet.config import get_dtype
from dynet import initializers
from dynet import link
from dynet.functions.loss import negative_sampling as _negative_sampling
from dynet.utils.walker_alias import WalkerAlias
from dynet.variable import Parameter


class NegativeSampling(link.Link):
    """Negative sampling loss layer.

    Holds the output embeddings ``W`` (``(len(counts), in_size)``,
    initialized to zeros) and a :class:`~dynet.utils.WalkerAlias` sampler
    that draws negatives with probability proportional to
    ``counts ** power``; applies :func:`dynet.functions.negative_sampling`.

    Args:
        in_size (int): dimension of the input vectors.
        counts (sequence of numbers): frequency of each id.
        sample_size (int): number of negative samples per example.
        power (float): the exponent ``alpha`` applied to the counts.
        dtype: dtype of ``W`` and of the computation (default:
            ``config.dtype``).

    Attributes:
        W (Parameter): output embeddings.
        sampler (WalkerAlias): the negative sampler; it moves with the link
            (``to_device``, ``to_gpu``, ``to_cpu``).
    """

    def __init__(self, in_size, counts, sample_size, power=0.75, dtype=None):
        super().__init__()
        dtype = get_dtype(dtype)
        self.sample_size = sample_size
        weights = numpy.array(counts, dtype)
        numpy.power(weights, dtype.type(power), out=weights)
        self.sampler = WalkerAlias(weights)
        with self.init_scope():
            self.W = Parameter(initializers.Zero(dtype),
                               (len(counts), in_size))

    def _move_own_arrays(self, device):
        # The sampler's table follows the parameters, also when a parent
        # chain is moved.
        super()._move_own_arrays(device)
        self.sampler.to_device(device)

    def forward(self, x, t, reduce='sum', *, return_samples=False):
        """Negative sampling loss of inputs ``x`` and labels ``t``.

        Args:
            x: Variable or array ``(B, in_size)``.
            t: int array ``(B,)`` of ids (-1: ignored).
            reduce (str): ``'sum'`` or ``'no'``.
            return_samples (bool): also return the ``(B, sample_size + 1)``
                ids used (``t`` in column 0).
        Returns:
            Variable, or ``(Variable, samples)``.
        """
        return _negative_sampling.negative_sampling(
            x, t, self.W, self.sampler.sample, self.sample_size,
            reduce=reduce, return_samples=return_samples)
