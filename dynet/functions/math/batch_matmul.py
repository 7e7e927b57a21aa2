"""Batched matrix products (deprecated in Chainer in favour of
``matmul``)."""
import warnings

from dynet.functions.math import _reduction_util as _util


def _as_batch_of_matrices(x, name):
    """``(B, N)`` -> ``(B, N, 1)``; ``(B, M, N)`` unchanged."""
    from dynet.functions.array.reshape import reshape
    ndim = getattr(x, 'ndim', None)
    if ndim is None:
        raise TypeError('batch_matmul: {} must be a Variable or an array, '
                        'got {}'.format(name, type(x).__name__))
    if ndim not in (2, 3):
        _util.fail('BatchMatMul', '{0}.ndim == 2 or {0}.ndim == 3'.format(
            name), '{}.ndim == {}'.format(name, ndim))
    if ndim == 2:
        x = reshape(x, x.shape + (1,))
    return x


def batch_matmul(a, b, transa=False, transb=False):
    """Matrix product of each pair of matrices of two batches.

    Deprecated (as in Chainer, it warns with ``DeprecationWarning``): use
    :func:`matmul`, which batches and broadcasts leading axes.

    Args:
        a: Variable or array of float16/32/64: ``(B, M, N)`` holds ``B``
            ``M x N`` matrices; ``(B, N)`` holds ``B`` column vectors
            (``N x 1`` matrices).
        b: the right operands, read the same way.
        transa (bool): transpose each matrix of ``a`` first.
        transb (bool): transpose each matrix of ``b`` first.
    Returns:
        3-D Variable: ``y[i] = op(a[i]) @ op(b[i])``. Double backprop is
        supported.
    """
    warnings.warn('batch_matmul is deprecated. Use matmul instead.',
                  DeprecationWarning, stacklevel=2)
    from dynet.functions.math.matmul import matmul
    shapes = 'a.shape == {}, b.shape == {}'.format(
        getattr(a, 'shape', None), getattr(b, 'shape', None))
    a = _as_batch_of_matrices(a, 'a')
    b = _as_batch_of_matrices(b, 'b')
    a_inner = a.shape[1] if transa else a.shape[2]
    b_inner = b.shape[2] if transb else b.shape[1]
    if a_inner != b_inner:
        _util.fail('BatchMatMul', 'inner dimensions of a{} and b{} equal '
                   '(2-D inputs read as (B, N, 1))'.format(
                       '.T' if transa else '', '.T' if transb else ''),
                   shapes)
    return matmul(a, b, transa=transa, transb=transb)
