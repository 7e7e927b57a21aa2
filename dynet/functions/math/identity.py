"""Identity function."""
from dynet.function_node import FunctionNode


class Identity(FunctionNode):
    """Returns its inputs unchanged (new Variables sharing the arrays)."""

    def _check_inputs(self, in_data):
        pass

    def forward(self, inputs):
        return tuple(inputs)

    def backward(self, indexes, grad_outputs):
        return tuple([grad_outputs[i] for i in indexes])


def identity(*inputs):
    """Just returns the inputs, as new Variables in the graph.

    The outputs share the input arrays; gradients pass through unchanged.

    Args:
        *inputs: Variables or arrays (any shapes and dtypes).
    Returns:
        One Variable for one input, a tuple of Variables otherwise.
    """
    outputs = Identity().apply(inputs)
    return outputs[0] if len(outputs) == 1 else outputs
