"""Fully connected maxout layer."""
import numpy

from dynet import backend
from dynet import link
from dynet.functions.activation.maxout import maxout
from dynet.links.connection.linear import Linear


class Maxout(link.Chain):
    """``y_i = max_j (W_ij . x + b_ij)`` for ``i < out_size``, ``j <
    pool_size``, computed by a child ``Linear`` link ``linear`` with
    ``out_size * pool_size`` outputs (output ``i * pool_size + j``)
    followed by ``F.maxout``.

    Args:
        in_size (int or None): input size (None: inferred at the first
            call).
        out_size (int): output size.
        pool_size (int): number of pieces per output.
        initialW: initializer of the weight; an array has shape
            (out_size, pool_size, in_size).
        initial_bias: initializer of the bias (default 0); an array has
            shape (out_size, pool_size); None means no bias.
    """

    def __init__(self, in_size, out_size, pool_size, initialW=None,
                 initial_bias=0):
        super().__init__()
        linear_out_size = out_size * pool_size
        array_types = backend.get_array_types()
        if isinstance(initialW, array_types):
            if initialW.ndim != 3:
                raise ValueError('Maxout: initialW.ndim should be 3, got '
                                 '{}'.format(initialW.ndim))
            initialW = initialW.reshape(linear_out_size, in_size)
        if isinstance(initial_bias, array_types):
            if initial_bias.ndim != 2:
                raise ValueError('Maxout: initial_bias.ndim should be 2, '
                                 'got {}'.format(initial_bias.ndim))
            initial_bias = initial_bias.reshape(linear_out_size)
        elif not (initial_bias is None or numpy.isscalar(initial_bias) or
                  callable(initial_bias)):
            raise ValueError('Maxout: initial bias must be float, ndarray, '
                             'callable or None')
        with self.init_scope():
            self.linear = Linear(in_size, linear_out_size,
                                 nobias=initial_bias is None,
                                 initialW=initialW,
                                 initial_bias=initial_bias)
        self.out_size = out_size
        self.pool_size = pool_size

    def forward(self, x):
        """Output (N, out_size)."""
        return maxout(self.linear(x), self.pool_size)
