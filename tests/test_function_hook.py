import threading

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import function_hook


class RecordingHook(dynet.FunctionHook):
    """Logs every callback with copies of what it received."""

    def __init__(self, name='RecordingHook', log=None):
        self.name = name
        self.log = [] if log is None else log

    def added(self, function):
        self.log.append((self.name, 'added', function))

    def deleted(self, function):
        self.log.append((self.name, 'deleted', function))

    def forward_preprocess(self, function, in_data):
        self.log.append((self.name, 'forward_pre', function, in_data))

    def forward_postprocess(self, function, in_data):
        self.log.append((self.name, 'forward_post', function, in_data))

    def backward_preprocess(self, function, in_data, out_grad):
        self.log.append((self.name, 'backward_pre', function, in_data,
                         out_grad))

    def backward_postprocess(self, function, in_data, out_grad):
        self.log.append((self.name, 'backward_post', function, in_data,
                         out_grad))

    def events(self, kind=None):
        return [e for e in self.log if kind is None or e[1] == kind]


class Twice(dynet.FunctionNode):
    """y = 2 x, with a backward that applies no other function."""

    def forward(self, inputs):
        return inputs[0] * 2,

    def backward(self, indexes, grad_outputs):
        return dynet.Variable(grad_outputs[0].array * 2,
                              requires_grad=False),


class Product(dynet.FunctionNode):
    """y = a * b, keeping both inputs for backward."""

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        a, b = inputs
        return a * b,

    def backward(self, indexes, grad_outputs):
        a, b = self.get_retained_inputs()
        gy = grad_outputs[0].array
        return (dynet.Variable(gy * b.array, requires_grad=False),
                dynet.Variable(gy * a.array, requires_grad=False))


def _array(*shape):
    return numpy.arange(numpy.prod(shape), dtype=numpy.float32).reshape(
        shape) + 1


def test_registered_globally_only_inside_with():
    hook = RecordingHook()
    assert 'RecordingHook' not in dynet.get_function_hooks()
    with hook as entered:
        assert entered is hook
        assert dynet.get_function_hooks()['RecordingHook'] is hook
    assert 'RecordingHook' not in dynet.get_function_hooks()
    assert hook.log == [('RecordingHook', 'added', None),
                        ('RecordingHook', 'deleted', None)]


def test_unregistered_when_the_block_raises():
    hook = RecordingHook()
    with pytest.raises(ZeroDivisionError):
        with hook:
            1 / 0
    assert 'RecordingHook' not in dynet.get_function_hooks()


def test_duplicate_name_is_rejected_and_first_hook_stays():
    first, second = RecordingHook('same'), RecordingHook('same')
    with first:
        with pytest.raises(KeyError, match='same'):
            with second:
                pass  # pragma: no cover
        assert dynet.get_function_hooks()['same'] is first
        Twice().apply((_array(2),))
    assert 'same' not in dynet.get_function_hooks()
    assert len(first.events('forward_pre')) == 1
    assert second.events('forward_pre') == []


def test_hooks_called_in_registration_order():
    log = []
    with RecordingHook('a', log), RecordingHook('b', log):
        Twice().apply((_array(2),))
    calls = [(name, kind) for name, kind, *_ in log
             if kind.startswith('forward')]
    assert calls == [('a', 'forward_pre'), ('b', 'forward_pre'),
                     ('a', 'forward_post'), ('b', 'forward_post')]
    assert dynet.get_function_hooks() == {}


def test_forward_hooks_get_the_node_and_input_arrays():
    hook = RecordingHook()
    a, b = _array(2, 3), _array(2, 3) * 10
    node = Product()
    with hook:
        y, = node.apply((dynet.Variable(a), b))
    pre, post = hook.events()[1:3]
    assert pre[1:3] == ('forward_pre', node)
    assert post[1:3] == ('forward_post', node)
    for event in (pre, post):
        in_data = event[3]
        assert isinstance(in_data, tuple) and len(in_data) == 2
        assert in_data[0] is a and in_data[1] is b
    numpy.testing.assert_array_equal(y.array, a * b)


def test_backward_hooks_get_inputs_and_output_grads():
    a, b = _array(3), _array(3) + 5
    xa, xb = dynet.Variable(a), dynet.Variable(b)
    node = Product()
    y, = node.apply((xa, xb))
    gy = numpy.array([1, 2, 3], dtype=numpy.float32)
    y.grad = gy
    hook = RecordingHook()
    with hook:
        y.backward()
    assert [e[1] for e in hook.events()] == [
        'added', 'backward_pre', 'backward_post', 'deleted']
    pre, post = hook.events()[1:3]
    for event in (pre, post):
        assert event[2] is node
        in_data, out_grad = event[3], event[4]
        # Both inputs were retained, so their arrays are there.
        numpy.testing.assert_array_equal(in_data[0], a)
        numpy.testing.assert_array_equal(in_data[1], b)
        assert len(out_grad) == 1
        numpy.testing.assert_array_equal(out_grad[0], gy)
    numpy.testing.assert_array_equal(xa.grad, gy * b)
    numpy.testing.assert_array_equal(xb.grad, gy * a)


def test_not_retained_input_may_be_none_in_backward():
    x = dynet.Variable(_array(2))
    h, = Twice().apply((x,))
    y, = Twice().apply((h,))  # h is neither a leaf nor retained
    y.grad = numpy.ones(2, dtype=numpy.float32)
    hook = RecordingHook()
    with hook:
        y.backward()
    pres = hook.events('backward_pre')
    assert len(pres) == 2
    in_data = pres[0][3]
    assert len(in_data) == 1
    assert in_data[0] is None or numpy.array_equal(in_data[0], _array(2) * 2)
    numpy.testing.assert_array_equal(x.grad, [4, 4])


def test_call_counts_in_a_small_graph():
    hook = RecordingHook()
    x = dynet.Variable(_array(2, 2))
    w = dynet.Variable(_array(2, 2) / 10)
    with hook:
        h, = Twice().apply((x,))
        y, = Product().apply((h, w))
        z, = Twice().apply((y,))
        z.grad = numpy.ones((2, 2), dtype=numpy.float32)
        z.backward()
    counts = {}
    for event in hook.events():
        if event[1] in ('added', 'deleted'):
            continue
        key = (event[1], type(event[2]).__name__)
        counts[key] = counts.get(key, 0) + 1
    assert counts == {
        ('forward_pre', 'Twice'): 2, ('forward_post', 'Twice'): 2,
        ('forward_pre', 'Product'): 1, ('forward_post', 'Product'): 1,
        ('backward_pre', 'Twice'): 2, ('backward_post', 'Twice'): 2,
        ('backward_pre', 'Product'): 1, ('backward_post', 'Product'): 1,
    }
    # Backward visits the graph from the output to the inputs.
    order = [type(e[2]).__name__ for e in hook.events('backward_pre')]
    assert order == ['Twice', 'Product', 'Twice']
    numpy.testing.assert_allclose(x.grad, 4 * w.array)


def test_backward_hook_sees_functions_applied_by_backward():
    # exp's backward multiplies by its output with a dynet function, so the
    # forward of that product happens between Exp's backward callbacks.
    hook = RecordingHook()
    x = dynet.Variable(numpy.zeros(3, dtype=numpy.float32))
    y = F.exp(x)
    y.grad = numpy.ones(3, dtype=numpy.float32)
    with hook:
        y.backward()
    kinds = [e[1] for e in hook.events()[1:-1]]
    assert kinds[0] == 'backward_pre' and kinds[-1] == 'backward_post'
    assert 'forward_pre' in kinds[1:-1]
    assert kinds.count('forward_pre') == kinds.count('forward_post')
    numpy.testing.assert_allclose(x.grad, numpy.ones(3))


def test_local_hook_applies_to_its_node_only():
    hook = RecordingHook()
    node = Twice()
    node.add_hook(hook)
    assert node.local_function_hooks == {'RecordingHook': hook}
    assert hook.log == [('RecordingHook', 'added', node)]
    x = dynet.Variable(_array(2))
    y, = node.apply((x,))
    Twice().apply((y,))  # another node: not hooked
    assert [e[2] for e in hook.events('forward_pre')] == [node]
    y.grad = numpy.ones(2, dtype=numpy.float32)
    y.backward()
    assert [e[2] for e in hook.events('backward_post')] == [node]
    node.delete_hook('RecordingHook')
    assert hook.log[-1] == ('RecordingHook', 'deleted', node)
    assert node.local_function_hooks == {}


def test_local_hook_name_argument_and_errors():
    hook = RecordingHook()
    node = Twice()
    node.add_hook(hook, name='mine')
    assert node.local_function_hooks == {'mine': hook}
    with pytest.raises(KeyError):
        node.add_hook(RecordingHook(), name='mine')
    with pytest.raises(KeyError):
        node.delete_hook('RecordingHook')
    with pytest.raises(TypeError):
        node.add_hook(object())
    node.apply((_array(2),))
    assert len(hook.events('forward_pre')) == 1


def test_local_and_global_hooks_both_run():
    log = []
    node = Twice()
    node.add_hook(RecordingHook('local', log))
    with RecordingHook('global', log):
        node.apply((_array(2),))
    pres = [e[0] for e in log if e[1] == 'forward_pre']
    assert pres == ['global', 'local']


def test_global_hooks_are_per_thread():
    hook = RecordingHook()
    seen = {}

    def other_thread():
        seen['hooks'] = dict(dynet.get_function_hooks())
        Twice().apply((_array(2),))

    with hook:
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
    assert seen['hooks'] == {}
    assert hook.events('forward_pre') == []


def test_default_hook_table_is_shared_but_read_only():
    # A thread that never registered a hook sees the class-level empty
    # table; it must not be possible to fill it by mistake.
    result = {}

    def other_thread():
        state = function_hook._state
        result['empty'] = len(state.function_hooks) == 0
        try:
            state.function_hooks['x'] = RecordingHook()
        except TypeError:
            result['read_only'] = True
        hooks = dynet.get_function_hooks()
        result['own'] = hooks is not function_hook._HookState.function_hooks

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert result == {'empty': True, 'read_only': True, 'own': True}


def test_base_hook_callbacks_do_nothing():
    hook = dynet.FunctionHook()
    assert hook.name == 'FunctionHook'
    x = dynet.Variable(_array(2))
    with hook:
        y, = Twice().apply((x,))
        y.grad = numpy.ones(2, dtype=numpy.float32)
        y.backward()
    numpy.testing.assert_array_equal(x.grad, [2, 2])
