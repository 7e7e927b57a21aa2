"""MultiprocessParallelUpdater on CPU devices (worker processes, shared
memory).

Reference: a StandardUpdater whose batch is the concatenation of the
batches of all the iterators (the constructor divides SGD's lr by the
number of devices, as Chainer does, so the summed gradients give the same
step). Cases that could hang (dead master, script exiting without
finalize) run in a subprocess with a timeout.
"""
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import warnings

import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import iterators, optimizers, serializers, training
from dynet.datasets import TupleDataset
from dynet.training import extensions
from dynet.training.updaters import (
    MultiprocessParallelUpdater, StandardUpdater)
from dynet.training.updaters import multiprocess_parallel_updater as mpu

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

pytestmark = pytest.mark.skipif(
    sys.platform == 'win32', reason='relies on fork and POSIX signals')

N = 48
BATCH = 6


class MLP(dynet.Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, 7)   # lazily initialized
            self.l2 = L.Linear(7, 3)

    def forward(self, x):
        return self.l2(F.relu(self.l1(x)))


def _dataset():
    rng = numpy.random.RandomState(3)
    x = rng.randn(N, 5).astype(numpy.float32)
    t = rng.randint(0, 3, N).astype(numpy.int32)
    return TupleDataset(x, t)


def _params(model):
    return {name: p.array.copy() for name, p in model.namedparams()}


def _make(opt, n_devices=2, batch=BATCH, dataset=None, shuffle=False):
    numpy.random.seed(7)
    model = L.Classifier(MLP())
    optimizer = optimizers.SGD(0.1) if opt == 'sgd' else optimizers.Adam()
    optimizer.setup(model)
    dataset = _dataset() if dataset is None else dataset
    share = len(dataset) // n_devices
    its = [iterators.SerialIterator(dataset[i * share:(i + 1) * share],
                                    batch, shuffle=shuffle)
           for i in range(n_devices)]
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        updater = MultiprocessParallelUpdater(
            its, optimizer, devices=['@numpy'] + [-1] * (n_devices - 1))
    return model, optimizer, updater


def _standard_reference(opt, steps, n_devices=2, batch=BATCH):
    """StandardUpdater on the concatenated batches of all iterators."""
    numpy.random.seed(7)
    model = L.Classifier(MLP())
    optimizer = optimizers.SGD(0.1) if opt == 'sgd' else optimizers.Adam()
    optimizer.setup(model)
    dataset = _dataset()
    share = N // n_devices
    per_epoch = share // batch
    order = []
    for step in range(steps):
        k = step % per_epoch
        order.append([d * share + k * batch + j for d in range(n_devices)
                      for j in range(batch)])
    iterator = iterators.SerialIterator(
        [dataset[i] for idx in order for i in idx], batch * n_devices,
        shuffle=False)
    updater = StandardUpdater(iterator, optimizer)
    for _ in range(steps):
        updater.update()
    return model


@pytest.mark.parametrize('opt,n_devices', [('sgd', 2), ('adam', 2),
                                           ('sgd', 3)])
def test_matches_standard_updater_on_concatenated_batches(opt, n_devices):
    model, _, updater = _make(opt, n_devices, batch=4)
    try:
        for _ in range(8):  # crosses an epoch of every iterator
            updater.update()
        assert len(updater._group.processes) == n_devices - 1
    finally:
        updater.finalize()
    expected = _params(_standard_reference(opt, 8, n_devices, batch=4))
    for name, value in _params(model).items():
        numpy.testing.assert_allclose(value, expected[name], rtol=1e-5,
                                      atol=1e-6, err_msg=name)
    assert updater._group is None


def test_hyperparameters_adjusted_like_chainer():
    model = L.Classifier(MLP())
    its = [iterators.SerialIterator(_dataset(), 4) for _ in range(2)]
    sgd = optimizers.SGD(0.1).setup(model)
    with pytest.warns(UserWarning, match='lr is changed'):
        MultiprocessParallelUpdater(its, sgd, devices=[-1, -1])
    assert sgd.lr == pytest.approx(0.05)
    adam = optimizers.Adam(eps=1e-8).setup(model)
    with pytest.warns(UserWarning, match='eps is changed'):
        MultiprocessParallelUpdater(its, adam, devices=[-1, -1])
    assert adam.eps == pytest.approx(2e-8)
    amsgrad = optimizers.AMSGrad(eps=1e-8).setup(model)   # Adam subclass
    with pytest.warns(UserWarning, match='eps is changed'):
        MultiprocessParallelUpdater(its, amsgrad, devices=[-1, -1])
    graves = optimizers.RMSpropGraves(eps=1e-4).setup(model)
    with pytest.warns(UserWarning, match='eps is changed'):
        MultiprocessParallelUpdater(its, graves, devices={'main': -1,
                                                          'b': -1})
    assert graves.eps == pytest.approx(4e-4)


def test_argument_errors():
    model = L.Classifier(MLP())
    optimizer = optimizers.SGD(0.1).setup(model)
    its = [iterators.SerialIterator(_dataset(), 4) for _ in range(2)]
    with pytest.raises(ValueError):
        MultiprocessParallelUpdater(its, optimizer)
    with pytest.raises(ValueError):
        MultiprocessParallelUpdater(its, optimizer, devices=[-1, -1, -1])
    with pytest.raises(KeyError):
        MultiprocessParallelUpdater(its, optimizer, devices={'a': -1,
                                                             'b': -1})
    short = [its[0], iterators.SerialIterator(_dataset()[:10], 4)]
    with pytest.raises(ValueError, match='same length'):
        MultiprocessParallelUpdater(short, optimizer, devices=[-1, -1])
    with pytest.raises(RuntimeError, match='NCCL'):
        MultiprocessParallelUpdater(its, optimizer, devices=['@numpy', 0])
    with pytest.raises(RuntimeError, match='NCCL'):
        MultiprocessParallelUpdater(its, optimizer,
                                    devices=['@numpy', '@cupy:1'])
    assert optimizer.lr == 0.1   # untouched by the failed constructions


def test_available_and_exports():
    assert MultiprocessParallelUpdater.available() is True
    assert training.MultiprocessParallelUpdater is \
        MultiprocessParallelUpdater
    assert training.updaters.MultiprocessParallelUpdater is \
        MultiprocessParallelUpdater


def test_single_device_runs_in_process():
    model, _, updater = _make('sgd', n_devices=1)
    updater.update()
    assert updater._group is None
    updater.finalize()


def _trainer(out, epochs, snapshot=False):
    model, optimizer, updater = _make('adam')
    trainer = training.Trainer(updater, (epochs, 'epoch'), out=str(out))
    trainer.extend(extensions.LogReport())
    if snapshot:
        trainer.extend(extensions.snapshot(), trigger=(1, 'epoch'))
    return trainer, model, updater


def test_trainer_run_stops_workers_and_resumes(tmp_path):
    import multiprocessing
    trainer, model, updater = _trainer(tmp_path / 'a', 2, snapshot=True)
    trainer.run()
    assert multiprocessing.active_children() == []
    log = json.loads((tmp_path / 'a' / 'log').read_text())
    assert [entry['epoch'] for entry in log] == [1, 2]
    assert 'main/loss' in log[0]
    # 24 examples per iterator, batch 6: 4 iterations an epoch
    assert updater.iteration == 8

    # Resume at the end of epoch 1; unshuffled iterators restart at an
    # epoch boundary, so the run ends where the uninterrupted one did.
    resumed, model2, updater2 = _trainer(tmp_path / 'b', 2)
    serializers.load_npz(str(tmp_path / 'a' / 'snapshot_iter_4'), resumed)
    resumed.run()
    assert multiprocessing.active_children() == []
    expected = _params(model)
    for name, value in _params(model2).items():
        numpy.testing.assert_allclose(value, expected[name], rtol=1e-6,
                                      atol=1e-7, err_msg=name)


class _Poisoned:
    """A dataset whose example 5 cannot be read (the first ``failures``
    times; always by default)."""

    def __init__(self, base, failures=None):
        self.base = base
        self.failures = failures

    def __len__(self):
        return len(self.base)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index == 5 and self.failures != 0:
            if self.failures is not None:
                self.failures -= 1
            raise ValueError('example 5 is broken')
        return self.base[index]


def test_worker_exception_reaches_the_trainer(tmp_path):
    import multiprocessing
    numpy.random.seed(0)
    model = L.Classifier(MLP())
    optimizer = optimizers.SGD(0.1).setup(model)
    good = iterators.SerialIterator(_dataset(), 4, shuffle=False)
    bad = iterators.SerialIterator(_Poisoned(_dataset()), 4, shuffle=False)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        updater = MultiprocessParallelUpdater([good, bad], optimizer,
                                              devices=[-1, -1])
    trainer = training.Trainer(updater, (10, 'iteration'), out=str(tmp_path))
    with pytest.raises(mpu.WorkerError, match='example 5 is broken'):
        trainer.run(show_loop_exception_msg=False)
    assert updater.iteration == 1   # the second batch holds example 5
    assert multiprocessing.active_children() == []


def test_worker_exception_keeps_workers_usable():
    numpy.random.seed(0)
    model = L.Classifier(MLP())
    optimizer = optimizers.SGD(0.1).setup(model)
    good = iterators.SerialIterator(_dataset(), 4, shuffle=False)
    flaky = iterators.SerialIterator(_Poisoned(_dataset(), failures=1), 4,
                                     shuffle=False)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        updater = MultiprocessParallelUpdater([good, flaky], optimizer,
                                              devices=[-1, -1])
    try:
        updater.update()
        with pytest.raises(mpu.WorkerError):
            updater.update()
        assert updater.iteration == 1
        group = updater._group
        updater.update()   # the worker reads the batch again, now fine
        assert updater._group is group and updater.iteration == 2
    finally:
        updater.finalize()


def test_dead_worker_is_an_error_not_a_hang():
    model, _, updater = _make('sgd')
    try:
        updater.update()
        victim = updater._group.processes[0]
        os.kill(victim.pid, signal.SIGKILL)
        victim.join(5)
        start = time.time()
        with pytest.raises(mpu.WorkerError, match='stopped unexpectedly'):
            updater.update()
        assert time.time() - start < 5
        assert updater._group is None
    finally:
        updater.finalize()


_SCRIPT = textwrap.dedent(r'''
    import os, sys, warnings
    import numpy
    import dynet, dynet.links as L, dynet.functions as F
    from dynet import iterators, optimizers
    from dynet.training.updaters import MultiprocessParallelUpdater

    model = L.Classifier(L.Linear(None, 3))
    opt = optimizers.SGD(0.1).setup(model)
    x = numpy.random.randn(40, 4).astype(numpy.float32)
    t = numpy.random.randint(0, 3, 40).astype(numpy.int32)
    data = list(zip(x, t))
    its = [iterators.SerialIterator(data, 4) for _ in range(3)]
    warnings.simplefilter('ignore')
    updater = MultiprocessParallelUpdater(its, opt, devices=[-1, -1, -1])
    updater.update()
    updater.update()
    print(' '.join(str(p.pid) for p in updater._group.processes),
          flush=True)
    if sys.argv[1] == 'die':
        os._exit(0)        # no atexit, no finalize: workers see the EOF
    # 'exit': the interpreter exits normally without finalize()
''')


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purpose.
    try:
        with open('/proc/{}/stat'.format(pid)) as f:
            return f.read().split(')')[-1].split()[0] != 'Z'
    except OSError:
        return True


@pytest.mark.parametrize('how', ['exit', 'die'])
def test_workers_end_with_the_main_process(tmp_path, how):
    script = tmp_path / 'script.py'
    script.write_text(_SCRIPT)
    env = dict(os.environ, PYTHONPATH=REPO)
    result = subprocess.run([sys.executable, str(script), how], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    pids = [int(pid) for pid in result.stdout.split()]
    assert len(pids) == 2
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(pid) for pid in pids):
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in pids)


def test_gather_scatter_round_trip():
    numpy.random.seed(0)
    model = L.Classifier(MLP())
    x, t = dynet.dataset.concat_examples(_dataset()[:4])
    model.cleargrads()
    model(x, t).backward()
    grads = mpu.gather_grads(model)
    params = mpu.gather_params(model)
    size, num = mpu.size_num_grads(model)
    assert grads.dtype == numpy.float32 and grads.size == size == 5 * 7 + \
        7 + 7 * 3 + 3 and num == 4
    before = _params(model)
    mpu.scatter_params(model, params * 0 + 1)
    assert all((p.array == 1).all() for p in model.params())
    mpu.scatter_params(model, params)
    for name, value in _params(model).items():
        numpy.testing.assert_array_equal(value, before[name])
    model.cleargrads()
    mpu.scatter_grads(model, grads)
    numpy.testing.assert_array_equal(mpu.gather_grads(model), grads)


def test_workers_may_use_multiprocess_iterators(tmp_path):
    import multiprocessing
    numpy.random.seed(0)
    model = L.Classifier(MLP())
    optimizer = optimizers.Adam().setup(model)
    its = [iterators.MultiprocessIterator(_dataset()[:24], 4, n_processes=1,
                                          shuffle=False)
           for _ in range(2)]
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        updater = MultiprocessParallelUpdater(its, optimizer,
                                              devices=[-1, -1])
    trainer = training.Trainer(updater, (2, 'epoch'), out=str(tmp_path))
    trainer.run()
    assert updater.iteration == 12
    assert multiprocessing.active_children() == []


class _Alarm(Exception):
    pass


@pytest.fixture
def alarm():
    """Turns a hang into a failure after 20 s."""
    def on_alarm(signum, frame):
        raise _Alarm('timed out: the updater hangs')
    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


class _Switchable(L.Classifier):
    fail = False

    def forward(self, *args):
        if self.fail:
            raise KeyError('master failure')
        return super().forward(*args)


def test_master_errors_leave_workers_in_step(alarm):
    numpy.random.seed(0)
    model = _Switchable(MLP())
    optimizer = optimizers.SGD(0.1).setup(model)
    its = [iterators.SerialIterator(_dataset(), 4) for _ in range(3)]
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        updater = MultiprocessParallelUpdater(its, optimizer,
                                              devices=[-1, -1, -1])
    try:
        updater.update()
        group = updater._group
        # The master's forward fails while the workers compute (the flag
        # is set after the fork, so only the master sees it).
        model.fail = True
        with pytest.raises(KeyError, match='master failure'):
            updater.update()
        model.fail = False
        assert updater._group is group and not group.pending
        updater.update()

        # Ctrl-C while the answers are collected, after the first one was
        # received but before it was recorded: the workers are stopped
        # (not waited for), and the next iteration starts new ones.
        receive = group._receive
        calls = []

        def interrupted(index, process, conn):
            receive(index, process, conn)
            calls.append(index)
            raise KeyboardInterrupt
        group._receive = interrupted
        with pytest.raises(KeyboardInterrupt):
            updater.update()
        assert calls == [1]
        assert updater._group is None
        assert not any(p.is_alive() for p in group.processes)
        updater.update()
        assert updater._group is not group
        assert updater.iteration == 3
    finally:
        updater.finalize()
