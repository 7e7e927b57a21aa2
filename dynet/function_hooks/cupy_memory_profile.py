"""CupyMemoryProfileHook: GPU memory that each function takes from CuPy."""
import collections
import sys

from dynet import function_hook
from dynet.backend import _cupy
from dynet.function_hooks import _calls

_UNITS = ('B', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB')

_counter_class = None


def _byte_counter_class(cupy):
    """A CuPy memory hook class counting the bytes handed out by the
    memory pool and the bytes the pool obtained from the device (defined on
    first use, so that CuPy is imported only then)."""
    global _counter_class
    if _counter_class is None:
        from cupy.cuda import memory_hook

        class _ByteCounter(memory_hook.MemoryHook):
            name = 'DynetCupyMemoryProfileHook'

            def __init__(self):
                # CuPy refuses two registered hooks of one name.
                self.name = 'DynetCupyMemoryProfileHook-{:x}'.format(
                    id(self))
                self.used_bytes = 0  # served by the pool (malloc)
                self.acquired_bytes = 0  # obtained from the device (alloc)
                self.users = 0

            def alloc_preprocess(self, **kwargs):
                self.acquired_bytes += kwargs['mem_size']

            def malloc_preprocess(self, **kwargs):
                self.used_bytes += kwargs['mem_size']

        _counter_class = _ByteCounter
    return _counter_class


def _auto_unit(size):
    """The largest unit in which ``size`` bytes is at least 1."""
    index = 0
    while index < len(_UNITS) - 1 and size >= 1024.0 ** (index + 1):
        index += 1
    return _UNITS[index], 1024.0 ** index


def _unit_divisor(unit):
    if unit not in _UNITS:
        raise ValueError('unknown size unit {!r}: use one of {}, \'auto\' or '
                         '\'auto_foreach\''.format(unit, ', '.join(
                             repr(u) for u in _UNITS)))
    return 1024.0 ** _UNITS.index(unit)


class CupyMemoryProfileHook(function_hook.FunctionHook):
    """Function hook that measures the GPU memory each function uses.

    For every forward and backward it records the bytes that the function
    took from CuPy's memory pool (*UsedBytes*) and the bytes the pool had
    to obtain from the device for it (*AcquiredBytes*)::

        FunctionName  UsedBytes  AcquiredBytes  Occurrence
              Linear     5.16GB       179.98MB        3900

    Creating the hook needs CuPy and a GPU (RuntimeError otherwise). As for
    :class:`~dynet.function_hooks.TimerHook`, nested calls are all
    recorded, but the totals count only the outermost ones.

    Attributes:
        call_history: list of ``(function label, used bytes, acquired
            bytes)`` triples.
    """

    name = 'CupyMemoryProfileHook'

    def __init__(self):
        cupy = _cupy.require_cupy('CupyMemoryProfileHook')
        self._counter = _byte_counter_class(cupy)()
        self._running = _calls.CallStack()
        self._total_used_bytes = 0
        self._total_acquired_bytes = 0
        self.call_history = []

    # The CuPy memory hook is active while this hook is registered anywhere
    # (globally, or on one or more nodes).
    def added(self, function):
        if self._counter.users == 0:
            self._counter.__enter__()
        self._counter.users += 1

    def deleted(self, function):
        if self._counter.users > 0:
            self._counter.users -= 1
            if self._counter.users == 0:
                self._counter.__exit__()

    def _start(self, function):
        self._running.push(self, function, (self._counter.used_bytes,
                                            self._counter.acquired_bytes))

    def _stop(self, function):
        popped = self._running.pop(function)
        if popped is None:
            return  # the call began before the hook was registered
        (used0, acquired0), outermost = popped
        used = self._counter.used_bytes - used0
        acquired = self._counter.acquired_bytes - acquired0
        self.call_history.append(
            (_calls.function_name(function), used, acquired))
        if outermost:
            self._total_used_bytes += used
            self._total_acquired_bytes += acquired

    def forward_preprocess(self, function, in_data):
        self._start(function)

    def forward_postprocess(self, function, in_data):
        self._stop(function)

    def backward_preprocess(self, function, in_data, out_grad):
        self._start(function)

    def backward_postprocess(self, function, in_data, out_grad):
        self._stop(function)

    def total_used_bytes(self):
        """Bytes taken from the memory pool by the outermost calls."""
        return self._total_used_bytes

    def total_acquired_bytes(self):
        """Bytes the memory pool obtained from the device during the
        outermost calls."""
        return self._total_acquired_bytes

    def summary(self):
        """An ordered dict: function label -> ``{'used_bytes',
        'acquired_bytes', 'occurrence'}``."""
        result = collections.OrderedDict()
        for label, used, acquired in self.call_history:
            record = result.get(label)
            if record is None:
                record = result[label] = {'used_bytes': 0,
                                          'acquired_bytes': 0,
                                          'occurrence': 0}
            record['used_bytes'] += used
            record['acquired_bytes'] += acquired
            record['occurrence'] += 1
        return result

    def print_report(self, unit='auto', file=None):
        """Prints the memory used per function as a table.

        Args:
            unit: one of 'B', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB'
                (powers of 1024); 'auto' picks one unit for the table from
                the largest value; 'auto_foreach' picks one per value.
            file: where to write (default: the current ``sys.stdout``).
        """
        if file is None:
            file = sys.stdout
        summary = self.summary()
        per_value = unit == 'auto_foreach'
        if unit == 'auto':
            largest = max([max(r['used_bytes'], r['acquired_bytes'])
                           for r in summary.values()], default=0)
            unit, divisor = _auto_unit(largest)
        elif not per_value:
            divisor = _unit_divisor(unit)

        def size(value):
            if per_value:
                value_unit, value_divisor = _auto_unit(value)
            else:
                value_unit, value_divisor = unit, divisor
            return '{:.2f}{}'.format(value / value_divisor, value_unit)

        rows = [('FunctionName', 'UsedBytes', 'AcquiredBytes', 'Occurrence')]
        for label, record in summary.items():
            rows.append((label, size(record['used_bytes']),
                         size(record['acquired_bytes']),
                         str(record['occurrence'])))
        _calls.write_table(rows, file)
