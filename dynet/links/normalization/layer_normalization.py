"""Layer normalization layer."""
from dynet import link
from dynet.functions.normalization.layer_normalization import (
    layer_normalization)
from dynet.variable import Parameter


class LayerNormalization(link.Link):
    """Layer normalization layer on outputs of linear layers (see
    :func:`~dynet.functions.layer_normalization`).

    Args:
        size (int or None): the number of units; None defers it to the
            first forward (the size of ``x.shape[1:]``).
        eps (float): added to the variances.
        initial_gamma, initial_beta: initializers of the scale and the
            shift (default 1 and 0): a scalar, an array or an initializer.

    Attributes:
        gamma, beta (Parameter): of shape ``(size,)`` and ``config.dtype``.
    """

    def __init__(self, size=None, eps=1e-6, initial_gamma=None,
                 initial_beta=None):
        super().__init__()
        with self.init_scope():
            self.gamma = Parameter(1 if initial_gamma is None
                                   else initial_gamma)
            self.beta = Parameter(0 if initial_beta is None
                                  else initial_beta)
        self.eps = eps
        if size is not None:
            self._initialize_params(size)

    def _initialize_params(self, size):
        self.gamma.initialize(size)
        self.beta.initialize(size)

    def forward(self, x):
        """Normalizes each row of the 2-D input ``x``."""
        if self.gamma.array is None:
            size = 1
            for n in x.shape[1:]:
                size *= n
            self._initialize_params(size)
        return layer_normalization(x, self.gamma, self.beta, self.eps)
