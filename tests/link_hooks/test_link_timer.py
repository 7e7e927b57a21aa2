"""link_hooks.TimerHook."""
import io
import re
import time

import numpy
import pytest

import dynet
import dynet.links as L
from dynet import link_hooks


class Sleepy(dynet.Link):

    def __init__(self, seconds):
        super().__init__()
        self.seconds = seconds

    def forward(self, x):
        time.sleep(self.seconds)
        return x


class Pair(dynet.Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.first = Sleepy(0.002)
            self.second = Sleepy(0.001)

    def forward(self, x):
        return self.second(self.first(x))


class Failing(dynet.Link):

    def forward(self, x):
        raise ValueError('failing on purpose')


def test_name():
    assert link_hooks.TimerHook.name == 'TimerHook'
    assert link_hooks.TimerHook().table == {
        'sec': 1, 'ms': 1e3, 'us': 1e6, 'ns': 1e9}


def test_nested_calls_history_and_total_time():
    model = Pair()
    with link_hooks.TimerHook() as hook:
        model(1)
    names = [name for name, _ in hook.call_history]
    assert names == ['Sleepy', 'Sleepy', 'Pair']
    times = dict(enumerate(t for _, t in hook.call_history))
    assert times[0] >= 0.002 and times[1] >= 0.001
    assert times[2] >= times[0] + times[1]
    # Only the outermost call counts towards the total.
    assert hook.total_time() == pytest.approx(times[2])
    summary = hook.summary()
    assert list(summary) == ['Sleepy', 'Pair']
    assert summary['Sleepy']['occurrence'] == 2
    assert summary['Sleepy']['elapsed_time'] == pytest.approx(
        times[0] + times[1])
    assert summary['Pair'] == {'elapsed_time': times[2], 'occurrence': 1}


def test_local_hook_times_one_link_only():
    model = Pair()
    hook = link_hooks.TimerHook()
    model.first.add_hook(hook)
    model(1)
    model(1)
    assert [name for name, _ in hook.call_history] == ['Sleepy', 'Sleepy']
    assert hook.total_time() >= 0.004


def test_failed_forward_is_not_recorded():
    link = Failing()
    hook = link_hooks.TimerHook()
    link.add_hook(hook)
    with pytest.raises(ValueError):
        link(1)
    assert hook.call_history == [] and hook.total_time() == 0
    outer = Pair()
    outer.add_hook(hook)
    outer(1)
    assert hook.call_history[-1][0] == 'Pair'
    assert hook.total_time() >= 0.003


def test_print_report_units():
    hook = link_hooks.TimerHook()
    hook.call_history = [('Linear', 0.5), ('Linear', 0.25),
                         ('Classifier', 0.002)]
    out = io.StringIO()
    hook.print_report(file=out)
    lines = out.getvalue().splitlines()
    assert re.split(r'\s+', lines[0].strip()) == [
        'LinkName', 'ElapsedTime', 'Occurrence']
    assert re.split(r'\s+', lines[1].strip()) == ['Linear', '750.00ms', '2']
    assert re.split(r'\s+', lines[2].strip()) == ['Classifier', '2.00ms', '1']
    # Right-aligned columns of equal width.
    assert len(set(len(line) for line in lines)) == 1
    out = io.StringIO()
    hook.print_report(unit='auto_foreach', file=out)
    assert '750.00ms' in out.getvalue() and '2.00ms' in out.getvalue()
    out = io.StringIO()
    hook.print_report(unit='sec', file=out)
    assert '0.75sec' in out.getvalue() and '0.00sec' in out.getvalue()
    with pytest.raises(ValueError, match="unknown time unit 'hours'"):
        hook.print_report(unit='hours', file=io.StringIO())


def test_print_report_default_file(capsys):
    hook = link_hooks.TimerHook()
    link = L.Linear(3, 2)
    link.add_hook(hook)
    link(numpy.ones((1, 3), numpy.float32))
    hook.print_report()
    printed = capsys.readouterr().out
    assert 'LinkName' in printed and 'Linear' in printed


def test_empty_report():
    out = io.StringIO()
    link_hooks.TimerHook().print_report(file=out)
    assert out.getvalue().split() == ['LinkName', 'ElapsedTime',
                                      'Occurrence']
