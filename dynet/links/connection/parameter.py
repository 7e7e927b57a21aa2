"""A link holding one parameter array (``chainer.links.Parameter``)."""
from dynet import backend
from dynet import link
from dynet.functions.math.identity import identity
from dynet.variable import Parameter as _Parameter


class Parameter(link.Link):
    """Link that holds one parameter ``W`` and returns it when called.

    Chainer keeps this link for old code; parameters can be held directly
    as :class:`dynet.Parameter` attributes of a link instead.

    Args:
        array (numpy.ndarray or cupy.ndarray): the parameter's initial
            value; it becomes ``W.array`` itself (not a copy), and the link
            is on the array's device.

    Attributes:
        W (dynet.Parameter): the parameter.
    """

    def __init__(self, array):
        super().__init__()
        if not isinstance(array, backend.get_array_types()):
            raise TypeError('Parameter: array must be a NumPy or CuPy array, '
                            'got {}'.format(type(array).__name__))
        device = backend.get_device_from_array(array)
        self.to_device(device)
        with self.init_scope():
            self.W = _Parameter(array)

    def forward(self, volatile='off'):
        """Returns ``identity(W)``: a new Variable with the parameter's
        value whose gradient flows back into ``W``.

        ``volatile`` is accepted for compatibility; anything but ``'off'``
        (or False) is an error (use ``dynet.no_backprop_mode()``).
        """
        if volatile not in ('off', False):
            raise ValueError(
                'Parameter: the volatile argument is not supported '
                'anymore; use dynet.no_backprop_mode(), got volatile={!r}'
                .format(volatile))
        return identity(self.W)
