"""Shift: each group of channels is translated by its own offset (a zero
FLOP, zero parameter alternative to a spatial convolution)."""
import numbers

import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


def _pair(value, name):
    if isinstance(value, (numbers.Integral, numpy.integer)) and \
            not isinstance(value, bool):
        return int(value), int(value)
    try:
        pair = tuple(int(v) for v in value)
    except TypeError:
        pair = ()
    if len(pair) != 2:
        raise TypeError('shift: {} must be an int or a pair of ints, got '
                        '{!r}'.format(name, value))
    return pair


def _offsets(channels, kh, kw):
    """(dy, dx) kernel offsets of each channel, in kernel units.

    Channels are split into ``kh * kw`` consecutive groups (the last one
    also takes the remainder). Group ``i`` moves by kernel position
    ``i``, except that the centre position (no shift) is given to the last
    group and the last position to the centre group."""
    n_groups = kh * kw
    group_size = channels // n_groups
    centre = (n_groups - 1) // 2
    result = []
    for c in range(channels):
        i = min(c // group_size, n_groups - 1)
        if i == centre:
            i = n_groups - 1
        elif i == n_groups - 1:
            i = centre
        result.append((i // kw - kh // 2, i % kw - kw // 2))
    return result


class ShiftFunction(FunctionNode):
    """y[:, c, i, j] = x[:, c, i - oy_c * dy, j - ox_c * dx] (zero outside
    the image), with the kernel offsets (oy_c, ox_c) of ``_offsets``. The
    dilations may be negative (the gradient shifts the other way)."""

    def __init__(self, ksize=3, dilate=1):
        self.kh, self.kw = _pair(ksize, 'ksize')
        if self.kh % 2 != 1 or self.kw % 2 != 1 or self.kh < 1 or \
                self.kw < 1:
            raise ValueError('shift: ksize must be odd and positive, got '
                             '{}'.format((self.kh, self.kw)))
        self.dy, self.dx = _pair(dilate, 'dilate')
        if self.dy == 0 or self.dx == 0:
            raise ValueError('shift: dilate must be non-zero, got {}'.format(
                (self.dy, self.dx)))

    @property
    def label(self):
        return 'ShiftFunction'

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        x = in_data[0]
        _check.float_kind(self, 'x', x)
        _check.ndim_equal(self, 'x', x, 4)
        if x.shape[1] < self.kh * self.kw:
            _check.fail(self, 'x.shape[1] >= kh * kw == {}'.format(
                self.kh * self.kw), 'x.shape[1] == {}'.format(x.shape[1]))

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        n, c, h, w = x.shape
        y = xp.zeros_like(x)
        # Consecutive channels with the same offset are copied together.
        offsets = _offsets(c, self.kh, self.kw)
        start = 0
        while start < c:
            stop = start
            while stop < c and offsets[stop] == offsets[start]:
                stop += 1
            oy, ox = offsets[start]
            sy, sx = oy * self.dy, ox * self.dx
            # Output rows [max(sy, 0), h + min(sy, 0)) read rows - sy.
            ys, ye = max(sy, 0), min(h + sy, h)
            xs, xe = max(sx, 0), min(w + sx, w)
            if ys < ye and xs < xe:
                y[:, start:stop, ys:ye, xs:xe] = \
                    x[:, start:stop, ys - sy:ye - sy, xs - sx:xe - sx]
            start = stop
        return y,

    def backward(self, indexes, grad_outputs):
        return ShiftFunction((self.kh, self.kw),
                             (-self.dy, -self.dx)).apply(grad_outputs)


def shift(x, ksize=3, dilate=1):
    """Shift function (Wu et al., "Shift: A Zero FLOP, Zero Parameter
    Alternative to Spatial Convolutions").

    The channels are split into ``k_H * k_W`` consecutive groups of
    ``c // (k_H * k_W)`` channels (the last group also takes the
    remainder), one group per kernel position ``(p, q)``; a group is
    translated by ``((p - k_H // 2) * d_Y, (q - k_W // 2) * d_X)`` pixels
    with zeros shifted in. As in Chainer, the unshifted centre position
    goes to the last group and the last position to the centre group.

    Args:
        x (Variable or array): input (n, c, h, w), float, with
            ``c >= k_H * k_W``.
        ksize (int or pair of ints): kernel size; odd.
        dilate (int or pair of ints): dilation (pixels per kernel step).
    Returns:
        Variable of ``x``'s shape and dtype. Differentiable to any order.
    """
    return ShiftFunction(ksize, dilate).apply((x,))[0]
