"""Stacked RNN links over lists of sequences: the base class of the
n-step links and the Elman RNN links ``NStepRNNTanh``, ``NStepRNNReLU``,
``NStepBiRNNTanh``, ``NStepBiRNNReLU``."""
import numpy

from dynet import backend
from dynet import initializers
from dynet import link
from dynet.functions.array.permutate import permutate
from dynet.functions.array.transpose_sequence import transpose_sequence
from dynet.functions.rnn.n_step_rnn import (
    _parse_kwargs, n_step_birnn, n_step_rnn)
from dynet.variable import Parameter, Variable


def argsort_list_descent(lst):
    """Indices that sort ``lst`` by decreasing ``len`` (int32)."""
    return numpy.argsort([-len(x) for x in lst]).astype(numpy.int32)


def permutate_list(lst, indices, inv):
    """``[lst[i] for i in indices]``, or its inverse when ``inv``."""
    result = [None] * len(lst)
    if inv:
        for position, index in enumerate(indices):
            result[index] = lst[position]
    else:
        for position, index in enumerate(indices):
            result[position] = lst[index]
    return result


def _check_init_kwargs(name, kwargs):
    removed = {
        'use_cudnn': "the use_cudnn argument was removed in Chainer v2; "
                     "use using_config('use_cudnn', ...) instead",
        'use_bi_direction': 'use_bi_direction is not an argument any more: '
                            'choose the Bi link class instead',
        'activation': 'activation is not an argument any more: choose the '
                      'Tanh or ReLU link class instead',
    }
    for key in kwargs:
        if key in removed:
            raise ValueError('{}: {}'.format(name, removed[key]))
    if kwargs:
        raise TypeError('{}() got unexpected keyword argument(s) {}'.format(
            name, ', '.join(sorted(kwargs))))


class NStepRNNBase(link.ChainList):
    """Base class of the stacked RNN links.

    The link is a ChainList of ``n_layers * directions`` plain links (named
    ``'0'``, ``'1'``, ...; for bi-directional RNNs link ``2 i`` is the
    forward and ``2 i + 1`` the backward RNN of layer ``i``), each holding
    ``n_weights`` weights ``w0, w1, ...`` and biases ``b0, b1, ...`` (so a
    saved file has the keys ``0/w0``, ``0/b0``, ... as Chainer's).
    Weights ``w0 .. w{n_weights/2 - 1}`` multiply the layer input and have
    shape ``(out_size, in_size)`` in layer 0 and ``(out_size, out_size *
    directions)`` above; the others have shape ``(out_size, out_size)``.
    Weights are drawn from ``Normal(sqrt(1 / w_in))`` (``w_in`` their
    number of columns), biases are zero.

    Args:
        n_layers (int): number of layers.
        in_size (int): input size.
        out_size (int): hidden size.
        dropout (float): dropout ratio of the inputs of layers > 0.

    Subclasses set ``n_weights``, ``use_bi_direction`` and ``rnn``.
    """

    n_weights = None
    use_bi_direction = False

    def __init__(self, n_layers, in_size, out_size, dropout, **kwargs):
        _check_init_kwargs(type(self).__name__, kwargs)
        direction = 2 if self.use_bi_direction else 1
        weights = []
        half = self.n_weights // 2
        for layer in range(n_layers):
            for _ in range(direction):
                weight = link.Link()
                with weight.init_scope():
                    for j in range(self.n_weights):
                        if j >= half:
                            w_in = out_size
                        elif layer == 0:
                            w_in = in_size
                        else:
                            w_in = out_size * direction
                        w = Parameter(
                            initializers.Normal(numpy.sqrt(1. / w_in)),
                            (out_size, w_in))
                        b = Parameter(0, (out_size,))
                        setattr(weight, 'w%d' % j, w)
                        setattr(weight, 'b%d' % j, b)
                weights.append(weight)
        super().__init__(*weights)
        self._collect_params()
        self.n_layers = n_layers
        self.dropout = dropout
        self.out_size = out_size
        self.direction = direction

    def _collect_params(self):
        n = self.n_weights
        self.ws = [[getattr(layer, 'w%d' % i) for i in range(n)]
                   for layer in self]
        self.bs = [[getattr(layer, 'b%d' % i) for i in range(n)]
                   for layer in self]

    def copy(self, mode='share'):
        result = super().copy(mode)
        result._collect_params()
        return result

    @property
    def n_cells(self):
        """The number of state arrays (1; 2 for LSTMs)."""
        return 1

    def rnn(self, *args):
        """Calls the n-step function (implemented by subclasses)."""
        raise NotImplementedError

    def init_hx(self, xs):
        """Zero initial states ``(n_layers * directions, len(xs),
        out_size)`` of ``xs[0]``'s dtype."""
        shape = (self.n_layers * self.direction, len(xs), self.out_size)
        return Variable(self.xp.zeros(shape, dtype=xs[0].dtype))

    def forward(self, hx, xs, **kwargs):
        """forward(self, hx, xs)

        Runs the RNN over a batch of sequences.

        Args:
            hx (Variable or None): initial hidden states of shape
                ``(S * D, B, N)`` (``S`` layers, ``D`` directions, ``B``
                sequences), or None for zeros.
            xs (list of Variables or arrays): ``B`` sequences ``xs[i]`` of
                shape ``(L_i, in_size)``, in any order of lengths.
        Returns:
            tuple ``(hy, ys)``: the last hidden states (shape of ``hx``)
            and the list ``ys[i]`` of shape ``(L_i, D * N)``: the last
            layer's outputs for ``xs[i]``.
        """
        (hy,), ys = self._call([hx], xs, **kwargs)
        return hy, ys

    def _call(self, hs, xs, **kwargs):
        """Sorts the sequences by decreasing length, transposes them, calls
        :meth:`rnn` with the states ``hs`` (None: zeros) and undoes the
        sorting; returns ``(list of final states, ys)``."""
        _parse_kwargs(type(self).__name__, kwargs)
        if not isinstance(xs, (list, tuple)):
            raise TypeError('{}: xs must be a list or tuple of sequences, '
                            'got {}'.format(type(self).__name__,
                                            type(xs).__name__))
        indices = argsort_list_descent(xs)
        xs = permutate_list(xs, indices, inv=False)
        device_indices = None
        states = []
        for h in hs:
            if h is None:
                h = self.init_hx(xs)
            else:
                if device_indices is None:
                    xp = backend.get_array_module(h)
                    device_indices = xp.asarray(indices)
                h = permutate(h, device_indices, axis=1, inv=False)
            states.append(h)
        trans_x = transpose_sequence(xs)
        args = [self.n_layers, self.dropout] + states + \
            [self.ws, self.bs, trans_x]
        result = self.rnn(*args)
        hys = []
        for h in result[:-1]:
            if device_indices is None:
                xp = backend.get_array_module(h)
                device_indices = xp.asarray(indices)
            hys.append(permutate(h, device_indices, axis=1, inv=True))
        ys = transpose_sequence(result[-1])
        ys = permutate_list(ys, indices, inv=True)
        return hys, ys


class NStepRNNTanh(NStepRNNBase):
    """__init__(self, n_layers, in_size, out_size, dropout)

    Stacked uni-directional Elman RNN with ``tanh`` over a list of
    sequences of any lengths (sorted and transposed internally); see
    :class:`NStepRNNBase` for the parameters and
    :func:`~dynet.functions.n_step_rnn` for the computation.
    """

    n_weights = 2
    use_bi_direction = False

    def rnn(self, *args):
        return n_step_rnn(*args, activation='tanh')


class NStepRNNReLU(NStepRNNBase):
    """__init__(self, n_layers, in_size, out_size, dropout)

    Stacked uni-directional Elman RNN with ``relu``; see
    :class:`NStepRNNTanh`.
    """

    n_weights = 2
    use_bi_direction = False

    def rnn(self, *args):
        return n_step_rnn(*args, activation='relu')


class NStepBiRNNTanh(NStepRNNBase):
    """__init__(self, n_layers, in_size, out_size, dropout)

    Stacked bi-directional Elman RNN with ``tanh``; outputs have
    ``2 * out_size`` columns (forward, then backward). See
    :func:`~dynet.functions.n_step_birnn`.
    """

    n_weights = 2
    use_bi_direction = True

    def rnn(self, *args):
        return n_step_birnn(*args, activation='tanh')


class NStepBiRNNReLU(NStepRNNBase):
    """__init__(self, n_layers, in_size, out_size, dropout)

    Stacked bi-directional Elman RNN with ``relu``; see
    :class:`NStepBiRNNTanh`.
    """

    n_weights = 2
    use_bi_direction = True

    def rnn(self, *args):
        return n_step_birnn(*args, activation='relu')
