"""Elementwise product with Caffe-style broadcasting along chosen axes."""
from dynet.functions.math.bias import broadcast_along


def scale(x, y, axis=1):
    """Elementwise product ``x * y`` where ``y``'s axes match the axes of
    ``x`` starting at ``axis`` (Caffe's Scale layer broadcasting).

    For ``x`` of shape ``(100, 3, 40, 5, 6)``, ``y`` of shape ``(3, 40)``
    and ``axis=1``, ``y`` is treated as shape ``(1, 3, 40, 1, 1)`` and
    broadcast to ``x``'s shape. Note that ``axis`` is where ``y`` starts
    in ``x``, unlike NumPy's trailing-axes broadcasting.

    Args:
        x (Variable or array): float input of any shape.
        y (Variable or array): same dtype; its shape must equal
            ``x.shape[axis:axis + y.ndim]``.
        axis (int): the first axis of ``x`` along which ``y`` is applied.
    Returns:
        Variable of ``x``'s shape and dtype.
    """
    return x * broadcast_along(x, y, axis, 'scale')
