import io
import warnings

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import function_hooks


class Scale(dynet.FunctionNode):
    """y = 3 x (inputs not retained, backward applies no function)."""

    def forward(self, inputs):
        return inputs[0] * 3,

    def backward(self, indexes, grad_outputs):
        return dynet.Variable(grad_outputs[0].array * 3,
                              requires_grad=False),


def _blocks(text):
    """Splits PrintHook output into one block per function call."""
    blocks = []
    for line in text.splitlines():
        if line.startswith('function\t'):
            blocks.append([])
        blocks[-1].append(line)
    return blocks


def test_name_and_defaults():
    hook = function_hooks.PrintHook()
    assert hook.name == 'PrintHook'
    assert hook.end == '\n' and hook.flush is True and hook.sep is None


def test_forward_prints_label_and_inputs():
    out = io.StringIO()
    x = numpy.array([[1, 2, 3], [4, 5, 6]], dtype=numpy.float32)
    with function_hooks.PrintHook(file=out):
        F.exp(dynet.Variable(x))
    blocks = _blocks(out.getvalue())
    assert len(blocks) == 1
    block = blocks[0]
    assert block[0] == 'function\tExp'
    assert block[1] == 'input data'
    assert '- shape: (2, 3)' in block
    assert '- dtype: float32' in block
    assert '- statistics: mean={:.8f}, std={:.8f}'.format(
        x.mean(), x.std()) in block
    assert 'output gradient' not in block


def test_every_input_is_described():
    out = io.StringIO()
    a = numpy.ones((2, 3), dtype=numpy.float32)
    b = numpy.ones((3, 4), dtype=numpy.float64)
    with function_hooks.PrintHook(file=out):
        F.matmul(a, b.astype(numpy.float32))
    text = out.getvalue()
    assert text.startswith('function\tMatMul\ninput data\n')
    assert text.count('<variable') == 2
    assert '- shape: (2, 3)' in text and '- shape: (3, 4)' in text


def test_backward_prints_output_gradient():
    out = io.StringIO()
    x = dynet.Variable(numpy.arange(4, dtype=numpy.float32))
    h, = Scale().apply((x,))
    y, = Scale().apply((h,))
    gy = numpy.array([1, 1, 3, 3], dtype=numpy.float32)
    y.grad = gy
    with function_hooks.PrintHook(file=out):
        y.backward()
    blocks = _blocks(out.getvalue())
    assert [b[0] for b in blocks] == ['function\tScale'] * 2
    first = blocks[0]
    # The input of the second Scale was not retained.
    assert first[1:3] == ['input data', '(removed)']
    assert 'output gradient' in first
    grad_part = first[first.index('output gradient'):]
    assert '- shape: (4,)' in grad_part
    assert '- grad: mean={:.8f}, std={:.8f}'.format(
        gy.mean(), gy.std()) in grad_part
    second = blocks[1]
    grad_part = second[second.index('output gradient'):]
    assert '- grad: mean={:.8f}, std={:.8f}'.format(
        (gy * 3).mean(), (gy * 3).std()) in grad_part
    numpy.testing.assert_array_equal(x.grad, gy * 9)


def test_end_argument_and_flush():
    class Recorder(io.StringIO):
        flushes = 0

        def flush(self):
            Recorder.flushes += 1
            super().flush()

    out = Recorder()
    with function_hooks.PrintHook(end='|', file=out):
        F.relu(numpy.zeros(2, dtype=numpy.float32))
    text = out.getvalue()
    assert text.startswith('function\tReLU|input data|<variable')
    assert '\n- shape: (2,)\n' in text  # inside one debug_print item
    assert Recorder.flushes == 1

    out = Recorder()
    Recorder.flushes = 0
    with function_hooks.PrintHook(file=out, flush=False):
        F.relu(numpy.zeros(2, dtype=numpy.float32))
    assert Recorder.flushes == 0 and out.getvalue()


def test_default_file_is_current_stdout(capsys):
    with function_hooks.PrintHook():
        F.exp(numpy.zeros((5,), dtype=numpy.float32))
    captured = capsys.readouterr().out
    assert captured.startswith('function\tExp\n')
    assert '- shape: (5,)' in captured


def test_sep_is_deprecated():
    with pytest.warns(DeprecationWarning):
        function_hooks.PrintHook(sep=' ')
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        function_hooks.PrintHook()


def test_local_print_hook():
    out = io.StringIO()
    node = Scale()
    node.add_hook(function_hooks.PrintHook(file=out))
    y, = node.apply((numpy.ones(2, dtype=numpy.float32),))
    F.exp(y)
    assert [b[0] for b in _blocks(out.getvalue())] == ['function\tScale']
