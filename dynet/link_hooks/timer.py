"""TimerHook: how long each link's forward takes."""
import sys
import time

import numpy

from dynet import link_hook
from dynet.function_hooks.timer import _UNITS, _TimerReport


class TimerHook(_TimerReport, link_hook.LinkHook):
    """Link hook that measures the time of every link's forward.

    Use it for all links (``with TimerHook() as hook: model(x)``) or for
    one (``link.add_hook(TimerHook())``), then read :meth:`summary` or call
    :meth:`print_report`::

        LinkName  ElapsedTime  Occurrence
          Linear     41.42us           2
             MLP     93.66us           1

    Links on the CPU are timed with ``time.perf_counter``; for a link on a
    GPU, CUDA events recorded before and after the forward measure the GPU
    time (waiting for the stop event to complete).

    A link's forward usually calls other links: every call is recorded in
    :attr:`call_history`, but :meth:`total_time` adds up only the
    outermost calls, so no time is counted twice. A forward that raises is
    not recorded.

    Attributes:
        call_history: list of ``(link class name, seconds)`` pairs, one
            per forward call, in completion order.
    """

    name = 'TimerHook'
    table = {unit: factor for unit, factor in _UNITS}
    _name_column = 'LinkName'

    def __init__(self):
        self.call_history = []
        self._running = []   # (link, start) of the calls in progress
        self._total_time = 0.0

    # -------------------------------------------------------- measuring
    def forward_preprocess(self, args):
        link = args.link
        xp = link.xp
        if xp is numpy:
            start = time.perf_counter()
        else:
            with link.device:
                start = xp.cuda.Event()
                start.record()
        self._running.append((link, start))

    def _pop(self, link):
        """The start of ``link``'s innermost running call (and calls that
        began inside it are dropped), or None."""
        running = self._running
        for index in range(len(running) - 1, -1, -1):
            if running[index][0] is link:
                start = running[index][1]
                del running[index:]
                return start
        return None

    def forward_postprocess(self, args):
        link = args.link
        start = self._pop(link)
        if start is None:
            return  # the call began before the hook was registered
        if type(start) is float:
            elapsed = time.perf_counter() - start
        else:
            cuda = sys.modules['cupy'].cuda
            with link.device:
                stop = cuda.Event()
                stop.record()
                stop.synchronize()
            elapsed = cuda.get_elapsed_time(start, stop) / 1000.0
        self.call_history.append((type(link).__name__, elapsed))
        if not self._running:
            self._total_time += elapsed

    def _forward_aborted(self, args):
        # Called by Link.__call__ when the forward raised: not recorded.
        self._pop(args.link)
