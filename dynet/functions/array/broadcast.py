"""Broadcasting: ``broadcast_to`` one shape, ``broadcast`` several inputs
to a common shape (NumPy rules)."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


class BroadcastTo(FunctionNode):

    def __init__(self, shape):
        self.shape = tuple(shape)

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        x_shape = in_data[0].shape
        lead = len(self.shape) - len(x_shape)
        if lead < 0 or any(n != 1 and n != m for n, m in zip(
                x_shape, self.shape[lead:])):
            _check.fail(self, 'x.shape broadcastable to {}'.format(
                self.shape), 'x.shape == {}'.format(x_shape))

    def forward(self, inputs):
        x = inputs[0]
        xp = backend.get_array_module(x)
        return xp.broadcast_to(x, self.shape),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.sum import sum_to
        return sum_to(grad_outputs[0], self.inputs[0].shape),


def broadcast_to(x, shape):
    """Broadcasts ``x`` to ``shape`` (a read-only view, NumPy rules)."""
    shape = tuple(shape)
    if getattr(x, 'shape', None) == shape:
        from dynet.variable import as_variable
        return as_variable(x)
    return BroadcastTo(shape).apply((x,))[0]


class Broadcast(FunctionNode):

    def _check_inputs(self, in_data):
        if not in_data:
            _check.fail(self, 'at least one input', 'no inputs')
        _check.broadcastable(
            self, ['args[{}]'.format(i) for i in range(len(in_data))],
            in_data)

    def forward(self, inputs):
        xp = backend.get_array_module(*inputs)
        return tuple(xp.broadcast_arrays(*inputs))

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.sum import sum_to
        result = []
        for i in indexes:
            gy = grad_outputs[i]
            shape = self.inputs[i].shape
            if gy is None:
                result.append(None)
            else:
                result.append(gy if gy.shape == shape else sum_to(gy, shape))
        return tuple(result)


def broadcast(*args):
    """Broadcasts all arguments to their common shape.

    Returns one Variable for one argument, a tuple otherwise.
    """
    outputs = Broadcast().apply(args)
    return outputs[0] if len(outputs) == 1 else outputs
