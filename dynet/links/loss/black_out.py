"""BlackOut loss layer with its own frequency-weighted sampler."""
import numpy

from dynet import link
from dynet.functions.loss import black_out as _black_out
from dynet.utils.walker_alias import WalkerAlias
from dynet.variable import Parameter


class BlackOut(link.Link):
    """BlackOut loss layer.

    Holds the output embeddings ``W`` (``(len(counts), in_size)``) and a
    :class:`~dynet.utils.WalkerAlias` sampler drawing ids with probability
    proportional to ``counts``; applies :func:`dynet.functions.black_out`
    (``reduce='mean'``) to ``sample_size`` fresh negatives per example.

    As in Chainer, ``W`` is created without an initializer, i.e. filled
    with NaN: set ``link.W.array[...]`` (or load saved weights) before
    training.

    Args:
        in_size (int): dimension of the input vectors.
        counts (sequence of numbers): frequency of each id.
        sample_size (int): number of negative samples per example.

    Attributes:
        W (Parameter): output embeddings.
        sampler (WalkerAlias): the sampler; it moves with the link.
        sample_data: when not None, used as the ``(B, sample_size)``
            negative ids instead of drawing them (for tests).
    """

    sample_data = None

    def __init__(self, in_size, counts, sample_size):
        super().__init__()
        self.sampler = WalkerAlias(numpy.array(counts, numpy.float32))
        self.sample_size = sample_size
        with self.init_scope():
            self.W = Parameter(shape=(len(counts), in_size))

    def _move_own_arrays(self, device):
        super()._move_own_arrays(device)
        self.sampler.to_device(device)

    def forward(self, x, t):
        """BlackOut loss (a scalar Variable, the batch mean)."""
        if self.sample_data is not None:
            samples = self.sample_data
        else:
            samples = self.sampler.sample((x.shape[0], self.sample_size))
        return _black_out.black_out(x, t, self.W, samples)
