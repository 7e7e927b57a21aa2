"""Sparse matrices in COO format (``chainer.utils.CooMatrix`` and
``chainer.utils.to_coo``), used by :func:`dynet.functions.sparse_matmul`.

A matrix (or a batch of matrices of one shape) is stored as three arrays
of equal shape: ``data`` (the values), ``row`` and ``col`` (their
indices), of shape ``(ldnz,)`` for one matrix or ``(nb, ldnz)`` for a
batch. Entries whose ``row`` and ``col`` are negative (``-1`` as written by
:func:`to_coo`) are padding, so that every matrix of a batch has the same
number of slots; they hold no value. Repeated indices add up.
"""
import numpy

from dynet import backend

_ORDERS = ('C', 'F', 'other', None)


def add_at(target, index, values):
    """``target[index] += values`` with repeated indices accumulated
    (``numpy.add.at``; ``cupyx.scatter_add`` on older CuPy)."""
    xp = backend.get_array_module(target)
    if hasattr(xp.add, 'at'):
        xp.add.at(target, index, values)
    else:
        import cupyx
        cupyx.scatter_add(target, index, values)


def _check_indices(row, col, shape):
    """Each slot is either a valid (row, col) pair or padding (both
    negative)."""
    if row.dtype.kind not in 'iu' or col.dtype.kind not in 'iu':
        raise TypeError(
            'CooMatrix: row and col must be integer arrays, got dtypes {} '
            'and {}'.format(row.dtype, col.dtype))
    if row.size == 0:
        return
    used_row = row >= 0
    used_col = col >= 0
    if bool((used_row != used_col).any()):
        raise ValueError(
            'CooMatrix: invalid index combination of row and col: a slot '
            'must have both indices valid or both negative (padding)')
    if bool((row >= shape[0]).any()) or bool((col >= shape[1]).any()):
        raise ValueError(
            'CooMatrix: an index is out of range for a matrix of shape '
            '{}: row.max() == {}, col.max() == {}'.format(
                shape, int(row.max()), int(col.max())))


class CooMatrix:
    """A sparse matrix, or a batch of them, in COO format.

    Args:
        data (array): the values, of shape ``(ldnz,)`` or ``(nb, ldnz)``
            (a batch of ``nb`` matrices); ``sparse_matmul`` needs
            floating-point values.
        row (array): their row indices (integers, same shape as ``data``;
            negative for padding slots).
        col (array): their column indices (same shape as ``data``).
        shape (tuple of two ints): the dense shape ``(m, n)`` of each
            matrix, both positive.
        order ('C', 'F', 'other' or None): ``'C'`` if the entries are
            sorted by row (then column), ``'F'`` if sorted by column (then
            row), ``'other'`` otherwise; None (default) finds out. It is a
            hint only; every order gives the same results.
        requires_grad (bool): whether ``data`` (a Variable) receives a
            gradient in backprop.

    Attributes:
        data (Variable): the values.
        row, col (arrays): the indices.
        shape (tuple): the dense shape of one matrix.
        order (str): ``'C'``, ``'F'`` or ``'other'``.
    """

    def __init__(self, data, row, col, shape, order=None,
                 requires_grad=False):
        from dynet.variable import Variable
        for name, value in (('data', data), ('row', row), ('col', col)):
            if not isinstance(value, backend.get_array_types()):
                raise TypeError('CooMatrix: {} must be a numpy or cupy '
                                'array, got {}'.format(
                                    name, type(value).__name__))
        if not 1 <= data.ndim <= 2:
            raise ValueError('CooMatrix: ndim of data must be 1 or 2, got '
                             '{}'.format(data.ndim))
        if not data.ndim == row.ndim == col.ndim:
            raise ValueError(
                'CooMatrix: ndim of data, row and col must be the same, got '
                '{}, {} and {}'.format(data.ndim, row.ndim, col.ndim))
        if not data.shape == row.shape == col.shape:
            raise ValueError(
                'CooMatrix: data, row and col must have the same shape, got '
                '{}, {} and {}'.format(data.shape, row.shape, col.shape))
        shape = tuple(shape)
        if len(shape) != 2:
            raise ValueError('CooMatrix: length of shape must be 2, got '
                             '{!r}'.format(shape))
        if not (shape[0] > 0 and shape[1] > 0):
            raise ValueError('CooMatrix: numbers in shape must be greater '
                             'than 0, got {!r}'.format(shape))
        if order not in _ORDERS:
            raise ValueError("CooMatrix: order must be 'C', 'F', 'other' or "
                             "None, got {!r}".format(order))
        _check_indices(row, col, shape)
        self.data = Variable(data, requires_grad=requires_grad)
        self.row = row
        self.col = col
        self.shape = (int(shape[0]), int(shape[1]))
        self.order = get_order(row, col) if order is None else order

    def to_dense(self):
        """The dense array: ``(m, n)``, or ``(nb, m, n)`` for a batch
        (values at repeated indices add up)."""
        data = self.data.array
        xp = backend.get_array_module(data)
        valid = (self.row >= 0) & (self.col >= 0)
        values = xp.where(valid, data, data.dtype.type(0))
        row = xp.where(valid, self.row, 0)
        col = xp.where(valid, self.col, 0)
        if data.ndim == 1:
            dense = xp.zeros(self.shape, dtype=data.dtype)
            index = (row, col)
        else:
            nb = data.shape[0]
            dense = xp.zeros((nb,) + self.shape, dtype=data.dtype)
            batch = xp.broadcast_to(
                xp.arange(nb).reshape(nb, 1), row.shape)
            index = (batch, row, col)
        add_at(dense, index, values)
        return dense


def to_coo(x, ldnz=None, requires_grad=False):
    """A :class:`CooMatrix` holding the non-zero entries of ``x``.

    Args:
        x (array): a dense matrix ``(m, n)``, or a batch ``(nb, m, n)``.
        ldnz (int): the number of slots per matrix: ``max(nnz, ldnz)``
            where ``nnz`` is the largest number of non-zero entries of a
            matrix; unused slots are padding (``row = col = -1``, value
            0).
        requires_grad (bool): whether the values receive a gradient.
    Returns:
        CooMatrix in ``'C'`` order (sorted by row, then column), with
        int32 indices.
    """
    if not isinstance(x, backend.get_array_types()):
        raise TypeError('to_coo: x must be a numpy or cupy array, got '
                        '{}'.format(type(x).__name__))
    if x.ndim not in (2, 3):
        raise ValueError('to_coo: ndim of x must be 2 or 3, got {}'.format(
            x.ndim))
    if ldnz is not None and (not isinstance(ldnz, (int, numpy.integer)) or
                             isinstance(ldnz, bool) or ldnz < 0):
        raise ValueError('to_coo: ldnz must be a non-negative int or None, '
                         'got {!r}'.format(ldnz))
    xp = backend.get_array_module(x)
    batch = x if x.ndim == 3 else x[None]
    nonzero = batch != 0
    counts = nonzero.reshape(batch.shape[0], -1).sum(axis=1)
    slots = max(int(counts.max()) if counts.size else 0, ldnz or 0)
    nb = batch.shape[0]
    data = xp.zeros((nb, slots), dtype=x.dtype)
    row = xp.full((nb, slots), -1, dtype=numpy.int32)
    col = xp.full((nb, slots), -1, dtype=numpy.int32)
    for i in range(nb):
        r, c = xp.nonzero(nonzero[i])  # row-major: already 'C' order
        n = r.shape[0]
        data[i, :n] = batch[i][r, c]
        row[i, :n] = r
        col[i, :n] = c
    if x.ndim == 2:
        data, row, col = data[0], row[0], col[0]
    return CooMatrix(data, row, col, x.shape[-2:], order='C',
                     requires_grad=requires_grad)


def _sorted(primary, secondary):
    """Whether the used slots are sorted by ``primary``, then by
    ``secondary`` (padding slots are skipped)."""
    used = (primary >= 0) & (secondary >= 0)
    p = primary[used]
    s = secondary[used]
    if p.shape[0] <= 1:
        return True
    dp = p[1:] - p[:-1]
    ds = s[1:] - s[:-1]
    return bool(((dp > 0) | ((dp == 0) & (ds >= 0))).all())


def get_order(row, col):
    """``'C'`` if the COO indices are sorted by row then column, ``'F'``
    if sorted by column then row, ``'other'`` otherwise (each matrix of a
    batch on its own; padding slots are ignored)."""
    if row.shape != col.shape:
        raise ValueError('get_order: row and col must have the same shape, '
                         'got {} and {}'.format(row.shape, col.shape))
    rows = row if row.ndim == 2 else row[None]
    cols = col if col.ndim == 2 else col[None]
    if all(_sorted(r, c) for r, c in zip(rows, cols)):
        return 'C'
    if all(_sorted(c, r) for r, c in zip(rows, cols)):
        return 'F'
    return 'other'
