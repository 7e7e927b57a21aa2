"""Helpers shared by the evaluation functions (private)."""
from dynet.functions import _check


class NonDifferentiable:
    """Mixin: evaluation metrics pass no gradient to their inputs (as
    Chainer's, whose backward returns None for every input)."""

    def backward(self, indexes, grad_outputs):
        return tuple([None] * len(indexes))


def check_scores_and_labels(func, y, t):
    """``y``: float scores ``(N, C, d1, ..., dk, 1, ...)``; ``t``: int labels
    ``(N, d1, ..., dk)`` (trailing axes of ``y`` beyond ``t``'s may only
    have length 1)."""
    _check.float_kind(func, 'y', y)
    _check.int_kind(func, 't', t)
    _check.ndim_at_least(func, 'y', y, 2)
    if t.ndim < 1 or t.ndim >= y.ndim:
        _check.fail(func, '1 <= t.ndim < y.ndim',
                    't.ndim == {}, y.ndim == {}'.format(t.ndim, y.ndim))
    if y.shape[0] != t.shape[0]:
        _check.fail(func, 'y.shape[0] == t.shape[0]',
                    '{} != {}'.format(y.shape[0], t.shape[0]))
    if y.shape[2:t.ndim + 1] != t.shape[1:]:
        _check.fail(func, 'y.shape[2:t.ndim + 1] == t.shape[1:]',
                    '{} != {}'.format(y.shape[2:t.ndim + 1], t.shape[1:]))
    rest = y.shape[t.ndim + 1:]
    if any(n != 1 for n in rest):
        _check.fail(func, 'y.shape[t.ndim + 1:] all 1',
                    'y.shape[t.ndim + 1:] == {}'.format(rest))


def predictions(y, t):
    """``argmax`` over axis 1 of ``y``, shaped like ``t``."""
    return y.argmax(axis=1).reshape(t.shape)
