"""Transposing a batch of variable-length sequences (time-major <->
batch-major)."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.array import _array_utils as _u


class TransposeSequence(FunctionNode):

    def _check_inputs(self, in_data):
        first = in_data[0]
        for i, x in enumerate(in_data):
            name = 'xs[{}]'.format(i)
            _check.ndim_at_least(self, name, x, 1)
            if x.shape[1:] != first.shape[1:]:
                _check.fail(self, '{}.shape[1:] == xs[0].shape[1:]'.format(
                    name), '{} != {}'.format(x.shape[1:], first.shape[1:]))
            if x.dtype != first.dtype:
                _check.fail(self, '{}.dtype == xs[0].dtype'.format(name),
                            '{} != {}'.format(x.dtype, first.dtype))
            if i and x.shape[0] > in_data[i - 1].shape[0]:
                _check.fail(
                    self, 'xs[{}].shape[0] >= {}.shape[0] (sequences sorted '
                    'by decreasing length)'.format(i - 1, name),
                    '{} < {}'.format(in_data[i - 1].shape[0], x.shape[0]))

    def forward(self, inputs):
        lengths = [len(x) for x in inputs]
        if any(p < n for p, n in zip(lengths, lengths[1:])):
            raise ValueError('{}: the sequences must be sorted by decreasing '
                             'length, got lengths {}'.format(self.label,
                                                             lengths))
        xp = backend.get_array_module(*inputs)
        # All sequences stacked end to end; step t of sequence i is row
        # starts[i] + t.
        flat = xp.concatenate(inputs, axis=0)
        starts = [0]
        for n in lengths[:-1]:
            starts.append(starts[-1] + n)
        outputs = []
        for t in range(lengths[0] if lengths else 0):
            count = sum(1 for n in lengths if n > t)
            rows = xp.asarray([s + t for s in starts[:count]], dtype='i')
            outputs.append(flat[rows])
        return tuple(outputs)

    def backward(self, indexes, grad_outputs):
        nodes = self.inputs
        xp = _u.array_module_of(grad_outputs)
        unit = nodes[0].shape[1:]
        dtype = nodes[0].dtype
        count = sum(1 for node in nodes if node.shape[0] > 0)
        grads = []
        for t, g in enumerate(grad_outputs):
            if g is None:
                n = sum(1 for node in nodes if node.shape[0] > t)
                g = _u.zeros_variable(xp, (n,) + unit, dtype)
            grads.append(g)
        # Transposing the (sorted) gradients gives one per non-empty input.
        result = list(TransposeSequence().apply(grads))
        for node in nodes[count:]:
            result.append(_u.zeros_variable(xp, (0,) + unit, dtype))
        return tuple(result)


def transpose_sequence(xs):
    """Transposes a list of sequences.

    ``xs`` holds sequences sorted by decreasing length; output ``t`` stacks
    step ``t`` of every sequence longer than ``t``:
    ``ys[t][i] == xs[i][t]``. For ``xs`` of lengths 4, 2, 1 the outputs
    have lengths 3, 2, 1, 1. Applied twice, it returns the original.

    Args:
        xs: a list or tuple of Variables or arrays of shapes ``(L_i, ...)``
            with ``L_0 >= L_1 >= ...``, one dtype and equal trailing shapes.
    Returns:
        tuple of ``L_0`` Variables (empty for empty ``xs``).
    """
    if len(xs) == 0:
        return ()
    return TransposeSequence().apply(tuple(xs))
