"""Snapshot writers (``chainer.training.extensions.snapshot_writers``).

A writer is what the snapshot extension hands the serialized object to:
``writer(filename, outdir, target)``, where ``target`` is the flat dict of
arrays made by :class:`~dynet.serializers.DictionarySerializer` and
``filename`` is already formatted. Writers differ in *where* the saving
function runs:

- :class:`SimpleWriter`: in the caller, before the call returns.
- :class:`ThreadWriter` / :class:`ProcessWriter`: in a new thread or process
  per snapshot; a snapshot waits for the previous one to finish.
- :class:`ThreadQueueWriter` / :class:`ProcessQueueWriter`: one long-lived
  consumer thread or process fed through a queue.

Every writer writes atomically: the saving function writes into a fresh
hidden directory next to the destination (so it sees the final file name,
extension included), and the finished file is then renamed over the
destination. A crash or an exception in the middle of a save leaves any
previous file of that name intact; an exception also removes the temporary
directory (a process killed by SIGKILL can leave one behind: it is a hidden
directory named ``.tmp.<filename>.<random>`` that nothing reads).

The asynchronous writers copy the arrays of ``target`` before handing them
to the worker, so that training can go on modifying the parameters while
the snapshot is written.
"""
import multiprocessing
import os
import queue
import shutil
import tempfile
import threading
import warnings

import numpy

from dynet.serializers import _atomic
from dynet.serializers import npz

__all__ = ['Writer', 'SimpleWriter', 'StandardWriter', 'ThreadWriter',
           'ProcessWriter', 'QueueWriter', 'ThreadQueueWriter',
           'ProcessQueueWriter']


def _write_atomically(filename, outdir, target, savefun, kwds):
    """``savefun(path, target, **kwds)`` into a temporary directory, then
    renames the result to ``outdir/filename``."""
    destination = os.path.join(outdir, filename)
    directory = os.path.dirname(destination) or os.curdir
    base = os.path.basename(destination)
    if not base:
        raise ValueError('snapshot: the file name {!r} names a directory'
                         .format(filename))
    os.makedirs(directory, exist_ok=True)
    tmpdir = tempfile.mkdtemp(prefix='.tmp.{}.'.format(base), dir=directory)
    try:
        tmppath = os.path.join(tmpdir, base)
        savefun(tmppath, target, **kwds)
        if not os.path.isfile(tmppath):
            raise RuntimeError(
                'snapshot: the saving function {!r} did not create the file '
                'it was given ({!r}); it must write exactly to the path it '
                'receives'.format(savefun, tmppath))
        _atomic._fsync_path(tmppath)
        os.replace(tmppath, destination)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    _atomic._fsync_directory(directory)


def _copy_target(target):
    """A copy of ``target`` whose arrays are not shared with the model."""
    if not isinstance(target, dict):
        return target
    return {key: numpy.array(value, copy=True)
            if isinstance(value, numpy.ndarray) else value
            for key, value in target.items()}


class Writer:
    """Base class of snapshot writers.

    ``__call__(filename, outdir, target)`` is invoked by the snapshot
    extension each time it takes a snapshot; ``finalize()`` at the end of
    training.
    """

    def __init__(self):
        self._post_save_hooks = []

    def __call__(self, filename, outdir, target):
        """Saves ``target`` (a dict of arrays) to ``outdir/filename``."""
        raise NotImplementedError

    def save(self, filename, outdir, target, savefun, **kwds):
        """Runs ``savefun`` atomically (see the module docstring), then the
        post-save hooks (e.g. removal of stale snapshots)."""
        _write_atomically(filename, outdir, target, savefun, kwds)
        self._post_save()

    def finalize(self):
        """Called at the end of training (waits for pending writes)."""

    def _add_cleanup_hook(self, hook):
        """Registers ``hook()``, run after every completed save."""
        self._post_save_hooks.append(hook)

    def _post_save(self):
        for hook in self._post_save_hooks:
            hook()


class SimpleWriter(Writer):
    """Saves in the calling thread: ``savefun(path, target, **kwds)``.

    Args:
        savefun: the saving function (:func:`dynet.serializers.save_npz`
            by default).
        kwds: keyword arguments for ``savefun``.
    """

    def __init__(self, savefun=npz.save_npz, **kwds):
        super().__init__()
        self._savefun = savefun
        self._kwds = kwds

    def __call__(self, filename, outdir, target):
        self.save(filename, outdir, target, self._savefun, **self._kwds)


class StandardWriter(Writer):
    """Base class of the writers that start a worker per snapshot.

    A new snapshot first waits for the worker of the previous one.
    Subclasses implement ``create_worker(filename, outdir, target, **kwds)``
    returning an object with ``start()`` and ``join()``.
    """

    def __init__(self, savefun=npz.save_npz, **kwds):
        super().__init__()
        self._savefun = savefun
        self._kwds = kwds
        self._worker = None
        self._started = False
        self._finalized = False

    def __call__(self, filename, outdir, target):
        self._join()
        self._filename = filename
        self._worker = self.create_worker(filename, outdir,
                                          _copy_target(target), **self._kwds)
        self._worker.start()
        self._started = True

    def create_worker(self, filename, outdir, target, **kwds):
        """Creates (not starts) the worker writing one snapshot."""
        raise NotImplementedError

    def _join(self):
        if self._started:
            self._worker.join()
            self._started = False
            self._worker_done(self._worker)

    def _worker_done(self, worker):
        """Called in the trainer's thread once ``worker`` has finished."""

    def finalize(self):
        if not self._finalized:
            self._join()
        self._finalized = True


class ThreadWriter(StandardWriter):
    """Saves each snapshot in a new thread.

    Args:
        savefun: the saving function (``save_npz`` by default).
        kwds: keyword arguments for ``savefun``.
    """

    def create_worker(self, filename, outdir, target, **kwds):
        return threading.Thread(
            target=self.save, args=(filename, outdir, target, self._savefun),
            kwargs=kwds)


class ProcessWriter(StandardWriter):
    """Saves each snapshot in a new process (``multiprocessing``).

    Stale snapshots (``n_retains``) are removed in the trainer's process
    once the worker has finished. Forking a process from an MPI process can
    be unsafe; prefer :class:`ThreadWriter` there.

    Args:
        savefun: the saving function (``save_npz`` by default); with the
            'spawn' or 'forkserver' start methods it must be picklable.
        kwds: keyword arguments for ``savefun``.
    """

    def create_worker(self, filename, outdir, target, **kwds):
        return multiprocessing.Process(
            target=_write_atomically,
            args=(filename, outdir, target, self._savefun, kwds))

    def _worker_done(self, worker):
        if worker.exitcode != 0:
            warnings.warn('ProcessWriter: the process writing {!r} exited '
                          'with code {}; the snapshot was not written'
                          .format(self._filename, worker.exitcode))
            return
        self._post_save()


class QueueWriter(Writer):
    """Base class of the writers with one consumer fed through a queue.

    Args:
        savefun: the saving function given to :meth:`create_task` when
            ``task`` is None.
        task: a callable with the interface of ``Writer.__call__``, run by
            the consumer for every snapshot.
    """

    def __init__(self, savefun=npz.save_npz, task=None):
        super().__init__()
        self._task = self.create_task(savefun) if task is None else task
        self._queue = self.create_queue()
        self._consumer = self.create_consumer(self._queue)
        self._consumer.start()
        self._started = True
        self._finalized = False

    def __call__(self, filename, outdir, target):
        self._queue.put([self._task, filename, outdir,
                         _copy_target(target)])

    def create_task(self, savefun):
        return SimpleWriter(savefun=savefun)

    def create_queue(self):
        raise NotImplementedError

    def create_consumer(self, q):
        raise NotImplementedError

    def consume(self, q):
        """The consumer's loop: runs tasks until it gets None."""
        while True:
            item = q.get()
            if item is None:
                q.task_done()
                return
            task, filename, outdir, target = item
            try:
                task(filename, outdir, target)
                self._post_save()
            finally:
                q.task_done()

    def finalize(self):
        if self._started and not self._finalized:
            self._queue.put(None)
            self._queue.join()
            self._consumer.join()
            self._started = False
        self._finalized = True


class ThreadQueueWriter(QueueWriter):
    """A :class:`QueueWriter` whose consumer is a thread."""

    def create_queue(self):
        return queue.Queue()

    def create_consumer(self, q):
        return threading.Thread(target=self.consume, args=(q,))


def _consume_in_process(q):
    while True:
        item = q.get()
        if item is None:
            q.task_done()
            return
        task, filename, outdir, target = item
        try:
            task(filename, outdir, target)
        finally:
            q.task_done()


class ProcessQueueWriter(QueueWriter):
    """A :class:`QueueWriter` whose consumer is a process.

    The task is sent to the consumer through the queue (it must be
    picklable). Stale snapshots (``n_retains``) are removed in the
    trainer's process when the writer is finalized. Forking a process from
    an MPI process can be unsafe; prefer :class:`ThreadQueueWriter` there.
    """

    def create_queue(self):
        return multiprocessing.JoinableQueue()

    def create_consumer(self, q):
        return multiprocessing.Process(target=_consume_in_process,
                                       args=(q,))

    def finalize(self):
        pending = self._started and not self._finalized
        super().finalize()
        if pending:
            self._post_save()
