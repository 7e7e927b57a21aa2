"""Reporting observed values (loss, accuracy, ...) during training.

A ``Reporter`` knows observers (links, by name) and collects reported
values into the current *observation* dict. Code anywhere reports with
``dynet.report({'loss': loss}, self)``; the key becomes
``'<observer name>/loss'``. Training extensions read the observation.
"""
import collections
import contextlib
import json
import math
import threading

import numpy

from dynet import backend
from dynet.config import config
from dynet.variable import Variable

_state = threading.local()


def _reporters():
    stack = getattr(_state, 'reporters', None)
    if stack is None:
        stack = _state.reporters = []
    return stack


class Reporter:
    """Collects reported values into an observation dict."""

    def __init__(self):
        self._observer_names = {}
        self.observation = {}

    def __enter__(self):
        _reporters().append(self)
        return self

    def __exit__(self, *exc_info):
        _reporters().pop()

    @contextlib.contextmanager
    def scope(self, observation):
        """Makes this the current reporter, writing into ``observation``.
        """
        previous = self.observation
        self.observation = observation
        self.__enter__()
        try:
            yield
        finally:
            self.__exit__(None, None, None)
            self.observation = previous

    def add_observer(self, name, observer):
        """Registers ``observer``; its reports get the prefix ``name/``."""
        self._observer_names[id(observer)] = name

    def add_observers(self, prefix, observers):
        """Registers (name, observer) pairs, e.g. ``link.namedlinks()``,
        under ``prefix + name``."""
        for name, observer in observers:
            self._observer_names[id(observer)] = prefix + name

    def report(self, values, observer=None):
        """Stores ``values`` (a dict) in the current observation.

        Variables are stored without their graph unless
        ``config.keep_graph_on_report`` is True.
        """
        if not config.keep_graph_on_report:
            values = {k: _detach(v) for k, v in values.items()}
        if observer is not None:
            observer_id = id(observer)
            if observer_id not in self._observer_names:
                raise KeyError(
                    'report: the observer ({}) is not registered with this '
                    'reporter; register it with add_observer'.format(
                        type(observer).__name__))
            prefix = self._observer_names[observer_id] + '/'
            values = {prefix + k: v for k, v in values.items()}
        self.observation.update(values)


def _detach(value):
    if isinstance(value, Variable):
        return Variable(value.array, requires_grad=False)
    return value


def get_current_reporter():
    """The innermost active reporter (RuntimeError if none)."""
    stack = _reporters()
    if not stack:
        raise RuntimeError('no reporter is active; use "with reporter:" or '
                           'reporter.scope(...)')
    return stack[-1]


def report(values, observer=None):
    """Reports ``values`` to the current reporter; does nothing when no
    reporter is active (so models can report unconditionally)."""
    stack = _reporters()
    if stack:
        stack[-1].report(values, observer)


@contextlib.contextmanager
def report_scope(observation):
    """Within the block, reports go into ``observation``."""
    current = get_current_reporter()
    with current.scope(observation):
        yield


def _to_float(value):
    """A scalar as a float64 value (sums of float32 values must not be
    accumulated in float32). A GPU value stays on the GPU: summaries add
    on the device and are read (synchronizing once) only when a report is
    written, so reporting never stalls the training step."""
    if isinstance(value, Variable):
        value = value.array
    if isinstance(value, (numpy.ndarray, numpy.generic)) or \
            backend.is_cupy_array(value):
        if value.dtype.kind in 'fiub':
            return value.astype(numpy.float64)
    return value


def _to_host(value):
    if backend.is_cupy_array(value):
        return float(value.get())
    return value


class Summary:
    """Running mean and standard deviation of a scalar series."""

    def __init__(self):
        self._x = 0.0
        self._x2 = 0.0
        self._n = 0

    def add(self, value, weight=1):
        """Adds a scalar (number, 0-dim array or Variable)."""
        value = _to_float(value)
        self._x += weight * value
        self._x2 += weight * value * value
        self._n += weight

    def compute_mean(self):
        if self._n == 0:
            raise ZeroDivisionError('Summary.compute_mean: nothing added')
        return self._x / self._n

    def make_statistics(self):
        """(mean, std)."""
        mean = self.compute_mean()
        variance = self._x2 / self._n - mean * mean
        std = math.sqrt(max(float(_to_host(variance)), 0.0))
        return mean, std

    def serialize(self, serializer):
        self._x = serializer('_x', _to_host(self._x))
        self._x2 = serializer('_x2', _to_host(self._x2))
        self._n = serializer('_n', self._n)


class DictSummary:
    """Summaries of every key of a series of dicts."""

    def __init__(self):
        self._summaries = collections.defaultdict(Summary)

    def add(self, d):
        """Adds the scalar entries of ``d`` (numbers, 0-dim arrays and
        Variables); other entries are skipped."""
        for key, value in d.items():
            weight = 1
            if isinstance(value, tuple) and len(value) == 2:
                value, weight = value
            array = _to_float(value)
            if isinstance(array, numpy.ndarray) or \
                    backend.is_cupy_array(array):
                if array.size != 1:
                    continue
            elif not isinstance(array, (int, float, numpy.number)) or \
                    isinstance(array, bool):
                continue
            self._summaries[key].add(array, weight)

    def compute_mean(self):
        return {key: s.compute_mean() for key, s in self._summaries.items()}

    def make_statistics(self):
        """{key: mean, key + '.std': std} for every key."""
        stats = {}
        for key, summary in self._summaries.items():
            mean, std = summary.make_statistics()
            stats[key] = mean
            stats[key + '.std'] = std
        return stats

    def serialize(self, serializer):
        """Saves or loads every summary; key names are stored as JSON and
        the summaries by position (names may contain '/')."""
        stored = serializer('_names', json.dumps(list(self._summaries)))
        if isinstance(stored, numpy.ndarray):
            stored = stored.item()
        if isinstance(stored, bytes):
            stored = stored.decode()
        for index, name in enumerate(json.loads(stored)):
            self._summaries[name].serialize(
                serializer['_summaries'][str(index)])
