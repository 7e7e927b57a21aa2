"""Per-class precision, recall, F-beta score and support."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.evaluation import _util


def _fbeta(precision, recall, beta):
    beta2 = beta * beta
    with numpy.errstate(invalid='ignore', divide='ignore'):
        return ((1 + beta2) * precision * recall /
                (beta2 * precision + recall)).astype(precision.dtype)


class ClassificationSummary(_util.NonDifferentiable, FunctionNode):

    def __init__(self, label_num, beta, ignore_label):
        self.label_num = label_num
        self.beta = beta
        self.ignore_label = ignore_label

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        _util.check_scores_and_labels(self, *in_data)

    def forward(self, inputs):
        y, t = inputs
        xp = backend.get_array_module(y)
        t = t.ravel().astype(numpy.int64)
        pred = _util.predictions(y, t)
        if self.label_num is None:
            label_num = int(t.max()) + 1 if t.size else 0
        else:
            label_num = int(self.label_num)
        kept = t != self.ignore_label
        # Everything ignored or out of [0, label_num) goes to a spare bin.
        spare = label_num

        def counts(values):
            values = xp.where(kept & (values >= 0) & (values < label_num),
                              values, spare)
            return xp.bincount(values, minlength=label_num + 1)[:label_num]

        support = counts(t)
        relevant = counts(pred)
        true_positive = counts(xp.where(pred == t, t, spare))
        # 0 / 0 gives NaN (with NumPy's RuntimeWarning), as in Chainer.
        precision = true_positive / relevant
        recall = true_positive / support
        return precision, recall, _fbeta(precision, recall, self.beta), \
            support


def classification_summary(y, t, label_num=None, beta=1.0, ignore_label=-1):
    """Precision, recall, F-beta score and support of each class.

    The prediction is the ``argmax`` of ``y`` over axis 1. For class ``c``:
    precision ``tp / (tp + fp)``, recall ``tp / (tp + fn)``, F-beta
    ``(1 + beta^2) P R / (beta^2 P + R)`` and support (the number of
    positions labelled ``c``); 0 / 0 gives NaN.

    Args:
        y: Variable or array of scores ``(N, C, ...)`` (float16/32/64).
        t: Variable or int array of labels ``(N, ...)``.
        label_num (int or None): number of classes; None means
            ``max(t) + 1``.
        beta (float): weight of recall in the F-beta score.
        ignore_label (int): positions with this label are left out.
    Returns:
        tuple of 4 Variables of shape ``(label_num,)``: precision, recall
        and F-beta score as float64 and support as int64 (the dtypes of
        Chainer's NumPy arithmetic). Not differentiable.
    """
    return ClassificationSummary(label_num, beta, ignore_label).apply(
        (y, t))


def precision(y, t, label_num=None, ignore_label=-1):
    """Per-class precision: ``(precision, support)`` of
    :func:`classification_summary`."""
    summary = classification_summary(y, t, label_num, 1.0, ignore_label)
    return summary[0], summary[3]


def recall(y, t, label_num=None, ignore_label=-1):
    """Per-class recall: ``(recall, support)`` of
    :func:`classification_summary`."""
    summary = classification_summary(y, t, label_num, 1.0, ignore_label)
    return summary[1], summary[3]


def fbeta_score(y, t, label_num=None, beta=1.0, ignore_label=-1):
    """Per-class F-beta score: ``(fbeta_score, support)`` of
    :func:`classification_summary`."""
    summary = classification_summary(y, t, label_num, beta, ignore_label)
    return summary[2], summary[3]


def f1_score(y, t, label_num=None, ignore_label=-1):
    """Per-class F1 score: ``(f1_score, support)`` of
    :func:`classification_summary` with ``beta=1``."""
    summary = classification_summary(y, t, label_num, 1.0, ignore_label)
    return summary[2], summary[3]
