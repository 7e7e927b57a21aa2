"""Coefficient of determination R^2."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.evaluation import _util

_MULTIOUTPUT = ('uniform_average', 'raw_values')


class R2Score(_util.NonDifferentiable, FunctionNode):

    def __init__(self, sample_weight=None, multioutput='uniform_average'):
        if sample_weight is not None:
            raise NotImplementedError(
                'r2_score: sample_weight is not supported (only None)')
        if multioutput not in _MULTIOUTPUT:
            raise ValueError(
                "r2_score: multioutput must be 'uniform_average' or "
                "'raw_values', but {!r} is given".format(multioutput))
        self.multioutput = multioutput

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        pred, true = in_data
        _check.float_kind(self, 'pred', pred)
        _check.float_kind(self, 'true', true)
        _check.same_shape(self, ('pred', 'true'), in_data)

    def forward(self, inputs):
        pred, true = inputs
        xp = backend.get_array_module(pred)
        work = numpy.promote_types(
            numpy.promote_types(pred.dtype, true.dtype), numpy.float32)
        pred = pred.astype(work, copy=False)
        true_w = true.astype(work, copy=False)
        with numpy.errstate(invalid='ignore', divide='ignore'):
            residual = ((pred - true_w) ** 2).sum(axis=0)
            total = ((true_w - true_w.mean(axis=0)) ** 2).sum(axis=0)
            constant = total == 0
            score = xp.where(constant, 0.0,
                             1 - residual / xp.where(constant, 1, total))
        score = xp.asarray(score).astype(inputs[0].dtype, copy=False)
        if self.multioutput == 'uniform_average':
            return xp.asarray(score.mean(dtype=work), dtype=score.dtype),
        return score,


def r2_score(pred, true, sample_weight=None, multioutput='uniform_average'):
    """R^2 (coefficient of determination) per output column:
    ``1 - sum((pred - true) ** 2) / sum((true - mean(true)) ** 2)`` over
    axis 0, and 0 where ``true`` is constant along axis 0.

    Args:
        pred: Variable or array of predictions (float16/32/64).
        true: Variable or array of targets of the same shape.
        sample_weight: must be None (NotImplementedError otherwise), as in
            Chainer.
        multioutput (str): ``'uniform_average'`` (0-dim mean of the
            per-column scores) or ``'raw_values'`` (the per-column scores,
            ``pred.shape[1:]``).
    Returns:
        Variable of ``pred``'s dtype. Not differentiable.
    """
    return R2Score(sample_weight, multioutput).apply((pred, true))[0]
