"""Shared parts of the measuring hooks (TimerHook, CupyMemoryProfileHook).

A measuring hook pairs each pre-process callback with the matching
post-process one. Calls nest (a backward applies other functions), so the
calls in progress form a stack per thread. When a forward or backward
raises, its post-process callback never comes and its entry would stay on
the stack for good; ``CallStack`` notices such entries and drops them: each
entry remembers the frame that invoked the hook (``FunctionNode.apply``,
the backward engine, or whoever calls the callbacks by hand), and an entry
whose frame is no longer among the running frames is stale.
"""
import sys
import threading


def function_name(function):
    """The name reports use: the implementation's name (like Chainer's
    ``_impl_name``) where the node has one, else its label."""
    return getattr(function, '_impl_name', None) or function.label


def write_table(rows, file):
    """Writes rows of strings right-aligned in columns two spaces apart."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        file.write('  '.join(cell.rjust(width)
                             for cell, width in zip(row, widths)) + '\n')
    if hasattr(file, 'flush'):
        file.flush()


_hook_codes = {}


def _codes_of(cls):
    """The code objects of the methods of ``cls`` and its bases."""
    codes = _hook_codes.get(cls)
    if codes is None:
        codes = set()
        for klass in cls.__mro__:
            for value in vars(klass).values():
                value = getattr(value, '__func__', value)
                code = getattr(value, '__code__', None)
                if code is not None:
                    codes.add(code)
        codes.add(CallStack.push.__code__)
        _hook_codes[cls] = codes = frozenset(codes)
    return codes


class CallStack(threading.local):
    """The calls in progress in this thread, innermost last."""

    def __init__(self):
        self.entries = []  # [function, caller frame, measurement start]

    def push(self, hook, function, start):
        """Records that ``function`` starts; ``start`` is what the hook
        needs to measure it."""
        codes = _codes_of(type(hook))
        frame = sys._getframe(1)
        while frame is not None and frame.f_code in codes:
            frame = frame.f_back
        entries = self.entries
        if entries:
            self._drop_stale(frame)
        entries.append((function, frame, start))

    def _drop_stale(self, frame):
        running = set()
        while frame is not None:
            running.add(id(frame))
            frame = frame.f_back
        entries = self.entries
        for index, entry in enumerate(entries):
            if id(entry[1]) not in running:
                # Later entries started inside this one: stale as well.
                del entries[index:]
                return

    def pop(self, function):
        """Ends ``function``'s call: returns ``(start, outermost)``, or
        None when the call started before the hook was registered."""
        entries = self.entries
        index = len(entries) - 1
        while index >= 0 and entries[index][0] is not function:
            index -= 1
        if index < 0:
            return None
        start = entries[index][2]
        del entries[index:]  # drops calls inside it that never finished
        return start, not entries
