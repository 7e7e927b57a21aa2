"""Axis permutation."""
import numpy

from dynet.function_node import FunctionNode
from dynet.functions import _check


class Transpose(FunctionNode):

    def __init__(self, axes=None):
        self.axes = axes

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        ndim = in_data[0].ndim
        if self.axes is None:
            return
        axes = tuple(self.axes)
        if len(axes) != ndim or sorted(a % ndim for a in axes
                                       if -ndim <= a < ndim) != list(
                                           range(ndim)):
            _check.fail(self, 'axes a permutation of range({})'.format(ndim),
                        'axes == {}'.format(axes))

    def forward(self, inputs):
        return inputs[0].transpose(self.axes),

    def backward(self, indexes, grad_outputs):
        if self.axes is None:
            return transpose(grad_outputs[0]),
        ndim = len(self.axes)
        inverse = tuple(numpy.argsort([a % ndim for a in self.axes]))
        return transpose(grad_outputs[0], inverse),


def transpose(x, axes=None):
    """Permutes the axes of ``x``; ``axes=None`` reverses them."""
    return Transpose(axes).apply((x,))[0]
