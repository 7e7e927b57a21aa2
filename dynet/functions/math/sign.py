"""Elementwise sign (not differentiable)."""
from dynet.functions.math._rounding import unchained


def sign(x):
    """Elementwise sign: ``-1`` for ``x < 0``, ``0`` for ``x == 0``, ``1``
    for ``x > 0`` (NaN stays NaN).

    As in Chainer, the gradient of this function is None everywhere: the
    result is a new Variable that is not connected to the graph.

    Args:
        x (Variable or array): input of any shape and dtype.
    Returns:
        Variable of ``x``'s shape and dtype with ``requires_grad=False``.
    """
    return unchained('sign', x, 'sign', keep_dtype=False)
