"""A single background thread that runs submitted calls in order.

Used by double buffering to all-reduce the gradients of one step while the
main thread computes the next one. The thread is a daemon so that a rank
stuck in communication never keeps the interpreter alive on its own.
"""
import concurrent.futures
import queue
import threading


class BackgroundWorker:

    def __init__(self, name='dynet-distributed-allreduce'):
        self._queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=name,
                                        daemon=True)
        self._thread.start()

    def _run(self):
        while True:
            item = self._queue.get()
            if item is None:
                return
            future, function = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = function()
            except BaseException as error:  # handed to the waiting caller
                future.set_exception(error)
            else:
                future.set_result(result)

    def submit(self, function):
        """Runs ``function()`` in the thread; returns a Future."""
        future = concurrent.futures.Future()
        self._queue.put((future, function))
        return future

    def close(self, timeout=10.0):
        """Stops the thread after the calls already submitted."""
        self._queue.put(None)
        self._thread.join(timeout)
