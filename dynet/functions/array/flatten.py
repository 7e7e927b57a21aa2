"""Flattening to one dimension."""
from dynet.function_node import FunctionNode
from dynet.functions import _check


class Flatten(FunctionNode):

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)

    def forward(self, inputs):
        return inputs[0].reshape(inputs[0].size),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.array.reshape import reshape
        return reshape(grad_outputs[0], self.inputs[0].shape),


def flatten(x):
    """Flattens ``x`` into a 1-d Variable of ``x.size`` elements (C order).

    Args:
        x: Variable or array of any shape.
    Returns:
        Variable of shape ``(x.size,)``.
    """
    return Flatten().apply((x,))[0]
