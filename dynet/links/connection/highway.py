"""Highway layer."""
from dynet import link
from dynet.functions.activation.relu import relu
from dynet.functions.activation.sigmoid import sigmoid
from dynet.links.connection.linear import Linear


class Highway(link.Chain):
    """Highway module (Srivastava et al., Highway Networks):
    ``y = activate(x W_h^T + b_h) * T + x * (1 - T)`` with the transform
    gate ``T = sigmoid(x W_t^T + b_t)``.

    Args:
        in_out_size (int): size of the input and the output.
        nobias (bool): no biases.
        activate: activation of the plain path (default ``relu``).
        init_Wh, init_bh: initializers of the plain path (child ``plain``).
        init_Wt, init_bt: initializers of the transform gate (child
            ``transform``); ``init_bt`` defaults to -1.
    """

    def __init__(self, in_out_size, nobias=False, activate=relu,
                 init_Wh=None, init_Wt=None, init_bh=None, init_bt=-1):
        super().__init__()
        self.activate = activate
        with self.init_scope():
            self.plain = Linear(in_out_size, in_out_size, nobias=nobias,
                                initialW=init_Wh, initial_bias=init_bh)
            self.transform = Linear(in_out_size, in_out_size, nobias=nobias,
                                    initialW=init_Wt, initial_bias=init_bt)

    def forward(self, x):
        """Output of the same shape as ``x`` (N, in_out_size)."""
        out_plain = self.activate(self.plain(x))
        out_transform = sigmoid(self.transform(x))
        return out_plain * out_transform + x * (1 - out_transform)
