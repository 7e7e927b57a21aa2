"""Products of a sparse COO matrix and a dense one (``sparse_matmul``).

Two nodes, each the other's gradient helper, so that gradients of any
order work:

* ``CooMatMul``: ``op_out(op_sp(S) @ op_dn(D))``, the dense product of the
  sparse ``S`` (values ``data`` at ``row``, ``col``) and the dense ``D``;
* ``CooSampledMatMul``: ``(op_g(G) @ op_dn(D)^T)`` read only at the sparse
  positions of ``op_sp(S)``: the gradient of the sparse values.

``op_*`` transposes the last two axes when the flag is set. Padding slots
(negative indices) take no part in either.
"""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.utils.sparse import CooMatrix, add_at


def _swap_last(x, flag):
    return x.swapaxes(-1, -2) if flag else x


def _work_dtype(*dtypes):
    """Sums are accumulated in at least float32."""
    return numpy.result_type(numpy.float32, *dtypes)


class _Pattern:
    """The positions of the sparse matrix (constants of the nodes)."""

    def __init__(self, row, col, shape, transposed):
        self.row = row
        self.col = col
        self.shape = tuple(shape)
        self.transposed = transposed

    def op_indices(self, xp):
        """(rows, cols, valid) of ``op_sp(S)``, padding pointed at 0."""
        row, col = self.row, self.col
        if self.transposed:
            row, col = col, row
        valid = (row >= 0) & (col >= 0)
        return xp.where(valid, row, 0), xp.where(valid, col, 0), valid

    def op_shape(self):
        m, k = self.shape
        return (k, m) if self.transposed else (m, k)

    def flipped(self):
        return _Pattern(self.row, self.col, self.shape, not self.transposed)

    def batch_index(self, xp):
        nb = self.row.shape[0]
        return xp.arange(nb).reshape(nb, 1)


def _check_values(func, name, values, pattern):
    _check.float_kind(func, name, values)
    if values.shape != pattern.row.shape:
        _check.fail(func, '{}.shape == row.shape == {}'.format(
            name, pattern.row.shape), '{}.shape == {}'.format(
                name, values.shape))


def _check_dense(func, name, dense, pattern):
    _check.float_kind(func, name, dense)
    expected = pattern.row.ndim + 1
    if dense.ndim != expected:
        _check.fail(func, '{}.ndim == {} ({} sparse matrix)'.format(
            name, expected, 'a batched' if expected == 3 else 'one'),
            '{}.ndim == {}'.format(name, dense.ndim))
    if expected == 3 and dense.shape[0] != pattern.row.shape[0]:
        _check.fail(func, '{}.shape[0] == {} (the number of sparse '
                    'matrices)'.format(name, pattern.row.shape[0]),
                    '{}.shape == {}'.format(name, dense.shape))


class CooMatMul(FunctionNode):
    """``op_out(op_sp(S) @ op_dn(D))``; inputs ``(data, D)``."""

    label = 'sparse_matmul'

    def __init__(self, pattern, trans_dense, trans_out, dtype):
        self.pattern = pattern
        self.trans_dense = trans_dense
        self.trans_out = trans_out
        self.dtype = numpy.dtype(dtype)

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        data, dense = in_data
        _check_values(self, 'sparse data', data, self.pattern)
        _check_dense(self, 'dense', dense, self.pattern)
        m, k = self.pattern.op_shape()
        inner = dense.shape[-1] if self.trans_dense else dense.shape[-2]
        if inner != k:
            _check.fail(self, 'inner dimensions equal: the sparse operand '
                        'is {} x {}'.format(m, k),
                        'the dense operand{} has shape {}'.format(
                            ' (transposed)' if self.trans_dense else '',
                            dense.shape))

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        data, dense = inputs
        xp = backend.get_array_module(data, dense)
        work = _work_dtype(data.dtype, dense.dtype)
        rows, cols, valid = self.pattern.op_indices(xp)
        values = xp.where(valid, data, 0).astype(work, copy=False)
        b = _swap_last(dense, self.trans_dense).astype(work, copy=False)
        m, _ = self.pattern.op_shape()
        n = b.shape[-1]
        if data.ndim == 1:
            out = xp.zeros((m, n), dtype=work)
            add_at(out, rows, values[:, None] * b[cols])
        else:
            batch = self.pattern.batch_index(xp)
            out = xp.zeros((b.shape[0], m, n), dtype=work)
            add_at(out, (batch, rows), values[..., None] * b[batch, cols])
        out = _swap_last(out, self.trans_out)
        return xp.ascontiguousarray(out.astype(self.dtype, copy=False)),

    def backward(self, indexes, grad_outputs):
        data, dense = self.get_retained_inputs()
        g, = grad_outputs
        result = []
        if 0 in indexes:
            result.append(CooSampledMatMul(
                self.pattern, self.trans_out, self.trans_dense,
                data.dtype).apply((g, dense))[0])
        if 1 in indexes:
            # op_dn(D)^-bar = op_sp(S)^T op_out^-1(g), transposed back.
            result.append(CooMatMul(
                self.pattern.flipped(), self.trans_out, self.trans_dense,
                dense.dtype).apply((data, g))[0])
        return tuple(result)


class CooSampledMatMul(FunctionNode):
    """``(op_g(G) @ op_dn(D)^T)[rows, cols]`` at the positions of
    ``op_sp(S)``; inputs ``(G, D)``, output of ``row``'s shape (zero at
    padding slots)."""

    label = 'sparse_matmul_grad'

    def __init__(self, pattern, trans_g, trans_dense, dtype):
        self.pattern = pattern
        self.trans_g = trans_g
        self.trans_dense = trans_dense
        self.dtype = numpy.dtype(dtype)

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        g, dense = in_data
        _check_dense(self, 'g', g, self.pattern)
        _check_dense(self, 'dense', dense, self.pattern)
        m, k = self.pattern.op_shape()
        g_op = _swap_last(g, self.trans_g).shape
        d_op = _swap_last(dense, self.trans_dense).shape
        if g_op[-2] != m or d_op[-2] != k or g_op[-1] != d_op[-1]:
            _check.fail(self, 'op(g) of shape (..., {}, n) and op(dense) of '
                        'shape (..., {}, n)'.format(m, k),
                        'op(g).shape == {}, op(dense).shape == {}'.format(
                            g_op, d_op))

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        g, dense = inputs
        xp = backend.get_array_module(g, dense)
        work = _work_dtype(g.dtype, dense.dtype)
        rows, cols, valid = self.pattern.op_indices(xp)
        a = _swap_last(g, self.trans_g).astype(work, copy=False)
        b = _swap_last(dense, self.trans_dense).astype(work, copy=False)
        if rows.ndim == 1:
            values = (a[rows] * b[cols]).sum(axis=-1)
        else:
            batch = self.pattern.batch_index(xp)
            values = (a[batch, rows] * b[batch, cols]).sum(axis=-1)
        values = xp.where(valid, values, 0)
        return xp.ascontiguousarray(values.astype(self.dtype, copy=False)),

    def backward(self, indexes, grad_outputs):
        g, dense = self.get_retained_inputs()
        h, = grad_outputs
        result = []
        if 0 in indexes:
            result.append(CooMatMul(
                self.pattern, self.trans_dense, self.trans_g,
                g.dtype).apply((h, dense))[0])
        if 1 in indexes:
            result.append(CooMatMul(
                self.pattern.flipped(), self.trans_g, self.trans_dense,
                dense.dtype).apply((h, g))[0])
        return tuple(result)


def _is_dense(x):
    from dynet.variable import Variable
    return isinstance(x, Variable) or isinstance(
        x, backend.get_array_types())


def sparse_matmul(a, b, transa=False, transb=False):
    """Batched product of a sparse and a dense matrix.

    Either operand may be the sparse one:

    1. ``C = op(a) @ op(b)`` with ``a`` a :class:`~dynet.utils.CooMatrix`
       and ``b`` dense;
    2. ``C = op(a) @ op(b)`` with ``a`` dense and ``b`` a ``CooMatrix``;

    where ``op`` transposes each matrix when ``transa`` / ``transb`` is
    set. A sparse operand with 1-D ``data`` (one matrix) goes with a 2-D
    dense operand; with 2-D ``data`` (``nb`` matrices) with a 3-D dense one
    of ``nb`` matrices.

    Args:
        a, b: a CooMatrix and a Variable or array (float16/32/64), in
            either order.
        transa (bool): transpose each matrix of ``a``.
        transb (bool): transpose each matrix of ``b``.
    Returns:
        Variable: the dense product, of dtype
        ``numpy.result_type(sparse.data.dtype, dense.dtype)``. Gradients
        reach the dense operand and the sparse values (``CooMatrix.data``,
        when it requires a gradient; zero at padding slots); double
        backprop is supported.

    Raises:
        ValueError: neither or both operands are a CooMatrix.

    .. seealso:: :func:`dynet.utils.to_coo` builds a CooMatrix from a dense
       array.
    """
    if isinstance(a, CooMatrix) and _is_dense(b):
        sparse, dense = a, b
        pattern = _Pattern(a.row, a.col, a.shape, bool(transa))
        trans_dense, trans_out = bool(transb), False
    elif _is_dense(a) and isinstance(b, CooMatrix):
        # op(a) @ op(b) == (op(b)^T @ op(a)^T)^T
        sparse, dense = b, a
        pattern = _Pattern(b.row, b.col, b.shape, not transb)
        trans_dense, trans_out = not transa, True
    else:
        raise ValueError(
            'sparse_matmul: exactly one of a and b must be a CooMatrix and '
            'the other a Variable or array; got a: {}, b: {}'.format(
                type(a).__name__, type(b).__name__))
    dtype = numpy.result_type(sparse.data.dtype, dense.dtype)
    return CooMatMul(pattern, trans_dense, trans_out, dtype).apply(
        (sparse.data, dense))[0]
