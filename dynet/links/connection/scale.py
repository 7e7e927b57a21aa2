"""Learnable (or given) elementwise scale with Caffe-style broadcasting."""
from dynet import link
from dynet.functions.math.scale import scale
from dynet.links.connection.bias import Bias
from dynet.variable import Parameter


class Scale(link.Chain):
    """``F.scale(x, W, axis)`` with a learnable ``W``, optionally followed
    by a learnable bias.

    Args:
        axis (int): the first axis of ``x`` along which ``W`` is applied.
        W_shape (tuple of ints or None): shape of the learnable ``W``
            (initialized to 1). If None, the weight is given as the second
            argument of the call.
        bias_term (bool): add a learnable bias (the child link ``bias``).
        bias_shape (tuple of ints or None): the bias's shape when
            ``W_shape`` is None (otherwise it is ``W_shape``).
    """

    def __init__(self, axis=1, W_shape=None, bias_term=False,
                 bias_shape=None):
        super().__init__()
        self.axis = axis
        with self.init_scope():
            if W_shape is not None:
                self.W = Parameter(1, W_shape)
                if bias_term:
                    self.bias = Bias(axis, W_shape)
            elif bias_term:
                if bias_shape is None:
                    raise ValueError(
                        'Scale: bias_shape should be given if W is not a '
                        'learnt parameter and bias_term is True.')
                self.bias = Bias(axis, bias_shape)

    def forward(self, *xs):
        """``link(x)`` with the learnable W, or ``link(x, y)``."""
        if hasattr(self, 'W'):
            if len(xs) != 1:
                raise TypeError('Scale: expected one input (the link has a '
                                'learnable W), got {}'.format(len(xs)))
            z = scale(xs[0], self.W, self.axis)
        else:
            if len(xs) != 2:
                raise TypeError('Scale: expected two inputs (x, y) (the '
                                'link has no learnable W), got {}'.format(
                                    len(xs)))
            z = scale(xs[0], xs[1], self.axis)
        if hasattr(self, 'bias'):
            return self.bias(z)
        return z
