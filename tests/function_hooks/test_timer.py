import io
import re
import time

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import function_hooks
from dynet.functions.math.exponential import Exp


class Sleepy(dynet.FunctionNode):
    """y = x + 1; forward sleeps ``forward_s``, backward ``backward_s``.

    With ``inner`` set, backward applies that node class to the gradient,
    i.e. runs a nested function call.
    """

    def __init__(self, forward_s=0.0, backward_s=0.0, inner=None):
        self.forward_s = forward_s
        self.backward_s = backward_s
        self.inner = inner

    def forward(self, inputs):
        time.sleep(self.forward_s)
        return inputs[0] + 1,

    def backward(self, indexes, grad_outputs):
        time.sleep(self.backward_s)
        gy = grad_outputs[0]
        if self.inner is not None:
            gx, = self.inner().apply((gy.array,))
            return dynet.Variable(gx.array - 1, requires_grad=False),
        return dynet.Variable(gy.array.copy(), requires_grad=False),


class Failing(dynet.FunctionNode):

    def forward(self, inputs):
        raise ValueError('failing on purpose')


def _x(*shape):
    return dynet.Variable(numpy.ones(shape, dtype=numpy.float32))


def test_name():
    assert function_hooks.TimerHook.name == 'TimerHook'
    assert function_hooks.TimerHook().name == 'TimerHook'
    assert dynet.function_hooks.TimerHook is function_hooks.TimerHook


def test_forward_history_and_total_time():
    hook = function_hooks.TimerHook()
    x = _x(2, 3)
    with hook:
        F.exp(x)
        Sleepy(forward_s=0.002).apply((x,))
        F.exp(x)
    labels = [label for label, _ in hook.call_history]
    assert labels == ['Exp', 'Sleepy', 'Exp']
    for label, seconds in hook.call_history:
        assert isinstance(label, str) and isinstance(seconds, float)
        assert seconds >= 0
    assert dict(hook.call_history)['Sleepy'] >= 0.002
    # No nesting here: the total is the sum of the history.
    assert hook.total_time() == pytest.approx(
        sum(s for _, s in hook.call_history), rel=1e-9, abs=0)
    assert hook.total_time() >= 0.002


def test_summary_counts_forward_and_backward():
    hook = function_hooks.TimerHook()
    x = _x(3)
    with hook:
        h, = Sleepy().apply((x,))
        h, = Sleepy().apply((h,))
        y, = Sleepy(backward_s=0.001).apply((h,))
        y.grad = numpy.ones(3, dtype=numpy.float32)
        y.backward()
    summary = hook.summary()
    assert list(summary) == ['Sleepy']
    assert summary['Sleepy']['occurrence'] == 6  # 3 forward + 3 backward
    assert summary['Sleepy']['elapsed_time'] == pytest.approx(
        hook.total_time(), rel=1e-9, abs=0)
    assert hook.total_time() >= 0.001
    numpy.testing.assert_array_equal(x.grad, numpy.ones(3))


def test_summary_with_dynet_functions():
    hook = function_hooks.TimerHook()
    x = _x(2, 2)
    with hook:
        y = F.relu(F.exp(x))
        y = F.relu(y * 2)
    summary = hook.summary()
    assert summary['Exp']['occurrence'] == 1
    assert summary['ReLU']['occurrence'] == 2
    assert sum(r['occurrence'] for r in summary.values()) == \
        len(hook.call_history)
    for label, record in summary.items():
        expected = sum(s for name, s in hook.call_history if name == label)
        assert record['elapsed_time'] == pytest.approx(expected)


def test_nested_calls_are_recorded_but_counted_once():
    hook = function_hooks.TimerHook()
    x = _x(2)

    class Inner(Sleepy):
        def __init__(self):
            super().__init__(forward_s=0.002)

    y, = Sleepy(inner=Inner).apply((x,))
    y.grad = numpy.ones(2, dtype=numpy.float32)
    with hook:
        y.backward()
    assert [label for label, _ in hook.call_history] == ['Inner', 'Sleepy']
    inner_s, outer_s = [s for _, s in hook.call_history]
    assert inner_s >= 0.002
    assert outer_s >= inner_s  # the outer call contains the inner one
    assert hook.total_time() == outer_s
    assert hook.total_time() < inner_s + outer_s
    numpy.testing.assert_array_equal(x.grad, [1, 1])


def test_reentrant_callbacks_by_hand():
    hook = function_hooks.TimerHook()
    outer = Sleepy()
    inner = Exp()
    data = (numpy.zeros(2, dtype=numpy.float32),)
    begin = time.perf_counter()
    hook.backward_preprocess(outer, data, data)
    time.sleep(0.002)
    hook.forward_preprocess(inner, data)
    hook.forward_postprocess(inner, data)
    hook.backward_postprocess(outer, data, data)
    end = time.perf_counter()
    (inner_label, inner_s), (outer_label, outer_s) = hook.call_history
    assert (inner_label, outer_label) == ('Exp', 'Sleepy')
    assert inner_s < 0.002 <= outer_s <= end - begin
    assert hook.total_time() == outer_s


def test_failed_forward_does_not_break_later_measurements():
    hook = function_hooks.TimerHook()
    x = _x(2)
    with hook:
        with pytest.raises(ValueError, match='on purpose'):
            Failing().apply((x,))
        Sleepy(forward_s=0.001).apply((x,))
        Sleepy(forward_s=0.001).apply((x,))
    assert [label for label, _ in hook.call_history] == ['Sleepy', 'Sleepy']
    assert hook.total_time() == pytest.approx(
        sum(s for _, s in hook.call_history), rel=1e-9, abs=0)
    assert hook.total_time() >= 0.002


def test_local_hook_times_only_its_node():
    hook = function_hooks.TimerHook()
    node = Sleepy()
    node.add_hook(hook)
    x = _x(2)
    y, = node.apply((x,))
    z = F.exp(y)
    z.grad = numpy.ones(2, dtype=numpy.float32)
    z.backward()
    assert [label for label, _ in hook.call_history] == ['Sleepy', 'Sleepy']


def test_print_report_table():
    hook = function_hooks.TimerHook()
    x = _x(2)
    with hook:
        F.exp(x)
        F.exp(x)
        Sleepy().apply((x,))
    out = io.StringIO()
    hook.print_report(file=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ['FunctionName', 'ElapsedTime', 'Occurrence']
    assert len(lines) == 3
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:]}
    assert rows['Exp'][1] == '2' and rows['Sleepy'][1] == '1'
    for time_text, _ in rows.values():
        assert re.fullmatch(r'\d+\.\d\d(sec|ms|us|ns)', time_text)
    # Columns are right-aligned: all lines have the same length.
    assert len({len(line) for line in lines}) == 1


def _report_times(hook, unit):
    out = io.StringIO()
    hook.print_report(unit=unit, file=out)
    return {line.split()[0]: line.split()[1]
            for line in out.getvalue().splitlines()[1:]}


def _fixed_hook():
    hook = function_hooks.TimerHook()
    hook.call_history = [('Fast', 2.5e-6), ('Slow', 1.5), ('Fast', 2.5e-6),
                         ('Mid', 0.0125)]
    return hook


@pytest.mark.parametrize('unit, expected', [
    ('sec', {'Fast': '0.00sec', 'Slow': '1.50sec', 'Mid': '0.01sec'}),
    ('ms', {'Fast': '0.01ms', 'Slow': '1500.00ms', 'Mid': '12.50ms'}),
    ('us', {'Fast': '5.00us', 'Slow': '1500000.00us', 'Mid': '12500.00us'}),
    ('ns', {'Fast': '5000.00ns', 'Slow': '1500000000.00ns',
            'Mid': '12500000.00ns'}),
    # 'auto': one unit for all, chosen from the largest time.
    ('auto', {'Fast': '0.00sec', 'Slow': '1.50sec', 'Mid': '0.01sec'}),
    ('auto_foreach', {'Fast': '5.00us', 'Slow': '1.50sec',
                      'Mid': '12.50ms'}),
])
def test_print_report_units(unit, expected):
    assert _report_times(_fixed_hook(), unit) == expected


def test_print_report_auto_picks_small_units():
    hook = function_hooks.TimerHook()
    hook.call_history = [('A', 3e-4), ('B', 2e-5)]
    assert _report_times(hook, 'auto') == {'A': '300.00us', 'B': '20.00us'}
    hook.call_history = [('A', 3e-7)]
    assert _report_times(hook, 'auto') == {'A': '300.00ns'}


def test_print_report_rejects_unknown_unit():
    with pytest.raises(ValueError, match='unit'):
        _fixed_hook().print_report(unit='minutes', file=io.StringIO())


def test_print_report_empty_and_default_stdout(capsys):
    hook = function_hooks.TimerHook()
    hook.print_report()
    assert capsys.readouterr().out.split() == [
        'FunctionName', 'ElapsedTime', 'Occurrence']
    assert hook.total_time() == 0
    assert hook.summary() == {}


def test_subclass_overriding_callbacks_keeps_nesting():
    class Counting(function_hooks.TimerHook):
        def __init__(self):
            super().__init__()
            self.pre = 0

        def forward_preprocess(self, function, in_data):
            self.pre += 1
            super().forward_preprocess(function, in_data)

        def backward_preprocess(self, function, in_data, out_grad):
            self.pre += 1
            super().backward_preprocess(function, in_data, out_grad)

    class Inner(Sleepy):
        def __init__(self):
            super().__init__(forward_s=0.001)

    hook = Counting()
    x = _x(2)
    with hook:
        y, = Sleepy(inner=Inner).apply((x,))
        y.grad = numpy.ones(2, dtype=numpy.float32)
        y.backward()
    assert hook.pre == 3
    labels = [label for label, _ in hook.call_history]
    assert labels == ['Sleepy', 'Inner', 'Sleepy']
    forward_s, inner_s, backward_s = [s for _, s in hook.call_history]
    assert hook.total_time() == pytest.approx(forward_s + backward_s,
                                              rel=1e-9, abs=0)
