"""MultithreadIterator: examples loaded by worker threads.

Same planning as MultiprocessIterator (batches, epochs and snapshots are
SerialIterator's, the order sampler is called when SerialIterator would
call it), with daemon threads instead of processes: no pickling and no
start-up cost, useful when loading releases the GIL (file I/O, image
decoding, NumPy). An exception raised by the dataset is re-raised by
``next()`` as is.
"""
import concurrent.futures
import queue
import threading
import time

from dynet.iterators.multiprocess_iterator import _chunks, _PrefetchIterator

__all__ = ['MultithreadIterator']


def _load(dataset, indices):
    return [dataset[i] for i in indices]


def _thread_main(tasks):
    while True:
        task = tasks.get()
        if task is None:
            return
        future, dataset, indices = task
        if not future.set_running_or_notify_cancel():
            continue
        try:
            result = _load(dataset, indices)
        except BaseException as error:
            future.set_exception(error)
        else:
            future.set_result(result)
        del task, future, dataset, indices


class _ThreadPool:
    """Daemon threads taking (future, dataset, indices) tasks; daemon so a
    stuck dataset never blocks the interpreter's exit."""

    def __init__(self, n_threads):
        self.tasks = queue.Queue()
        self.threads = [
            threading.Thread(target=_thread_main, args=(self.tasks,),
                             name='MultithreadIterator-{}'.format(i),
                             daemon=True)
            for i in range(n_threads)]
        for thread in self.threads:
            thread.start()

    def submit(self, dataset, indices):
        future = concurrent.futures.Future()
        self.tasks.put((future, dataset, indices))
        return future

    def shutdown(self, timeout=1.0):
        # Cancel what has not started, then stop every thread.
        while True:
            try:
                task = self.tasks.get_nowait()
            except queue.Empty:
                break
            if task is not None:
                task[0].cancel()
        for _ in self.threads:
            self.tasks.put(None)
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            if thread is not threading.current_thread():
                thread.join(max(0.0, deadline - time.monotonic()))


class MultithreadIterator(_PrefetchIterator):
    """Dataset iterator that loads examples in worker threads.

    Args:
        dataset: the dataset.
        batch_size (int): examples per batch.
        repeat (bool): loop forever, or stop after one epoch.
        shuffle (bool): shuffle every epoch; None means True unless
            ``order_sampler`` is given.
        n_threads (int): number of worker threads.
        order_sampler: callable giving each epoch's order.

    One batch beyond the requested one is loaded ahead.
    """

    def __init__(self, dataset, batch_size, repeat=True, shuffle=None,
                 n_threads=1, order_sampler=None):
        if n_threads < 1:
            raise ValueError('MultithreadIterator: n_threads must be '
                             'positive, got {}'.format(n_threads))
        self.n_threads = n_threads
        self._pool = None
        super().__init__(dataset, batch_size, repeat, shuffle, order_sampler,
                         n_prefetch=1)

    def _dispatch(self, indices):
        if self._pool is None:
            self._pool = _ThreadPool(self.n_threads)
        futures = [self._pool.submit(self.dataset, chunk)
                   for chunk in _chunks(indices, self.n_threads)]
        return self._pool, futures

    def _is_live(self, token):
        return token[0] is self._pool

    def _drop(self, token):
        for future in token[1]:
            future.cancel()

    def _wait(self, token):
        batch = []
        try:
            for future in token[1]:
                batch.extend(future.result())
        except BaseException:
            self._drop(token)
            raise
        return batch

    def _shutdown(self):
        pool, self._pool = getattr(self, '_pool', None), None
        if pool is not None:
            pool.shutdown()
