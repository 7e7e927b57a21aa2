"""MultiprocessParallelUpdater: data parallelism with one process per device.

Chainer's version runs one process per GPU and exchanges gradients and
parameters with NCCL. dynet implements the same algorithm for CPU devices
('@numpy' or a negative int), with shared memory instead of NCCL:

* The first device belongs to the main process (the "master"), which
  holds the optimizer. Each other device gets a worker process with a
  replica of the model and its own iterator (``iterators[i]``).
* At every iteration the master writes the current parameters into a
  shared buffer and tells the workers to go (a message on a pipe); every
  process loads those parameters, takes a batch from its own iterator and
  computes the loss and the gradients; each worker writes its gradients
  into its own shared buffer and answers. The master adds them to its own
  gradients (in worker order, so results are deterministic) and updates.
* Workers start at the first update, *after* the master's first forward
  pass, so that lazily initialized parameters (``L.Linear(None, n)``)
  exist and are shared. Parameters first initialized at a later
  iteration are an error.
* Only parameters travel; persistent values (e.g. the running statistics
  of BatchNormalization) stay per process, and values reported inside
  workers are discarded, as in Chainer: observations come from the master.

Gradient scale: the gradients of the processes are summed. As in Chainer,
the constructor compensates by changing the optimizer (with a warning):
``eps *= n`` for Adam (and its variants), AdaGrad and RMSprop, ``eps *=
n ** 2`` for RMSpropGraves and AdaDelta, otherwise ``lr /= n`` when the
optimizer has a learning rate. With equal batch sizes and a loss that is
a mean, an iteration then equals a StandardUpdater iteration on the
concatenation of the ``n`` batches (exactly for SGD-like optimizers, Adam,
AdaGrad and RMSprop, up to rounding).

Processes: ``fork`` where the platform has it (Linux and other POSIX
systems except macOS), so nothing needs to be picklable; ``spawn``
elsewhere (the model, iterators and converter must then be picklable and
the script guarded by ``if __name__ == '__main__':``). Workers ignore
Ctrl-C, exit when told to by ``finalize`` (which the Trainer calls when
training ends or fails), when the main process exits or dies, and are
terminated if they do not exit within a few seconds. An exception in a
worker is re-raised in the main process as :class:`WorkerError` with the
worker's traceback; the workers stay up. After Ctrl-C or the death of a
worker they are stopped, and a later iteration starts new ones.

Worker iterators live in the worker processes: their positions are not
in snapshots (as in Chainer), and new workers (after a resume, or a
restart as above) start them from the state they had when the updater
was made. Resume at an epoch boundary to continue exactly.

GPU devices are not supported: they would need CuPy with NCCL, which
dynet does not use; the constructor raises RuntimeError for them.
"""
import atexit
import multiprocessing
import multiprocessing.connection
import multiprocessing.util  # NOQA: its exit hook must predate ours
import signal
import sys
import threading
import traceback
import warnings
import weakref

import numpy

from dynet import backend
from dynet import reporter as reporter_module
from dynet.config import force_backprop_mode
from dynet.dataset import convert
from dynet.training.updaters.standard_updater import StandardUpdater

_ALIGNMENT = 64
_SHUTDOWN_TIMEOUT = 5.0
_POLL_INTERVAL = 0.5


class WorkerError(RuntimeError):
    """A worker process of MultiprocessParallelUpdater failed (raised an
    exception, which is described in the message, or died)."""


class MultiprocessParallelUpdater(StandardUpdater):
    """Data-parallel updater with one process per device (CPU devices).

    Args:
        iterators: a list of iterators, one per device; ``iterators[0]``
            feeds the main process and is the 'main' iterator (epochs,
            snapshots). Their datasets must have the same length.
        optimizer: the optimizer, set up with the model; it runs in the
            main process only. Its ``lr`` or ``eps`` is changed for the
            number of devices (see the module docstring).
        converter: ``converter(batch, device)``; each process applies it
            to the batch of its own iterator. ``concat_examples`` by
            default.
        devices: a list of device specs (the first is the main process's)
            or a dict whose 'main' entry is the main process's device.
            Only CPU devices ('@numpy', negative ints) are supported.
        auto_new_epoch: call ``optimizer.new_epoch(auto=True)`` when the
            main iterator finishes an epoch.

    The model's loss is ``model(*in_arrays)`` (Chainer has no
    ``loss_func`` here either). See the module docstring for how the
    processes work together, start and stop.
    """

    def __init__(self, iterators, optimizer, converter=convert.concat_examples,
                 devices=None, auto_new_epoch=True):
        if not MultiprocessParallelUpdater.available():
            raise RuntimeError('MultiprocessParallelUpdater needs the '
                               'multiprocessing module to work here')
        if not isinstance(iterators, (list, tuple)) or not iterators:
            raise TypeError('MultiprocessParallelUpdater: iterators must be '
                            'a non-empty list of iterators, one per device')
        iterators = list(iterators)
        devices = _normalize_devices(devices)
        if len(iterators) != len(devices):
            raise ValueError(
                'MultiprocessParallelUpdater: {} iterators for {} devices; '
                'give one iterator per device'.format(
                    len(iterators), len(devices)))
        length = _dataset_length(iterators[0])
        for i, iterator in enumerate(iterators[1:], 1):
            other = _dataset_length(iterator)
            if length is not None and other is not None and other != length:
                raise ValueError(
                    'MultiprocessParallelUpdater: the datasets of the '
                    'iterators must have the same length (iterator 0: {}, '
                    'iterator {}: {})'.format(length, i, other))

        super().__init__(iterators[0], optimizer, converter=converter,
                         auto_new_epoch=auto_new_epoch)
        _adjust_hyperparameters(optimizer, len(devices))
        self._master = optimizer.target
        self._devices = devices
        self._mpu_iterators = iterators
        self._group = None

    @staticmethod
    def available():
        """Whether this updater can run here: always True in dynet, whose
        implementation (CPU devices, shared memory) needs no NCCL."""
        return True

    def update_core(self):
        optimizer = self._optimizers['main']
        master = self._master
        iterator = self._iterators['main']
        batch = iterator.next()
        in_arrays = convert.call_converter(self.converter, batch,
                                           self._devices[0])
        group = self._group
        try:
            if group is None and len(self._devices) > 1:
                # First iteration: the master's forward pass initializes
                # lazy parameters before the workers copy the model.
                master.cleargrads()
                loss = _calc_loss(master, in_arrays, self._devices[0])
                self._group = group = _WorkerGroup(self)
                group.start_update(master)
            else:
                if group is not None:
                    group.start_update(master)
                master.cleargrads()
                loss = _calc_loss(master, in_arrays, self._devices[0])
            master.cleargrads()
            loss.backward()
            del loss
            if group is not None:
                group.add_gradients(master)
        except BaseException as error:
            self._recover(error)
            raise
        optimizer.update()
        if self.auto_new_epoch and iterator.is_new_epoch:
            optimizer.new_epoch(auto=True)

    def _recover(self, error):
        # After an exception of the master's own computation, the workers
        # are sound: collect the answers still due so that the next
        # iteration starts clean. After Ctrl-C (or another exception that
        # may have landed anywhere, e.g. between receiving an answer and
        # recording it) or a failure of the workers, stop them; the next
        # iteration would start new ones.
        group = self._group
        if group is None:
            return
        if not isinstance(error, Exception):
            group.broken = True
        elif not group.broken and group.pending:
            try:
                group.wait_all()
            except WorkerError:
                pass
            except BaseException:
                group.broken = True
        if group.broken:
            self._stop_workers()

    def _stop_workers(self):
        group, self._group = self._group, None
        if group is not None:
            group.shutdown()

    def finalize(self):
        """Stops the worker processes (and finalizes the iterators)."""
        self._stop_workers()
        for iterator in self._mpu_iterators[1:]:
            iterator.finalize()
        super().finalize()


# --------------------------------------------------------------- helpers
def _normalize_devices(devices):
    if devices is None:
        raise ValueError('MultiprocessParallelUpdater: devices must be '
                         'given (a list, or a dict with a \'main\' key)')
    if isinstance(devices, dict):
        if 'main' not in devices:
            raise KeyError("MultiprocessParallelUpdater: the devices dict "
                           "must contain a 'main' key")
        specs = [devices['main']] + [spec for name, spec in devices.items()
                                     if name != 'main']
    elif isinstance(devices, (list, tuple)):
        specs = list(devices)
    else:
        raise ValueError(
            'MultiprocessParallelUpdater: devices must be a list or a dict, '
            'got {}'.format(type(devices).__name__))
    if not specs or any(spec is None for spec in specs):
        raise ValueError('MultiprocessParallelUpdater: every device must be '
                         'specified (got {!r})'.format(devices))
    # GPU specs are refused before get_device, which would import CuPy.
    gpus = [str(spec) for spec in specs if not _is_cpu_spec(spec)]
    if gpus:
        raise RuntimeError(
            'MultiprocessParallelUpdater: GPU devices ({}) are not '
            'supported by dynet: Chainer drives them through NCCL '
            '(cupy.cuda.nccl), which dynet does not use. Use CPU devices '
            "('@numpy' or -1), or ParallelUpdater for several GPUs in one "
            'process.'.format(', '.join(gpus)))
    return [backend.get_device(spec) for spec in specs]


def _is_cpu_spec(spec):
    if isinstance(spec, backend.Device):
        return isinstance(spec, backend.CpuDevice)
    if spec is numpy or spec == '@numpy':
        return True
    if isinstance(spec, int) and not isinstance(spec, bool):
        return spec < 0
    if isinstance(spec, str) and spec.startswith('@cupy'):
        return False
    # Anything else (an invalid string, a cupy.cuda.Device, a module):
    # get_device decides, or raises for an invalid spec.
    return isinstance(backend.get_device(spec), backend.CpuDevice)


def _dataset_length(iterator):
    dataset = getattr(iterator, 'dataset', None)
    try:
        return len(dataset)
    except TypeError:
        return None


_EPS_TIMES_N = ('Adam', 'AdaGrad', 'RMSprop')
_EPS_TIMES_N2 = ('RMSpropGraves', 'AdaDelta')


def _adjust_hyperparameters(optimizer, n):
    # Chainer picks by class name; looking along the MRO also covers
    # subclasses (AdamW, AMSGrad, ... and user subclasses).
    for cls in type(optimizer).__mro__:
        if cls.__name__ in _EPS_TIMES_N:
            optimizer.eps *= n
            warnings.warn('optimizer.eps is changed to {} by '
                          'MultiprocessParallelUpdater for the new batch '
                          'size'.format(optimizer.eps))
            return
        if cls.__name__ in _EPS_TIMES_N2:
            optimizer.eps *= n ** 2
            warnings.warn('optimizer.eps is changed to {} by '
                          'MultiprocessParallelUpdater for the new batch '
                          'size'.format(optimizer.eps))
            return
    try:
        lr = optimizer.lr
    except Exception:
        return
    optimizer.lr = lr / n
    warnings.warn('optimizer.lr is changed to {} by '
                  'MultiprocessParallelUpdater for the new batch '
                  'size'.format(optimizer.lr))


def _calc_loss(model, in_arrays, device):
    with force_backprop_mode(), backend.using_device(device):
        if isinstance(in_arrays, tuple):
            return model(*in_arrays)
        if isinstance(in_arrays, dict):
            return model(**in_arrays)
        return model(in_arrays)


def _start_method():
    methods = multiprocessing.get_all_start_methods()
    if 'fork' in methods and sys.platform != 'darwin':
        return 'fork'
    return 'spawn'


class _Layout:
    """Where each initialized parameter lives in a flat byte buffer."""

    def __init__(self, model):
        self.entries = []
        offset = 0
        for name, param in sorted(model.namedparams()):
            if param.array is None:
                continue
            nbytes = param.array.size * param.array.dtype.itemsize
            self.entries.append((name, param.array.shape,
                                 param.array.dtype, offset))
            offset += -(-nbytes // _ALIGNMENT) * _ALIGNMENT
        self.names = frozenset(name for name, _, _, _ in self.entries)
        self.nbytes = max(offset, _ALIGNMENT)

    def views(self, raw):
        buffer = numpy.frombuffer(raw, dtype=numpy.uint8)
        views = {}
        for name, shape, dtype, offset in self.entries:
            size = int(numpy.prod(shape, dtype=numpy.int64))
            views[name] = buffer[offset:offset + size * dtype.itemsize] \
                .view(dtype).reshape(shape)
        return views

    def check(self, model):
        names = frozenset(name for name, param in model.namedparams()
                          if param.array is not None)
        if names != self.names:
            raise RuntimeError(
                'MultiprocessParallelUpdater: parameters {} were '
                'initialized after the worker processes started; '
                'initialize every parameter in the first forward pass '
                '(or give the shapes)'.format(sorted(names - self.names)))


_live_groups = weakref.WeakSet()
_atexit_lock = threading.Lock()
_atexit_registered = []


def _shutdown_live_groups():
    for group in list(_live_groups):
        group.shutdown()


def _register_atexit():
    # Registered after multiprocessing's own exit hook (imported above), so
    # it runs first: workers are told to stop before multiprocessing joins
    # them.
    with _atexit_lock:
        if not _atexit_registered:
            atexit.register(_shutdown_live_groups)
            _atexit_registered.append(True)


class _WorkerGroup:
    """The worker processes of one updater and their shared buffers."""

    def __init__(self, updater):
        master = updater._master
        self.layout = layout = _Layout(master)
        context = multiprocessing.get_context(_start_method())
        self.params_raw = context.RawArray('b', layout.nbytes)
        self.params_views = layout.views(self.params_raw)
        self.processes = []
        self.conns = []
        self.grad_views = []
        self.closed = False
        self.awaiting = []   # workers whose answer to 'update' is due
        self.broken = False
        _register_atexit()
        _live_groups.add(self)
        try:
            for index in range(1, len(updater._devices)):
                grad_raw = context.RawArray('b', layout.nbytes)
                conn, worker_conn = context.Pipe()
                process = context.Process(
                    target=_worker_main,
                    name='MultiprocessParallelUpdater-worker-{}'.format(
                        index),
                    args=(index, worker_conn, list(self.conns) + [conn],
                          master, updater._mpu_iterators[index],
                          updater.converter, updater._devices[index],
                          layout, self.params_raw, grad_raw))
                process.daemon = False  # its iterator may start processes
                process.start()
                worker_conn.close()
                self.processes.append(process)
                self.conns.append(conn)
                self.grad_views.append(layout.views(grad_raw))
        except BaseException:
            self.shutdown()
            raise
        # Stops the workers if the updater is dropped without finalize().
        self._finalizer = weakref.finalize(updater, _WorkerGroup.shutdown,
                                           self)

    def start_update(self, master):
        self.layout.check(master)
        for name, param in master.namedparams():
            view = self.params_views.get(name)
            if view is not None:
                view[...] = param.array
        self.awaiting = list(range(1, len(self.conns) + 1))
        for index, conn in enumerate(self.conns, 1):
            try:
                conn.send(('update', None))
            except (OSError, ValueError):
                raise WorkerError(self._death_message(index))

    def wait_all(self):
        """Waits for the answers still due; raises WorkerError for the
        first failure once all have answered."""
        failure = None
        while self.awaiting:
            index = self.awaiting[0]
            process = self.processes[index - 1]
            reply = self._receive(index, process, self.conns[index - 1])
            self.awaiting.pop(0)
            if reply[0] == 'error' and failure is None:
                failure = WorkerError(
                    'MultiprocessParallelUpdater: worker {} ({}) raised an '
                    'exception:\n{}'.format(index, process.name, reply[1]))
        if failure is not None:
            raise failure

    @property
    def pending(self):
        return bool(self.awaiting)

    def add_gradients(self, master):
        self.wait_all()
        for name, param in master.namedparams():
            if name not in self.layout.names:
                continue
            if param.grad is None:
                param.grad = param.array.dtype.type(0) * param.array
            grad = param.grad
            for views in self.grad_views:
                grad += views[name]

    def _receive(self, index, process, conn):
        while True:
            ready = multiprocessing.connection.wait(
                [conn, process.sentinel])
            if conn in ready:
                try:
                    return conn.recv()
                except (EOFError, OSError):
                    raise WorkerError(self._death_message(index))
            if process.sentinel in ready:
                if conn.poll():
                    continue
                raise WorkerError(self._death_message(index))

    def _death_message(self, index):
        self.broken = True
        process = self.processes[index - 1]
        process.join(0.1)
        return ('MultiprocessParallelUpdater: worker {} ({}) stopped '
                'unexpectedly (exit code {})'.format(
                    index, process.name, process.exitcode))

    def shutdown(self):
        if self.closed:
            return
        self.closed = True
        _live_groups.discard(self)
        finalizer = getattr(self, '_finalizer', None)
        if finalizer is not None:
            finalizer.detach()
        for conn in self.conns:
            try:
                conn.send(('finalize', None))
            except (OSError, ValueError):
                pass
        for process in self.processes:
            process.join(_SHUTDOWN_TIMEOUT)
        for process in self.processes:
            if process.is_alive():
                process.terminate()
                process.join(1.0)
            if process.is_alive():
                process.kill()
                process.join(1.0)
        for conn in self.conns:
            conn.close()


def _worker_main(index, conn, inherited_conns, model, iterator, converter,
                 device, layout, params_raw, grad_raw):
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The master's ends of the pipes, inherited through fork: closed, so
    # that a dead master reads as end-of-file here.
    for other in inherited_conns:
        if other is not conn:
            try:
                other.close()
            except OSError:
                pass
    params_views = layout.views(params_raw)
    grad_views = layout.views(grad_raw)
    reporter = reporter_module.Reporter()
    reporter.add_observer('main', model)
    reporter.add_observers('main', model.namedlinks(skipself=True))
    parent = multiprocessing.parent_process()
    try:
        while True:
            try:
                if not conn.poll(_POLL_INTERVAL):
                    if parent is not None and not parent.is_alive():
                        break
                    continue
                job, _ = conn.recv()
            except (EOFError, OSError):
                break
            if job != 'update':
                break  # 'finalize'
            try:
                _worker_step(model, iterator, converter, device, layout,
                             params_views, grad_views, reporter)
                reply = ('done', None)
            except Exception:
                reply = ('error', traceback.format_exc())
            try:
                conn.send(reply)
            except (OSError, ValueError):
                break
    finally:
        try:
            iterator.finalize()
        except Exception:
            pass
        conn.close()


def _worker_step(model, iterator, converter, device, layout, params_views,
                 grad_views, reporter):
    for name, param in model.namedparams():
        view = params_views.get(name)
        if view is None:
            continue
        if param.array is None:
            param.array = view.copy()
        else:
            param.array[...] = view
    model.cleargrads()
    in_arrays = convert.call_converter(converter, iterator.next(), device)
    with reporter.scope({}):
        loss = _calc_loss(model, in_arrays, device)
    model.cleargrads()
    loss.backward()
    del loss
    for name, param in model.namedparams():
        view = grad_views.get(name)
        if view is None:
            continue
        if param.grad is None:
            view[...] = 0
        else:
            view[...] = param.grad


# ------------------------------------------- Chainer's gather/scatter API
def size_num_grads(link):
    """(total size, count) of the non-empty parameters of ``link``."""
    size = 0
    num = 0
    for param in link.params():
        if param.array is None or param.size == 0:
            continue
        size += param.size
        num += 1
    return size, num


def _gather(link, attr):
    arrays = []
    xp = numpy
    for _, param in sorted(link.namedparams()):
        if param.array is None or param.size == 0:
            continue
        xp = backend.get_array_module(param.array)
        value = getattr(param, attr)
        if value is None:
            arrays.append(xp.zeros(param.size, dtype=numpy.float32))
        else:
            arrays.append(value.ravel().astype(numpy.float32))
    if not arrays:
        return xp.zeros(0, dtype=numpy.float32)
    return xp.concatenate(arrays)


def _scatter(link, array, attr):
    offset = 0
    for _, param in sorted(link.namedparams()):
        if param.array is None or param.size == 0:
            continue
        piece = array[offset:offset + param.size].reshape(param.shape) \
            .astype(param.dtype)
        offset += param.size
        if attr == 'grad':
            param.grad = piece
        else:
            param.array[...] = piece
    if offset != array.size:
        raise ValueError('scatter: the array has {} elements, the link\'s '
                         'parameters {}'.format(array.size, offset))


def gather_grads(link):
    """All gradients of ``link`` (sorted by name) in one float32 array
    (zeros for missing gradients). Works on CPU and GPU."""
    return _gather(link, 'grad')


def gather_params(link):
    """All parameter values of ``link`` (sorted by name) in one float32
    array. Works on CPU and GPU."""
    return _gather(link, 'array')


def scatter_grads(link, array):
    """Puts an array made by :func:`gather_grads` back into the gradients.
    """
    _scatter(link, array, 'grad')


def scatter_params(link, array):
    """Puts an array made by :func:`gather_params` back into the
    parameters."""
    _scatter(link, array, 'array')
