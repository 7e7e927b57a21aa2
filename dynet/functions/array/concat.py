"""Concatenation along an axis; also the base of stack/hstack/vstack/dstack.
"""
import itertools

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.array import _array_utils as _u


class _Join(FunctionNode):
    """Concatenates the inputs, each first reshaped by ``_promote``, along
    ``_join_axis(ndim)``. The backward splits the output gradient at the
    same places and reshapes the pieces back (double backward works since
    both are differentiable)."""

    def _promote(self, shape):
        return shape

    def _join_axis(self, ndim):
        raise NotImplementedError

    def _check_inputs(self, in_data):
        if not in_data:
            _check.fail(self, 'at least one input', 'no inputs')
        first = in_data[0]
        axis = self._join_axis(first.ndim)
        reference = self._promote(first.shape)
        for i in range(1, len(in_data)):
            x = in_data[i]
            name = 'xs[{}]'.format(i)
            if x.dtype != first.dtype:
                _check.fail(self, '{}.dtype == xs[0].dtype'.format(name),
                            '{} != {}'.format(x.dtype, first.dtype))
            if x.ndim != first.ndim:
                _check.fail(self, '{}.ndim == xs[0].ndim'.format(name),
                            '{} != {}'.format(x.ndim, first.ndim))
            shape = self._promote(x.shape)
            if any(d != axis and m != n for d, (m, n) in enumerate(
                    zip(shape, reference))):
                _check.fail(
                    self, '{} and xs[0] of equal shape except along the '
                    'joined axis {}'.format(name, axis),
                    '{}.shape == {}, xs[0].shape == {}'.format(
                        name, x.shape, first.shape))

    def forward(self, inputs):
        if not inputs:
            raise ValueError('{}: at least one input is required'.format(
                self.label))
        axis = self._join_axis(inputs[0].ndim)
        xp = backend.get_array_module(*inputs)
        arrays = []
        for x in inputs:
            shape = self._promote(x.shape)
            arrays.append(x if shape == x.shape else x.reshape(shape))
        return xp.concatenate(arrays, axis=axis),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.array.reshape import reshape
        from dynet.functions.array.split_axis import split_axis
        gy = grad_outputs[0]
        shapes = [node.shape for node in self.inputs]
        axis = self._join_axis(len(shapes[0]))
        if len(shapes) == 1:
            parts = (gy,)
        else:
            sizes = [self._promote(s)[axis] for s in shapes[:-1]]
            parts = split_axis(gy, list(itertools.accumulate(sizes)), axis)
        return tuple(p if p.shape == s else reshape(p, s)
                     for p, s in zip(parts, shapes))


class Concat(_Join):

    def __init__(self, axis=1):
        self.axis = _u.require_int(self, 'axis', axis)

    def _join_axis(self, ndim):
        if ndim == 0:
            _check.fail(self, 'xs[0].ndim >= 1', 'xs[0].ndim == 0')
        return _u.axis_in(self, 'axis', self.axis, ndim,
                          'xs[0].ndim == {}'.format(ndim))


def concat(xs, axis=1):
    """Concatenates Variables along ``axis``.

    Args:
        xs: a list or tuple of Variables or arrays of one dtype whose shapes
            agree except along ``axis`` (at least one, each ``ndim >= 1``).
        axis (int): the axis to join along; negative values count from the
            end.
    Returns:
        Variable whose ``axis`` length is the sum of the inputs'.
    """
    return Concat(axis).apply(tuple(xs))[0]
