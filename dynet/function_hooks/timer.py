"""TimerHook: how long each function's forward and backward take."""
import collections
import sys
import time

import numpy

from dynet import backend
from dynet import function_hook
from dynet.function_hooks import _calls

_UNITS = (('sec', 1.0), ('ms', 1e3), ('us', 1e6), ('ns', 1e9))


def _auto_unit(seconds):
    """The largest unit in which ``seconds`` is at least 1 (else 'ns')."""
    for unit, factor in _UNITS[:-1]:
        if seconds * factor >= 1:
            return unit, factor
    return _UNITS[-1]


def _unit_factor(unit):
    for name, factor in _UNITS:
        if name == unit:
            return factor
    raise ValueError(
        "unknown time unit {!r}: use one of 'sec', 'ms', 'us', 'ns', 'auto' "
        "or 'auto_foreach'".format(unit))


class _TimerReport:
    """``total_time``, ``summary`` and ``print_report`` of both timer hooks
    (the function hook below and ``dynet.link_hooks.TimerHook``), from
    their ``call_history`` and ``_total_time``; ``_name_column`` heads the
    table's first column."""

    _name_column = 'FunctionName'

    def total_time(self):
        """Seconds spent in the outermost calls (nested calls are part of
        their caller's time)."""
        return self._total_time

    def summary(self):
        """An ordered dict: label (function label or link class name) ->
        ``{'elapsed_time': seconds, 'occurrence': number of calls}``, in
        order of first completion."""
        result = collections.OrderedDict()
        for label, elapsed in self.call_history:
            record = result.get(label)
            if record is None:
                record = result[label] = {'elapsed_time': 0.0,
                                          'occurrence': 0}
            record['elapsed_time'] += elapsed
            record['occurrence'] += 1
        return result

    def print_report(self, unit='auto', file=None):
        """Prints the time spent per function (or link class) as a table.

        Args:
            unit: 'sec', 'ms', 'us' or 'ns'; 'auto' picks one unit for the
                whole table from the largest time; 'auto_foreach' picks one
                for each row.
            file: where to write (default: the current ``sys.stdout``).
        """
        if file is None:
            file = sys.stdout
        summary = self.summary()
        per_row = unit == 'auto_foreach'
        if unit == 'auto':
            largest = max([r['elapsed_time'] for r in summary.values()],
                          default=0.0)
            unit, factor = _auto_unit(largest)
        elif not per_row:
            factor = _unit_factor(unit)
        rows = [(self._name_column, 'ElapsedTime', 'Occurrence')]
        for label, record in summary.items():
            seconds = record['elapsed_time']
            if per_row:
                unit, factor = _auto_unit(seconds)
            rows.append((label, '{:.2f}{}'.format(seconds * factor, unit),
                         str(record['occurrence'])))
        _calls.write_table(rows, file)


class TimerHook(_TimerReport, function_hook.FunctionHook):
    """Function hook that measures the time of every forward and backward.

    Use it globally (``with TimerHook() as hook: ...``) or on one node
    (``node.add_hook(TimerHook())``), then read :meth:`summary` or call
    :meth:`print_report`::

        FunctionName  ElapsedTime  Occurrence
                 Exp      20.74us           2
                 Mul      12.03us           1

    Host computations are timed with ``time.perf_counter``; for CuPy
    arrays, CUDA events recorded before and after the call measure the
    GPU time (waiting for the stop event to complete).

    A call can run inside another (the backward of a function applies
    other functions): every call is recorded in :attr:`call_history`, but
    :meth:`total_time` adds up only the outermost calls, so no time is
    counted twice. A call whose forward or backward raises is not
    recorded (and does not disturb later measurements); nor is a call that
    began before the hook was registered.

    Attributes:
        call_history: list of ``(function label, seconds)`` pairs, one per
            forward or backward call, in completion order.
    """

    name = 'TimerHook'
    table = {unit: factor for unit, factor in _UNITS}

    def __init__(self):
        self.call_history = []
        self._running = _calls.CallStack()
        self._total_time = 0.0

    # -------------------------------------------------------- measuring
    def _start(self, function, arrays):
        xp = backend.get_array_module(*arrays)
        if xp is numpy:
            self._running.push(self, function, time.perf_counter())
        else:
            event = xp.cuda.Event()
            event.record()
            self._running.push(self, function, event)

    def _stop(self, function):
        popped = self._running.pop(function)
        if popped is None:
            return  # the call began before the hook was registered
        start, outermost = popped
        if type(start) is float:
            elapsed = time.perf_counter() - start
        else:
            cuda = sys.modules['cupy'].cuda
            stop = cuda.Event()
            stop.record()
            stop.synchronize()
            elapsed = cuda.get_elapsed_time(start, stop) / 1000.0
        self.call_history.append((_calls.function_name(function), elapsed))
        if outermost:
            self._total_time += elapsed

    def forward_preprocess(self, function, in_data):
        self._start(function, in_data)

    def forward_postprocess(self, function, in_data):
        self._stop(function)

    def backward_preprocess(self, function, in_data, out_grad):
        self._start(function, tuple(in_data) + tuple(out_grad))

    def backward_postprocess(self, function, in_data, out_grad):
        self._stop(function)
