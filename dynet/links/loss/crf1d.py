"""Linear-chain CRF loss layer holding the transition cost matrix."""
import numpy

from dynet import initializers
from dynet import link
from dynet.functions.loss import crf1d as _crf1d
from dynet.variable import Parameter
from dynet.variable import Variable


def _length(sequence):
    return len(sequence.array if isinstance(sequence, Variable)
               else sequence)


def _descending_order(sequences):
    """Indices that sort ``sequences`` by decreasing length (ties keep
    their order)."""
    return numpy.argsort([-_length(s) for s in sequences], kind='stable')


def _time_major(sequences, order):
    """The sequences taken in ``order``, transposed to one array per
    position (``F.transpose_sequence``)."""
    from dynet.functions.array.transpose_sequence import transpose_sequence
    return list(transpose_sequence([sequences[i] for i in order]))


class CRF1d(link.Link):
    """Linear-chain conditional random field loss layer.

    Holds the ``(n_label, n_label)`` transition cost matrix ``cost`` and
    applies :func:`dynet.functions.crf1d` / ``argmax_crf1d``.

    Args:
        n_label (int): number of labels.
        initial_cost: initializer of ``cost`` (default: zeros).
        transpose (bool): when true, ``forward`` and ``argmax`` take
            batch-major input: a list of per-sequence arrays ``(L_i,
            n_label)`` (and labels ``(L_i,)``) in any order; they are
            sorted by decreasing length and transposed here.

    Attributes:
        cost (Parameter): transition costs, ``cost[s, t]`` from label ``s``
            to label ``t``.
    """

    def __init__(self, n_label, initial_cost=None, transpose=False):
        super().__init__()
        if initial_cost is None:
            initial_cost = initializers.Zero()
        self.transpose = transpose
        with self.init_scope():
            self.cost = Parameter(initial_cost, (n_label, n_label))

    def forward(self, xs, ys, reduce='mean', transpose=None):
        """Negative log-likelihood of the label sequences ``ys``.

        Args:
            xs (list): time-major inputs (see :func:`dynet.functions.crf1d`),
                or per-sequence inputs when transposing.
            ys (list): labels laid out like ``xs``.
            reduce (str): ``'mean'`` or ``'no'``.
            transpose (bool or None): overrides the link's ``transpose``
                for this call. When transposing with ``reduce='no'``, the
                losses come in the sorted (decreasing length) order, as in
                Chainer.
        Returns:
            Variable: the loss.
        """
        if self._transposing(transpose):
            order = _descending_order(xs)
            xs = _time_major(xs, order)
            ys = [y.array for y in _time_major(ys, order)]
        return _crf1d.crf1d(self.cost, xs, ys, reduce)

    def argmax(self, xs, transpose=None):
        """The most probable label sequences (Viterbi).

        Args:
            xs (list): inputs laid out as for ``forward``.
            transpose (bool or None): overrides the link's ``transpose``.
        Returns:
            tuple: ``(score, path)`` as :func:`dynet.functions.argmax_crf1d`
            returns them. When transposing, ``path`` holds one label array
            per input sequence, in the input order, while ``score`` keeps
            the sorted (decreasing length) order, as in Chainer.
        """
        if not self._transposing(transpose):
            return _crf1d.argmax_crf1d(self.cost, xs)
        order = _descending_order(xs)
        score, path = _crf1d.argmax_crf1d(self.cost, _time_major(xs, order))
        per_sequence = [p.array for p in _time_major(path, range(len(path)))]
        restored = [None] * len(per_sequence)
        for position, index in enumerate(order):
            restored[index] = per_sequence[position]
        return score, restored

    def _transposing(self, transpose):
        return self.transpose if transpose is None else transpose
