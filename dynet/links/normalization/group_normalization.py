"""Group normalization layer."""
import numpy

from dynet import link
from dynet.config import get_dtype
from dynet.functions.normalization.group_normalization import (
    group_normalization)
from dynet.links.normalization.batch_normalization import (
    initializer_with_dtype)
from dynet.variable import Parameter


class GroupNormalization(link.Link):
    """Group normalization layer (see
    :func:`~dynet.functions.group_normalization`).

    Args:
        groups (int): the number of channel groups; must divide the number
            of channels.
        size (int or None): the number of channels; None defers it to the
            first forward (``x.shape[1]``).
        eps (float): added to the variances.
        initial_gamma, initial_beta: initializers of the scale and the
            shift (default 1 and 0).

    Attributes:
        gamma, beta (Parameter): of shape ``(size,)``, ``config.dtype``
            (float32 in ``mixed16`` mode).
    """

    def __init__(self, groups, size=None, eps=1e-5, initial_gamma=None,
                 initial_beta=None):
        super().__init__()
        dtype = get_dtype(None, map_mixed16=numpy.float32)
        self.groups = groups
        with self.init_scope():
            self.gamma = Parameter(initializer_with_dtype(
                initial_gamma, 1, dtype))
            self.beta = Parameter(initializer_with_dtype(
                initial_beta, 0, dtype))
        self.eps = eps
        if size is not None:
            self._initialize_params(size)

    def _initialize_params(self, size):
        self.gamma.initialize(size)
        self.beta.initialize(size)

    def forward(self, x):
        """Normalizes ``x`` of shape ``(N, C, ...)`` in groups."""
        if self.gamma.array is None:
            if x.ndim < 2:
                raise ValueError(
                    'GroupNormalization: the input must have at least 2 '
                    'dimensions (batch, channels, ...), got shape {}'.format(
                        x.shape))
            self._initialize_params(x.shape[1])
        return group_normalization(x, self.groups, self.gamma, self.beta,
                                   self.eps)
