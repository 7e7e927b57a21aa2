"""MultiprocessIterator: examples loaded by worker processes.

Design
------
The order of examples is decided in the main process by a private
``SerialIterator`` over the dataset's *indexes* (the "planner"), so the
batches, epochs, ``is_new_epoch``, ``epoch_detail`` and snapshots are those
of a SerialIterator with the same arguments and order sampler, by
construction. Workers only turn index lists into examples.

Up to ``n_prefetch`` batches beyond the one being returned are planned
ahead and handed to the workers, with one exception: a batch whose
planning would call the order sampler (the batch that crosses an epoch
boundary when shuffling) is planned only when it is requested. The order
sampler is therefore called exactly when SerialIterator would call it, and
a snapshot taken between two ``next()`` calls holds the same random state
as SerialIterator's.

Each worker is a daemon process with two one-way pipes (tasks in, results
out). A batch is split into at most one contiguous chunk per worker; the
main process waits on the result pipes *and* the process sentinels, so a
worker that dies is noticed at once and ``next()`` raises
``WorkerError`` instead of hanging. An exception raised by the dataset in a
worker is sent back and re-raised in the main process (same type and
message, the worker's traceback chained as the cause). After either error,
or a KeyboardInterrupt, the iterator stays usable: the next ``next()``
computes the same batch again (restarting workers if needed).

Start method: ``fork`` where the platform has it and it is safe (Linux and
other POSIX systems except macOS): the dataset is inherited by the workers,
not pickled. Elsewhere ``spawn`` is used and the dataset must be
picklable. Workers ignore SIGINT (Ctrl-C goes to the main process, which
then shuts them down).
"""
import collections
import multiprocessing
import multiprocessing.connection
import os
import pickle
import contextlib
import queue
import signal
import sys
import threading
import time
import traceback
import warnings

import numpy

from dynet.dataset.iterator import Iterator
from dynet.iterators.serial_iterator import SerialIterator

__all__ = ['MultiprocessIterator', 'TimeoutWarning', 'WorkerError']


class TimeoutWarning(RuntimeWarning):
    """Loading a batch took longer than ``dataset_timeout`` seconds."""


class WorkerError(RuntimeError):
    """A worker process died (was killed, crashed or exited) while the
    iterator needed it."""


class _RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker."""

    def __init__(self, text):
        super().__init__(text)
        self.text = text

    def __str__(self):
        return '\n\n' + self.text


# --------------------------------------------------------------------------
# The planner shared by the multiprocess and multithread iterators.


class _Indexes:
    """A stand-in dataset whose examples are their own indexes."""

    def __init__(self, length):
        self._length = length

    def __len__(self):
        return self._length

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(range(self._length)[index])
        return int(index)


_STATE = ('current_position', 'epoch', 'is_new_epoch', '_order',
          '_previous_epoch_detail')


def _get_state(iterator):
    return tuple(getattr(iterator, name) for name in _STATE)


def _set_state(iterator, state):
    for name, value in zip(_STATE, state):
        setattr(iterator, name, value)


class _Plan:
    __slots__ = ('indices', 'state', 'token')

    def __init__(self, indices, state):
        self.indices = indices
        self.state = state  # the iterator state after this batch
        self.token = None   # the backend's handle on the work in flight


class _PrefetchIterator(Iterator):
    """Base of the parallel iterators: SerialIterator's semantics, with the
    examples of planned batches computed by a backend.

    Subclasses implement ``_dispatch(indices) -> token``,
    ``_is_live(token)``, ``_wait(token) -> list of examples`` (dropping the
    token's work when it raises), ``_drop(token)`` and
    ``_shutdown()``.
    """

    def __init__(self, dataset, batch_size, repeat, shuffle, order_sampler,
                 n_prefetch):
        name = type(self).__name__
        if batch_size <= 0:
            raise ValueError('{}: batch_size must be positive, got {}'.format(
                name, batch_size))
        if n_prefetch < 0:
            raise ValueError('{}: n_prefetch must be non-negative, got '
                             '{}'.format(name, n_prefetch))
        if shuffle is not None and order_sampler is not None:
            raise ValueError('{}: give shuffle or order_sampler, not '
                             'both'.format(name))
        self.dataset = dataset
        self.batch_size = batch_size
        self.n_prefetch = n_prefetch
        self._plans = collections.deque()
        self._planner = SerialIterator(_Indexes(len(dataset)), batch_size,
                                       repeat, shuffle, order_sampler)
        self.order_sampler = self._planner.order_sampler
        self._shuffle = self._planner._shuffle
        self._commit(_get_state(self._planner))

    # -- state ------------------------------------------------------------

    def _commit(self, state):
        (self.current_position, self.epoch, self.is_new_epoch, self._order,
         self._previous_epoch_detail) = state

    def _committed(self):
        return (self.current_position, self.epoch, self.is_new_epoch,
                self._order, self._previous_epoch_detail)

    def _discard_plans(self):
        for plan in self._plans:
            if plan.token is not None:
                self._drop(plan.token)
        self._plans.clear()
        _set_state(self._planner, self._committed())

    def _would_draw(self):
        planner = self._planner
        return (planner.order_sampler is not None and planner.repeat and
                planner.current_position + self.batch_size >=
                len(self.dataset))

    def _plan_more(self, needed=False):
        # ``needed``: the caller wants a batch now, so the first plan may
        # call the order sampler, and the end of the data raises
        # StopIteration.
        while len(self._plans) < self.n_prefetch + 1:
            first = needed and not self._plans
            if not first and self._would_draw():
                return
            try:
                indices = self._planner.__next__()
            except StopIteration:
                if first:
                    raise
                return
            plan = _Plan(indices, _get_state(self._planner))
            self._plans.append(plan)
            plan.token = self._dispatch(indices)

    # -- iteration --------------------------------------------------------

    def __next__(self):
        try:
            return self._next_batch()
        except KeyboardInterrupt:
            # Ctrl-C may land anywhere (dispatching, spawning, waiting):
            # always stop the workers before letting it through.
            self.finalize()
            raise

    def _next_batch(self):
        if len(self.dataset) == 0:
            raise ValueError('{}: the dataset is empty'.format(
                type(self).__name__))
        for plan in self._plans:
            if plan.token is None or not self._is_live(plan.token):
                plan.token = self._dispatch(plan.indices)
        self._plan_more(needed=True)  # StopIteration at the end
        plan = self._plans[0]
        try:
            batch = self._wait(plan.token)
        except BaseException:
            plan.token = None
            raise
        self._plans.popleft()
        self._commit(plan.state)
        try:
            self._plan_more()
        except Exception:
            # The batch is committed and must be returned; a plan that
            # could not be handed out is retried (and its error raised) by
            # the next call.
            pass
        return batch

    def reset(self):
        """Back to the start of the first epoch (a new order is drawn)."""
        self._discard_plans()
        self._planner.reset()
        self._commit(_get_state(self._planner))

    @property
    def epoch_detail(self):
        return self.epoch + self.current_position / len(self.dataset)

    @property
    def previous_epoch_detail(self):
        if self._previous_epoch_detail < 0:
            return None
        return self._previous_epoch_detail

    @property
    def repeat(self):
        return self._planner.repeat

    def serialize(self, serializer):
        """Saves or loads the state, with SerialIterator's keys."""
        self._discard_plans()
        self._planner.serialize(serializer)
        self._commit(_get_state(self._planner))

    def finalize(self):
        """Stops the workers. The iterator can still be used afterwards
        (workers are started again when needed)."""
        for plan in getattr(self, '_plans', ()):
            plan.token = None
        self._shutdown()

    def __del__(self):
        try:
            self.finalize()
        except Exception:
            pass


def _chunks(indices, n):
    """Splits ``indices`` into at most ``n`` contiguous non-empty lists."""
    n = max(1, min(n, len(indices)))
    bounds = numpy.linspace(0, len(indices), n + 1).astype(int)
    return [indices[bounds[i]:bounds[i + 1]] for i in range(n)]


# --------------------------------------------------------------------------
# Worker processes.


def _pack_exception(error):
    text = ''.join(traceback.format_exception(type(error), error,
                                              error.__traceback__))
    try:
        payload = pickle.dumps(error)
        pickle.loads(payload)
    except Exception:
        payload = None
    return payload, type(error).__name__, str(error), text


def _unpack_exception(packed):
    if isinstance(packed, BaseException):
        return packed
    payload, name, message, text = packed
    error = None
    if payload is not None:
        try:
            error = pickle.loads(payload)
        except Exception:
            error = None
    if not isinstance(error, BaseException):
        error = RuntimeError('{}: {}'.format(name, message))
    error.__cause__ = _RemoteTraceback(text)
    return error


def _read_tasks(conn, tasks):
    # Runs in a worker thread: moves tasks from the pipe into a local queue
    # at once, so the main process never blocks sending (whatever the
    # worker is doing), and notices when the main process is gone.
    parent = multiprocessing.parent_process()
    while True:
        try:
            if conn.poll(0.5):
                task = conn.recv()
            elif parent is not None and not parent.is_alive():
                task = None
            else:
                continue
        except (EOFError, OSError):
            task = None
        tasks.put(task)
        if task is None:
            return


@contextlib.contextmanager
def _sigint_blocked():
    if not hasattr(signal, 'pthread_sigmask'):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _worker_main(dataset, task_conn, result_conn):
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, 'pthread_sigmask'):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    tasks = queue.Queue()
    threading.Thread(target=_read_tasks, args=(task_conn, tasks),
                     daemon=True).start()
    while True:
        task = tasks.get()
        if task is None:
            break
        key, indices = task
        try:
            message = ('ok', key, [dataset[i] for i in indices])
        except Exception as error:
            message = ('error', key, _pack_exception(error))
        try:
            try:
                result_conn.send(message)
            except (pickle.PicklingError, TypeError, AttributeError) as error:
                # An example that cannot be sent back.
                result_conn.send(('error', key, _pack_exception(error)))
        except OSError:
            break  # the main process closed the pipe or is gone
    result_conn.close()


def _start_method():
    methods = multiprocessing.get_all_start_methods()
    if 'fork' in methods and sys.platform != 'darwin':
        return 'fork'
    return 'spawn'


class _Worker:

    def __init__(self, context, dataset):
        task_recv, self.task_send = context.Pipe(duplex=False)
        self.result_recv, result_send = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_worker_main, args=(dataset, task_recv, result_send),
            daemon=True)
        # SIGINT stays blocked from the fork until the worker has set it to
        # be ignored, so a Ctrl-C during start-up cannot reach the child.
        with _sigint_blocked():
            self.process.start()
        task_recv.close()
        result_send.close()
        self.pending = set()
        self.sent = 0
        self.retiring = False
        self.closed = False

    def close(self):
        if self.closed:
            return
        self.closed = True
        for conn in (self.task_send, self.result_recv):
            try:
                conn.close()
            except OSError:
                pass


class MultiprocessIterator(_PrefetchIterator):
    """Dataset iterator that loads examples in worker processes.

    The batches (content and order), epochs and snapshots are exactly those
    of ``SerialIterator`` with the same ``repeat``, ``shuffle`` and
    ``order_sampler``; see the module documentation for the design.

    Args:
        dataset: the dataset (inherited by the workers under ``fork``,
            pickled under ``spawn``).
        batch_size (int): examples per batch.
        repeat (bool): loop forever, or stop after one epoch.
        shuffle (bool): shuffle every epoch; None means True unless
            ``order_sampler`` is given.
        n_processes (int): number of workers; the number of CPUs when None.
        n_prefetch (int): batches loaded ahead of the one requested.
        shared_mem: accepted for compatibility and ignored (examples come
            back through pipes, whatever their size).
        order_sampler: callable giving each epoch's order.
        dataset_timeout (float): a ``TimeoutWarning`` is issued when one
            batch takes longer than this many seconds (the iterator keeps
            waiting); None disables the warning.
        maxtasksperchild (int): a worker is replaced by a fresh process
            after it was given this many chunks (one chunk = its share of
            one batch); None keeps workers for the iterator's lifetime.

    Raises (from ``next()``):
        WorkerError: a worker process died.
        any exception raised by the dataset in a worker.
    """

    TimeoutWarning = TimeoutWarning

    _interval = 0.5  # seconds between checks while waiting

    def __init__(self, dataset, batch_size, repeat=True, shuffle=None,
                 n_processes=None, n_prefetch=1, shared_mem=None,
                 order_sampler=None, dataset_timeout=30.0,
                 maxtasksperchild=None):
        self._workers = []
        self._live = {}
        self._next_id = 0
        if n_processes is None:
            n_processes = os.cpu_count() or 1
        if n_processes < 1:
            raise ValueError('MultiprocessIterator: n_processes must be '
                             'positive, got {}'.format(n_processes))
        if maxtasksperchild is not None and maxtasksperchild < 1:
            raise ValueError('MultiprocessIterator: maxtasksperchild must '
                             'be positive or None, got {}'.format(
                                 maxtasksperchild))
        self.n_processes = n_processes
        self.shared_mem = shared_mem
        self.dataset_timeout = dataset_timeout
        self.maxtasksperchild = maxtasksperchild
        self._context = multiprocessing.get_context(_start_method())
        super().__init__(dataset, batch_size, repeat, shuffle, order_sampler,
                         n_prefetch)

    # -- workers ----------------------------------------------------------

    def _active_workers(self):
        active = [w for w in self._workers if not w.retiring]
        while len(active) < self.n_processes:
            worker = _Worker(self._context, self.dataset)
            self._workers.append(worker)
            active.append(worker)
        return active

    def _retire(self, worker):
        worker.retiring = True
        try:
            worker.task_send.send(None)
        except OSError:
            pass

    def _remove(self, worker):
        worker.process.join(1.0)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.close()
        self._workers.remove(worker)

    def _shutdown(self):
        workers, self._workers = getattr(self, '_workers', []), []
        self._live = {}
        for worker in workers:
            if worker.process.is_alive():
                worker.process.terminate()
        for worker in workers:
            worker.process.join(2.0)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.close()

    # -- backend ----------------------------------------------------------

    def _dispatch(self, indices):
        self._reap()
        token = self._next_id
        self._next_id += 1
        chunks = _chunks(indices, self.n_processes)
        self._live[token] = {'n': len(chunks), 'parts': {}, 'error': None}
        for number, chunk in enumerate(chunks):
            worker = min(self._active_workers(), key=lambda w: len(w.pending))
            key = (token, number)
            try:
                worker.task_send.send((key, chunk))
            except OSError:
                # The worker is dead; _wait reports it (its sentinel).
                self._live[token]['error'] = WorkerError(
                    'MultiprocessIterator: worker process {} is dead '
                    '(exit code {})'.format(worker.process.pid,
                                            worker.process.exitcode))
                break
            worker.pending.add(key)
            worker.sent += 1
            if self.maxtasksperchild is not None and \
                    worker.sent >= self.maxtasksperchild:
                self._retire(worker)
        return token

    def _is_live(self, token):
        return token in self._live

    def _drop(self, token):
        self._live.pop(token, None)

    def _receive(self, worker):
        """Reads every message waiting in a worker's result pipe; returns
        False when the pipe is closed."""
        try:
            while worker.result_recv.poll():
                kind, key, value = worker.result_recv.recv()
                worker.pending.discard(key)
                entry = self._live.get(key[0])
                if entry is None:
                    continue  # work for a dropped batch
                if kind == 'ok':
                    entry['parts'][key[1]] = value
                elif entry['error'] is None:
                    entry['error'] = value
        except (EOFError, OSError):
            return False
        return True

    def _retired(self, worker):
        """Whether ``worker`` (whose process has ended) retired normally
        after finishing all its work."""
        self._receive(worker)
        return (worker.retiring and not worker.pending and
                worker.process.exitcode == 0)

    def _reap(self):
        for worker in list(self._workers):
            if worker.retiring and worker.process.exitcode is not None and \
                    self._retired(worker):
                self._remove(worker)

    def _worker_died(self, worker):
        if self._retired(worker):
            self._remove(worker)
            return
        code = worker.process.exitcode
        if code is not None and code < 0:
            try:
                how = 'was killed by signal {}'.format(
                    signal.Signals(-code).name)
            except ValueError:
                how = 'was killed by signal {}'.format(-code)
        else:
            how = 'exited with code {}'.format(code)
        pid = worker.process.pid
        self._shutdown()
        raise WorkerError(
            'MultiprocessIterator: worker process {} {} while loading '
            'examples; all workers were stopped (the next call starts new '
            'ones and retries the same batch)'.format(pid, how))

    def _wait(self, token):
        entry = self._live[token]
        start = time.monotonic()
        warned = False
        try:
            while True:
                if entry['error'] is not None:
                    if isinstance(entry['error'], WorkerError):
                        for worker in list(self._workers):
                            if worker.process.exitcode is not None:
                                self._worker_died(worker)  # raises
                        self._shutdown()
                    raise _unpack_exception(entry['error'])
                if len(entry['parts']) == entry['n']:
                    break
                timeout = self._interval
                if self.dataset_timeout is not None and not warned:
                    timeout = min(timeout, max(
                        0.0, start + self.dataset_timeout - time.monotonic()))
                by_object = {}
                for worker in self._workers:
                    by_object[worker.result_recv] = worker
                    by_object[worker.process.sentinel] = worker
                ready = multiprocessing.connection.wait(list(by_object),
                                                        timeout)
                dead = []
                for obj in ready:
                    worker = by_object[obj]
                    if obj is worker.result_recv:
                        if not self._receive(worker) and worker not in dead:
                            dead.append(worker)
                    elif worker not in dead:
                        dead.append(worker)
                done = (entry['error'] is not None or
                        len(entry['parts']) == entry['n'])
                for worker in dead:
                    worker.process.join(self._interval)
                    if worker.process.exitcode is None:
                        continue  # pipe closed, process still exiting
                    if self._retired(worker):
                        self._remove(worker)
                    elif not done:
                        # (when this batch is complete, it is returned and
                        # the death reported by the next call)
                        self._worker_died(worker)
                if self.dataset_timeout is not None and not warned and \
                        time.monotonic() - start >= self.dataset_timeout:
                    warned = True
                    warnings.warn(
                        'MultiprocessIterator: loading one batch has taken '
                        'more than {} seconds (dataset_timeout); the '
                        'dataset may be stalled (e.g. a deadlock in a '
                        'library used after fork; try OMP_NUM_THREADS=1 or '
                        'MultithreadIterator)'.format(self.dataset_timeout),
                        TimeoutWarning)
        except BaseException:
            self._drop(token)
            raise
        del self._live[token]
        parts = entry['parts']
        batch = []
        for number in range(entry['n']):
            batch.extend(parts[number])
        return batch
