"""Permuting the slices of an array along an axis."""
from dynet import backend
from dynet.config import config
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.array import _array_utils as _u


def _inverse(indices):
    xp = backend.get_array_module(indices)
    inverse = xp.empty_like(indices)
    inverse[indices] = xp.arange(len(indices), dtype=indices.dtype)
    return inverse


def _check_permutation(func, indices):
    values = backend.CpuDevice().send_array(indices)
    n = len(values)
    if ((values < 0) | (values >= n)).any():
        raise ValueError('{}: indices must lie in [0, {}), got {}'.format(
            func.label, n, values))
    if len(set(values.tolist())) != n:
        raise ValueError('{}: indices must be a permutation (no duplicates), '
                         'got {}'.format(func.label, values))


class Permutate(FunctionNode):

    def __init__(self, axis=0, inv=False):
        self.axis = _u.require_int(self, 'axis', axis)
        self.inv = bool(inv)

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        x, indices = in_data
        if x.ndim == 0:
            _check.fail(self, 'x.ndim >= 1', 'x.ndim == 0')
        axis = _u.axis_in(self, 'axis', self.axis, x.ndim)
        if indices.dtype.kind != 'i':
            _check.fail(self, 'indices.dtype.kind == i (a signed integer '
                        'array)', 'indices.dtype == {}'.format(indices.dtype))
        _check.ndim_equal(self, 'indices', indices, 1)
        if x.shape[axis] != indices.shape[0]:
            _check.fail(self, 'x.shape[{}] == indices.shape[0]'.format(axis),
                        '{} != {}'.format(x.shape[axis], indices.shape[0]))

    def forward(self, inputs):
        x, indices = inputs
        if config.debug:
            _check_permutation(self, indices)
        self._indices = indices
        if self.inv:
            indices = _inverse(indices)
        axis = _u.axis_in(self, 'axis', self.axis, max(x.ndim, 1))
        return x[(slice(None),) * axis + (indices,)],

    def backward(self, indexes, grad_outputs):
        gx = Permutate(self.axis, not self.inv).apply(
            (grad_outputs[0], self._indices))[0]
        return gx, None


def permutate(x, indices, axis=0, inv=False):
    """Permutes ``x`` along ``axis``: ``y[i] = x[indices[i]]`` on that axis
    (``y[indices[i]] = x[i]`` when ``inv`` is True).

    ``indices`` must be a permutation of ``range(x.shape[axis])``; this is
    verified only in debug mode (``dynet.set_debug(True)``), as in Chainer.

    Args:
        x: Variable or array with ``ndim >= 1``.
        indices: 1-d signed-integer array (or Variable; it gets no
            gradient) of length ``x.shape[axis]``.
        axis (int): the axis to permute.
        inv (bool): use the inverse permutation.
    Returns:
        Variable of ``x``'s shape and dtype.
    """
    return Permutate(axis, inv).apply((x, indices))[0]
