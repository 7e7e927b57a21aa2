"""Multi-class classification accuracy."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.evaluation import _util


class Accuracy(_util.NonDifferentiable, FunctionNode):

    def __init__(self, ignore_label=None):
        self.ignore_label = ignore_label

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        _util.check_scores_and_labels(self, *in_data)

    def forward(self, inputs):
        y, t = inputs
        xp = backend.get_array_module(y)
        correct = _util.predictions(y, t) == t
        if self.ignore_label is None:
            total = t.size
        else:
            kept = t != self.ignore_label
            correct &= kept
            total = int(kept.sum())
            if total == 0:
                return xp.asarray(0.0, dtype=y.dtype),
        # Empty t (and no ignore_label) gives NaN, as in Chainer.
        return xp.asarray(float(correct.sum()) / total if total else
                          float('nan'), dtype=y.dtype),


def accuracy(y, t, ignore_label=None):
    """Fraction of positions whose ``argmax`` over axis 1 of ``y`` equals
    ``t``.

    Args:
        y: Variable or array of scores, shape ``(N, C, d1, ...)``
            (float16/32/64); extra trailing axes of length 1 are allowed.
        t: Variable or int array of labels, shape ``(N, d1, ...)``.
        ignore_label (int or None): positions with this label are left
            out; if all are, the accuracy is 0.
    Returns:
        0-dim Variable of ``y``'s dtype. Not differentiable (no gradient
        reaches ``y``).
    """
    return Accuracy(ignore_label).apply((y, t))[0]
