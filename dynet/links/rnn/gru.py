"""Gated recurrent units: ``StatelessGRU``, ``StatefulGRU`` and its alias
``GRU``."""
from dynet import link
from dynet.functions.activation.sigmoid import sigmoid
from dynet.functions.activation.tanh import tanh
from dynet.functions.math.linear_interpolate import linear_interpolate
from dynet.links.connection.linear import Linear
from dynet.variable import Variable


class GRUBase(link.Chain):
    """The six linear maps of a GRU: ``W_r``, ``W_z``, ``W`` (input to
    hidden, ``(out_size, in_size)``) and ``U_r``, ``U_z``, ``U`` (hidden to
    hidden), each with a bias.

    Args:
        in_size (int or None): input size (None: deferred).
        out_size (int): hidden size.
        init: initializer of ``W_r``, ``W_z``, ``W`` (None: LeCunNormal).
        inner_init: initializer of ``U_r``, ``U_z``, ``U``.
        bias_init: initializer of the biases (None: zero).
    """

    def __init__(self, in_size, out_size, init=None, inner_init=None,
                 bias_init=None):
        super().__init__()
        with self.init_scope():
            self.W_r = Linear(in_size, out_size, initialW=init,
                              initial_bias=bias_init)
            self.U_r = Linear(out_size, out_size, initialW=inner_init,
                              initial_bias=bias_init)
            self.W_z = Linear(in_size, out_size, initialW=init,
                              initial_bias=bias_init)
            self.U_z = Linear(out_size, out_size, initialW=inner_init,
                              initial_bias=bias_init)
            self.W = Linear(in_size, out_size, initialW=init,
                            initial_bias=bias_init)
            self.U = Linear(out_size, out_size, initialW=inner_init,
                            initial_bias=bias_init)


class StatelessGRU(GRUBase):
    """Gated recurrent unit that keeps no state.

    ``forward(h, x)`` returns

    .. math::

        r &= \\sigma(W_r x + U_r h), \\qquad z = \\sigma(W_z x + U_z h), \\\\
        \\bar h &= \\tanh(W x + U (r \\odot h)), \\\\
        h' &= z \\odot \\bar h + (1 - z) \\odot h

    (each linear map with its bias; the last line is Chainer's
    ``linear_interpolate(z, h_bar, h)``).

    Args: see :class:`GRUBase`.
    """

    def forward(self, h, x):
        r = sigmoid(self.W_r(x) + self.U_r(h))
        z = sigmoid(self.W_z(x) + self.U_z(h))
        h_bar = tanh(self.W(x) + self.U(r * h))
        return linear_interpolate(z, h_bar, h)


class StatefulGRU(GRUBase):
    """Gated recurrent unit that keeps its hidden state ``h``.

    ``forward(x)`` computes the update of :class:`StatelessGRU` from the
    stored ``h``, stores and returns it; with no state yet (``h`` is None)
    it returns ``sigmoid(W_z x) * tanh(W x)``.

    Args:
        in_size (int or None): input size.
        out_size (int): hidden size.
        init, inner_init: see :class:`GRUBase`.
        bias_init: initializer of the biases (default 0).

    Attributes:
        h (Variable or None): the hidden state.
    """

    def __init__(self, in_size, out_size, init=None, inner_init=None,
                 bias_init=0):
        super().__init__(in_size, out_size, init, inner_init, bias_init)
        self.state_size = out_size
        self.reset_state()

    def _move_own_arrays(self, device):
        # The recurrent state moves with the parameters, also when a
        # parent chain is moved.
        super()._move_own_arrays(device)
        if getattr(self, 'h', None) is not None:
            self.h.to_device(self.device)

    def set_state(self, h):
        """Sets the hidden state (a Variable, moved to this link's
        device)."""
        if not isinstance(h, Variable):
            raise TypeError('{}.set_state: h must be a Variable, got {}'
                            .format(type(self).__name__, type(h).__name__))
        h.to_device(self.device)
        self.h = h

    def reset_state(self):
        """Forgets the state (``h`` becomes None)."""
        self.h = None

    def forward(self, x):
        z = self.W_z(x)
        h_bar = self.W(x)
        if self.h is not None:
            r = sigmoid(self.W_r(x) + self.U_r(self.h))
            z += self.U_z(self.h)
            h_bar += self.U(r * self.h)
        z = sigmoid(z)
        h_bar = tanh(h_bar)
        if self.h is not None:
            h_new = linear_interpolate(z, h_bar, self.h)
        else:
            h_new = z * h_bar
        self.h = h_new
        return self.h


class GRU(StatefulGRU):
    """Stateful GRU: an alias of :class:`StatefulGRU` whose ``forward``
    takes exactly one argument (``x``); calling it with two, as the
    stateless GRU of Chainer v1, is an error."""

    def forward(self, *args):
        """forward(self, x)"""
        if len(args) != 1:
            hint = ''
            if len(args) == 2:
                hint = (' GRU keeps its own state (it is StatefulGRU); for '
                        'a GRU called as forward(h, x) use StatelessGRU.')
            raise ValueError('GRU.forward takes exactly one argument (x), '
                             'got {}.{}'.format(len(args), hint))
        return super().forward(args[0])
