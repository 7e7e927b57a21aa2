"""Bilinear layer (a Neural Tensor Network block)."""
from dynet import backend
from dynet import initializers
from dynet import link
from dynet.functions.connection.bilinear import bilinear
from dynet.variable import Parameter


def _check_shape(name, value, shape):
    if isinstance(value, backend.get_array_types()) and \
            tuple(value.shape) != shape:
        raise ValueError('Bilinear: {} must have shape {}, got {}'.format(
            name, shape, tuple(value.shape)))


class Bilinear(link.Link):
    """Holds the parameters ``W`` (J, K, L), ``V1`` (J, L), ``V2`` (K, L)
    and ``b`` (L,) of ``F.bilinear``.

    Args:
        left_size (int): J, the size of the left input ``e1``.
        right_size (int): K, the size of the right input ``e2``.
        out_size (int): L, the output size.
        nobias (bool): no ``V1``, ``V2`` and ``b`` (only the bilinear
            term).
        initialW: initializer of ``W`` (default ``LeCunNormal``); an
            array must have shape (J, K, L).
        initial_bias: None (``V1``, ``V2`` drawn with ``LeCunNormal``,
            ``b`` zero) or a tuple ``(initialV1, initialV2, initialb)`` of
            initializers.
    """

    def __init__(self, left_size, right_size, out_size, nobias=False,
                 initialW=None, initial_bias=None):
        super().__init__()
        self.in_sizes = (left_size, right_size)
        self.nobias = nobias
        with self.init_scope():
            shape = (left_size, right_size, out_size)
            _check_shape('initialW', initialW, shape)
            self.W = Parameter(initializers._get_initializer(initialW),
                               shape)
            if not nobias:
                v1_shape = (left_size, out_size)
                v2_shape = (right_size, out_size)
                b_shape = (out_size,)
                if isinstance(initial_bias, tuple):
                    if len(initial_bias) != 3:
                        raise ValueError(
                            'Bilinear: initial_bias must be a tuple of 3 '
                            'initializers (V1, V2, b), got {} items'.format(
                                len(initial_bias)))
                    init_v1, init_v2, init_b = initial_bias
                    _check_shape('initial_bias[0] (V1)', init_v1, v1_shape)
                    _check_shape('initial_bias[1] (V2)', init_v2, v2_shape)
                    _check_shape('initial_bias[2] (b)', init_b, b_shape)
                    init_b = initializers._get_initializer(init_b)
                elif initial_bias is None:
                    init_v1 = init_v2 = None
                    init_b = 0
                else:
                    raise ValueError('Bilinear: initial_bias must be a tuple '
                                     'or None, got {}'.format(
                                         type(initial_bias).__name__))
                self.V1 = Parameter(initializers._get_initializer(init_v1),
                                    v1_shape)
                self.V2 = Parameter(initializers._get_initializer(init_v2),
                                    v2_shape)
                self.b = Parameter(init_b, b_shape)

    def forward(self, e1, e2):
        """``F.bilinear(e1, e2, W[, V1, V2, b])``."""
        if self.nobias:
            return bilinear(e1, e2, self.W)
        return bilinear(e1, e2, self.W, self.V1, self.V2, self.b)
