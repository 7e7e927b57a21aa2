import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import FunctionNode, Variable
from dynet.functions.activation.relu import ReLU
from dynet.utils import type_check


class Square(FunctionNode):
    """x ** 2 with retained input; backward written with dynet ops."""

    def forward(self, inputs):
        self.retain_inputs((0,))
        return inputs[0] ** 2,

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * 2 * x,


class SplitHalves(FunctionNode):
    """Two outputs; retains both outputs."""

    def forward(self, inputs):
        x = inputs[0]
        n = len(x) // 2
        self.retain_outputs((0, 1))
        return x[:n].copy(), x[n:].copy()

    def backward(self, indexes, grad_outputs):
        gy0, gy1 = grad_outputs
        y0, y1 = self.get_retained_outputs()
        parts = [numpy.zeros(y.shape, y.dtype) if gy is None else gy.array
                 for gy, y in ((gy0, y0), (gy1, y1))]
        return Variable(numpy.concatenate(parts)),


def _x(*values):
    return Variable(numpy.array(values, numpy.float32))


def test_apply_records_graph_and_ranks():
    x = _x(1, 2)
    node = Square()
    y, = node.apply((x,))
    assert y.creator is node and node.inputs == (x.node,)
    assert node.rank == 0 and y.rank == 1
    z, = Square().apply((y,))
    assert z.rank == 2 and z.creator.rank == 1
    assert node.outputs[0]() is y.node


def test_apply_accepts_arrays_and_numpy_scalars():
    y, = Square().apply((numpy.array([3], numpy.float32),))
    numpy.testing.assert_array_equal(y.array, [9])
    assert not y.requires_grad and y.creator is None
    y, = Square().apply((numpy.float32(2),))
    assert y.shape == () and y.array == 4


def test_apply_rejects_other_objects():
    with pytest.raises(TypeError, match='Square: input 0 must be a '
                                        'Variable, numpy.ndarray'):
        Square().apply(([1, 2],))


def test_retained_inputs_and_double_backprop():
    x = _x(3)
    y, = Square().apply((x,))
    gx, = dynet.grad([y], [x], enable_double_backprop=True)
    numpy.testing.assert_array_equal(gx.array, [6])
    ggx, = dynet.grad([gx], [x])
    numpy.testing.assert_array_equal(ggx.array, [2])


def test_retained_input_survives_dropping_the_variable():
    x = _x(3)
    h = x * 1
    y, = Square().apply((h,))
    del h
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [6])


def test_retained_outputs_and_none_grads_for_unused_outputs():
    x = _x(1, 2, 3, 4)
    node = SplitHalves()
    y0, y1 = node.apply((x,))
    assert node.output_data[0] is y0.array
    F.sum(y0 * 3).backward()
    numpy.testing.assert_array_equal(x.grad, [3, 3, 0, 0])
    assert [v.array.tolist() for v in node.get_retained_outputs()] == [
        [1, 2], [3, 4]]


def test_forward_must_return_tuple():
    class Bad(FunctionNode):
        def forward(self, inputs):
            return inputs[0]
    with pytest.raises(TypeError, match='Bad.forward must return a tuple'):
        Bad().apply((_x(1),))


def test_forward_output_must_be_array():
    class Bad(FunctionNode):
        def forward(self, inputs):
            return [1],
    with pytest.raises(TypeError, match='Bad.forward: output 0 must be an '
                                        'array'):
        Bad().apply((_x(1),))


def test_forward_cpu_dispatch_and_missing_forward():
    class CpuOnly(FunctionNode):
        def forward_cpu(self, inputs):
            return inputs[0] + 1,
    y, = CpuOnly().apply((_x(1),))
    numpy.testing.assert_array_equal(y.array, [2])

    class Nothing(FunctionNode):
        pass
    with pytest.raises(NotImplementedError, match='Nothing implements '
                                                  'neither forward'):
        Nothing().apply((_x(1),))


def test_missing_backward():
    class NoBackward(FunctionNode):
        def forward(self, inputs):
            return inputs[0] * 1,
    y, = NoBackward().apply((_x(1),))
    with pytest.raises(NotImplementedError, match='NoBackward does not '
                                                  'implement backward'):
        y.backward()


class TestTypeCheck:

    class Linear(FunctionNode):
        def check_type_forward(self, in_types):
            type_check._argname(in_types, ('x', 'W'))
            x_type, w_type = in_types
            type_check.expect(
                x_type.dtype.kind == 'f',
                x_type.ndim == 2,
                x_type.shape[1] == w_type.shape[1],
            )

        def forward(self, inputs):
            x, w = inputs
            return x.dot(w.T),

    def test_passes(self):
        y, = self.Linear().apply((numpy.ones((2, 3), 'f'),
                                  numpy.ones((4, 3), 'f')))
        assert y.shape == (2, 4)

    def test_failure_names_function_expect_actual(self):
        with pytest.raises(type_check.InvalidType) as info:
            self.Linear().apply((numpy.ones((2, 3), 'f'),
                                 numpy.ones((4, 5), 'f')))
        message = str(info.value)
        assert 'Linear (Forward)' in message
        assert 'x.shape[1] == W.shape[1]' in message
        assert '3 != 5' in message
        assert isinstance(info.value, TypeError)

    def test_type_check_can_be_disabled(self):
        with dynet.using_config('type_check', False):
            with pytest.raises(ValueError):  # numpy's own error instead
                self.Linear().apply((numpy.ones((2, 3), 'f'),
                                     numpy.ones((4, 5), 'f')))


def test_builtin_type_error_message():
    with pytest.raises(TypeError) as info:
        _x(1, 2) + Variable(numpy.ones(2, numpy.float64))
    message = str(info.value)
    assert 'Add (Forward)' in message
    assert 'float32 != float64' in message


def test_unchain_releases_inputs():
    x = _x(1)
    y, = Square().apply((x,))
    node = y.creator
    node.unchain()
    assert node.inputs is None and y.creator is None


def test_label_and_repr():
    assert Square().label == 'Square'
    assert 'Square' in repr(Square())


def test_debug_mode_records_stack():
    with dynet.using_config('debug', True):
        y, = Square().apply((_x(1),))
    assert y.creator.stack is not None
    assert any('test_function_node' in frame.filename
               for frame in y.creator.stack)
    y, = Square().apply((_x(1),))
    assert y.creator.stack is None


class _FakeGpuArray:
    """Looks like a CuPy array to dynet's device checks (CPU-only CI)."""

    __module__ = 'cupy._fake'

    class device:
        id = 0

    shape = (2,)
    dtype = numpy.dtype(numpy.float32)


def test_inputs_on_different_devices_are_refused():
    with pytest.raises(ValueError) as info:
        Square().apply((_x(1, 2), _FakeGpuArray()))
    message = str(info.value)
    assert 'Square: all inputs must be on one device' in message
    assert '@numpy' in message and '@cupy:0' in message


def test_wrong_number_of_inputs_is_named():
    with pytest.raises(TypeError) as info:
        ReLU().apply((_x(1), _x(2)))
    assert 'ReLU (Forward)' in str(info.value)
    assert '1 input(s)' in str(info.value) and '2 input(s)' in str(info.value)


def test_builtin_functions_work_with_type_check_off():
    x = _x(1, -2, 3)
    with dynet.using_config('type_check', False):
        y = F.sum(F.relu(x * x + x).reshape(-1, 1), axis=0)
        y.grad = numpy.ones(1, numpy.float32)
        y.backward()
    numpy.testing.assert_array_equal(y.array, [16])
    numpy.testing.assert_array_equal(x.grad, [3, -3, 7])


def test_retained_output_of_a_dropped_variable_keeps_double_backprop():
    class SquareOut(FunctionNode):
        """y = x ** 2 with the gradient written from the retained output
        (dy/dx = 2 * sqrt(y)), so double backprop needs that output."""

        def forward(self, inputs):
            self.retain_outputs((0,))
            return inputs[0] ** 2, inputs[0] * 0

        def backward(self, indexes, grad_outputs):
            y, = self.get_retained_outputs()
            from dynet.functions.math.sqrt import sqrt
            return grad_outputs[0] * 2 * sqrt(y),

    x = _x(3)
    y, unused = SquareOut().apply((x,))
    node = y.creator
    del y  # the output Variable (and node) is gone
    z = node.get_retained_outputs()[0]
    assert z.creator is node
    # The first-order gradient, built through the retained output, must
    # itself be differentiable: d/dx (2 * sqrt(x ** 2)) = 2.
    g = node.backward((0,), (dynet.Variable(numpy.ones(1, numpy.float32)),
                             None))[0]
    ggx, = dynet.grad([g], [x])
    numpy.testing.assert_allclose(ggx.array, [2])
