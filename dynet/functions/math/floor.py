"""Elementwise floor function (not differentiable)."""
from dynet.functions.math._rounding import unchained


def floor(x):
    """Elementwise floor function, ``y = floor(x)``: the largest integer
    ``<= x``.

    As in Chainer, the result is a new Variable that is not connected to
    the graph: no gradient flows back to ``x`` through it (its gradient
    is zero almost everywhere).

    Args:
        x (Variable or array): input of any shape and dtype.
    Returns:
        Variable of ``x``'s shape and dtype with ``requires_grad=False``.
    """
    return unchained('floor', x, 'floor')
