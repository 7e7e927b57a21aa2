"""Maximum and minimum over axes (``max``, ``min``) and the positions of
the extremes (``argmax``, ``argmin``)."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.math import _reduction_util as _util


class _Selector(FunctionNode):
    """Reduces ``x`` over ``axis`` by selecting one of its elements."""

    _reduce = None  # name of the xp reduction ('amax' or 'amin')

    def __init__(self, axis=None, keepdims=False):
        self.axis = axis
        self.keepdims = keepdims

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])
        _check.normalize_axis(self, self.axis, in_data[0].ndim)

    def forward(self, inputs):
        x, = inputs
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        xp = backend.get_array_module(x)
        self._axes = _check.normalize_axis(self, self.axis, x.ndim)
        try:
            y = getattr(xp, self._reduce)(x, axis=self._axes,
                                          keepdims=self.keepdims)
        except ValueError:
            raise ValueError(
                '{}: cannot reduce over a zero-size axis (x.shape == {}, '
                'axis == {!r})'.format(self.label, x.shape, self.axis)) \
                from None
        return _util.as_array(y, xp),

    def backward(self, indexes, grad_outputs):
        # Every element equal to the selected value gets the whole output
        # gradient (as in Chainer): ties share nothing, each receives gy.
        x = self.get_retained_inputs()[0].array
        y = self.get_retained_outputs()[0].array
        axes = _util.all_axes(self._axes, x.ndim)
        if not self.keepdims:
            y = _util.keepdims_array(y, x.shape, axes)
        mask = (x == y).astype(x.dtype)
        gx = _util.expand_reduced(grad_outputs[0], x.shape, axes,
                                  self.keepdims)
        return gx * mask,


class Max(_Selector):
    _reduce = 'amax'


class Min(_Selector):
    _reduce = 'amin'


def max(x, axis=None, keepdims=False):
    """Maximum of the elements of ``x`` over ``axis``.

    Args:
        x: Variable or array of float16/32/64.
        axis (None, int or tuple of ints): axes to reduce (None: all);
            negative values count from the end.
        keepdims (bool): keep the reduced axes with length 1.
    Returns:
        Variable of ``x``'s dtype. Backward sends the output gradient to
        every element that equals the maximum (each tied element receives
        the full gradient, as in Chainer). Double backprop is supported.
    """
    return Max(axis, keepdims).apply((x,))[0]


def min(x, axis=None, keepdims=False):
    """Minimum of the elements of ``x`` over ``axis``.

    Args:
        x: Variable or array of float16/32/64.
        axis (None, int or tuple of ints): axes to reduce (None: all);
            negative values count from the end.
        keepdims (bool): keep the reduced axes with length 1.
    Returns:
        Variable of ``x``'s dtype. Backward sends the output gradient to
        every element that equals the minimum (each tied element receives
        the full gradient, as in Chainer). Double backprop is supported.
    """
    return Min(axis, keepdims).apply((x,))[0]


class _IndexSelector(FunctionNode):
    """Index of an extreme element along one axis (or of the flattened
    array); int32 output without gradient."""

    _reduce = None

    def __init__(self, axis=None):
        self.axis = _util.int_or_none_axis(self.label, axis)

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])
        if self.axis is not None:
            _util.check_axis_in_range(self, self.axis, in_data[0].ndim)

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        try:
            y = getattr(xp, self._reduce)(x, axis=self.axis)
        except ValueError:
            raise ValueError(
                '{}: cannot search a zero-size axis (x.shape == {}, axis == '
                '{!r})'.format(self.label, x.shape, self.axis)) from None
        return _util.as_array(y, xp).astype(numpy.int32),

    def backward(self, indexes, grad_outputs):
        return None,


class ArgMax(_IndexSelector):
    _reduce = 'argmax'


class ArgMin(_IndexSelector):
    _reduce = 'argmin'


def argmax(x, axis=None):
    """Index of the maximum of ``x`` along ``axis``.

    Args:
        x: Variable or array of float16/32/64.
        axis (None or int): the axis to search; None searches the flattened
            array (the result is then a flat index).
    Returns:
        Variable of int32 holding the first index of the maximum (NumPy's
        tie rule). It has no gradient.
    """
    return ArgMax(axis).apply((x,))[0]


def argmin(x, axis=None):
    """Index of the minimum of ``x`` along ``axis``.

    Args:
        x: Variable or array of float16/32/64.
        axis (None or int): the axis to search; None searches the flattened
            array (the result is then a flat index).
    Returns:
        Variable of int32 holding the first index of the minimum (NumPy's
        tie rule). It has no gradient.
    """
    return ArgMin(axis).apply((x,))[0]
