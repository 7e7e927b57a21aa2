"""Embedding lookup: rows of ``W`` selected by integer ids."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


def _scatter_rows(x, gy, n_rows, ignore_label):
    """gW (n_rows, D): the rows of ``gy`` summed by id ``x`` (ids equal to
    ``ignore_label`` dropped). Accumulates in float64."""
    xp = backend.get_array_module(gy)
    d = gy.shape[-1]
    ids = x.ravel().astype(numpy.intp)
    rows = gy.reshape(ids.size, d)
    if ignore_label is not None:
        keep = ids != ignore_label
        ids = ids[keep]
        rows = rows[keep]
    if n_rows == 0 or d == 0 or ids.size == 0:
        return xp.zeros((n_rows, d), dtype=gy.dtype)
    # One bincount over flat (row, column) positions.
    flat = (ids[:, None] * d + xp.arange(d, dtype=numpy.intp)).ravel()
    total = xp.bincount(flat, weights=rows.ravel().astype(numpy.float64),
                        minlength=n_rows * d)
    return total.reshape(n_rows, d).astype(gy.dtype, copy=False)


class EmbedIDFunction(FunctionNode):

    def __init__(self, ignore_label=None):
        self.ignore_label = ignore_label

    @property
    def label(self):
        return 'EmbedIDFunction'

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        x, w = in_data
        if x.dtype.kind != 'i':
            _check.fail(self, 'x.dtype.kind == i (a signed integer array)',
                        'x.dtype == {}'.format(x.dtype))
        _check.ndim_at_least(self, 'x', x, 1)
        _check.float_kind(self, 'W', w)
        _check.ndim_equal(self, 'W', w, 2)
        if x.size:
            xp = backend.get_array_module(x)
            valid = (x >= 0) & (x < w.shape[0])
            if self.ignore_label is not None:
                valid |= x == self.ignore_label
            if not bool(xp.all(valid)):
                bad = x[~valid].ravel()[0]
                raise ValueError(
                    '{}: each id in x that is not ignore_label ({}) must '
                    'satisfy 0 <= x < len(W) == {}; got {}'.format(
                        self.label, self.ignore_label, w.shape[0],
                        int(bad)))

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, w = inputs
        xp = backend.get_array_module(w)
        if self.ignore_label is None:
            return w[x],
        mask = x == self.ignore_label
        y = w[xp.where(mask, 0, x)] if w.shape[0] else \
            xp.zeros(x.shape + w.shape[1:], w.dtype)
        y[mask] = 0
        return y,

    def backward(self, indexes, grad_outputs):
        x = self.get_retained_inputs()[0]
        gw = EmbedIDGrad(self.inputs[1].shape, self.ignore_label).apply(
            (x, grad_outputs[0]))[0]
        return None, gw


class EmbedIDGrad(FunctionNode):
    """gW of ``embed_id`` as a function of (x, gy)."""

    def __init__(self, w_shape, ignore_label=None):
        self.w_shape = tuple(w_shape)
        self.ignore_label = ignore_label

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, gy = inputs
        return _scatter_rows(x, gy, self.w_shape[0], self.ignore_label),

    def backward(self, indexes, grad_outputs):
        x = self.get_retained_inputs()[0]
        return None, EmbedIDFunction(self.ignore_label).apply(
            (x, grad_outputs[0]))[0]


def embed_id(x, W, ignore_label=None):
    """Embedding lookup (a linear function of one-hot inputs).

    ``y[..., :] = W[x[...], :]``; where ``x == ignore_label`` the output
    row is zero and sends no gradient to ``W``.

    Args:
        x (Variable or array): ids, a signed-integer array with at least
            one axis; every id not equal to ``ignore_label`` must lie in
            ``[0, len(W))`` (checked when ``config.type_check`` is on,
            raising ``ValueError``).
        W (Variable or array): embeddings (V, D), float.
        ignore_label (int or None): the id whose rows are zero.
    Returns:
        Variable of shape ``x.shape + (D,)`` and ``W``'s dtype. Only ``W``
        receives a gradient (the ids are not differentiable); double
        backprop is supported.
    """
    return EmbedIDFunction(ignore_label=ignore_label).apply((x, W))[0]
