"""Linear (fully connected) layer."""
from dynet import initializers
from dynet import link
from dynet.functions.connection.linear import linear
from dynet.links._bias import bias_parameter
from dynet.variable import Parameter


class Linear(link.Link):
    """``y = x W^T + b``.

    Args:
        in_size (int or None): input size; None infers it at the first
            call. ``Linear(out_size)`` is short for ``Linear(None,
            out_size)``.
        out_size (int): output size.
        nobias (bool): no bias.
        initialW: initializer of W (default: LeCunNormal), an array or a
            scalar.
        initial_bias: initializer of b (default: 0).
    """

    def __init__(self, in_size, out_size=None, nobias=False, initialW=None,
                 initial_bias=None):
        super().__init__()
        if out_size is None:
            in_size, out_size = None, in_size
        self.in_size = in_size
        self.out_size = out_size
        with self.init_scope():
            self.W = Parameter(initializers._get_initializer(initialW))
            if in_size is not None:
                self._initialize_params(in_size)
            self.b = bias_parameter(nobias, initial_bias, out_size)

    def _initialize_params(self, in_size):
        self.in_size = in_size
        self.W.initialize((self.out_size, in_size))

    @property
    def printable_specs(self):
        yield 'in_size', self.in_size
        yield 'out_size', self.out_size
        yield 'nobias', self.b is None

    def forward(self, x, n_batch_axes=1):
        """Applies the layer; ``x``'s axes after the first
        ``n_batch_axes`` are flattened into features."""
        if self.W.array is None:
            in_size = 1
            for n in x.shape[n_batch_axes:]:
                in_size *= n
            self._initialize_params(in_size)
        return linear(x, self.W, self.b, n_batch_axes=n_batch_axes)
