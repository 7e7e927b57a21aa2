"""Swish layer."""
from dynet import initializers
from dynet import link
from dynet.functions.activation.swish import swish
from dynet.variable import Parameter


class Swish(link.Link):
    """``F.swish(x, beta)`` with a learnable ``beta``.

    Args:
        beta_shape (tuple of ints or None): shape of ``beta``; None defers
            the initialization to the first call, where the shape becomes
            ``x.shape[1:]``.
        beta_init (float): initial value of ``beta``.
    """

    def __init__(self, beta_shape, beta_init=1.0):
        super().__init__()
        with self.init_scope():
            if beta_shape is not None:
                self.beta = Parameter(beta_init, beta_shape)
            else:
                self.beta = Parameter(initializers.Constant(beta_init))

    def forward(self, x):
        """Swish of ``x``."""
        if self.beta.array is None:
            self.beta.initialize(x.shape[1:])
        return swish(x, self.beta)
