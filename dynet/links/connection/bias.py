"""Learnable (or given) bias with Caffe-style broadcasting."""
from dynet import link
from dynet.functions.math.bias import bias
from dynet.variable import Parameter


class Bias(link.Link):
    """``F.bias(x, b, axis)`` with a learnable ``b``.

    Args:
        axis (int): the first axis of ``x`` along which ``b`` is applied.
        shape (tuple of ints or None): shape of the learnable ``b``
            (initialized to 0). If None, the link has no parameter and
            the bias is given as the second argument of the call.
    """

    def __init__(self, axis=1, shape=None):
        super().__init__()
        if shape is not None:
            with self.init_scope():
                self.b = Parameter(0, shape)
        self.axis = axis

    def forward(self, *xs):
        """``link(x)`` with the learnable bias, or ``link(x, y)``."""
        if hasattr(self, 'b'):
            if len(xs) != 1:
                raise TypeError('Bias: expected one input (the link has a '
                                'learnable b), got {}'.format(len(xs)))
            return bias(xs[0], self.b, self.axis)
        if len(xs) != 2:
            raise TypeError('Bias: expected two inputs (x, y) (the link has '
                            'no learnable b), got {}'.format(len(xs)))
        return bias(xs[0], xs[1], self.axis)
