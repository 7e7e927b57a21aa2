"""Parametric ReLU layer."""
from dynet import link
from dynet.functions.activation.prelu import prelu
from dynet.variable import Parameter


class PReLU(link.Link):
    """``F.prelu(x, W)`` with a learnable slope ``W``.

    Args:
        shape (tuple of ints): shape of ``W`` (it covers the axes of ``x``
            right after the batch axis; ``()`` shares one slope).
        init (float): initial value of ``W``.
    """

    def __init__(self, shape=(), init=0.25):
        super().__init__()
        with self.init_scope():
            self.W = Parameter(init, shape)

    def forward(self, x):
        """Parametric ReLU of ``x``."""
        return prelu(x, self.W)
