"""MultiprocessIterator: same batches as SerialIterator, errors in workers,
dead workers, clean shutdown. Cases that could hang if something were
wrong run in a subprocess with a timeout."""
import multiprocessing
import os
import select
import signal
import subprocess
import sys
import textwrap
import time
import warnings

import numpy
import pytest

from dynet import iterators
from dynet.iterators.multiprocess_iterator import WorkerError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

pytestmark = pytest.mark.skipif(
    sys.platform == 'win32', reason='uses POSIX signals')


def _sampler(seed):
    return iterators.ShuffleOrderSampler(numpy.random.RandomState(seed))


def _run(iterator, n):
    out = []
    for _ in range(n):
        try:
            batch = iterator.next()
        except StopIteration:
            out.append('stop')
            break
        out.append(([int(x[0]) for x in batch], iterator.epoch,
                    iterator.is_new_epoch, iterator.epoch_detail,
                    iterator.previous_epoch_detail))
    return out


@pytest.fixture(autouse=True)
def no_children_left():
    before = set(multiprocessing.active_children())
    yield
    # every test must leave no worker behind
    assert set(multiprocessing.active_children()) <= before


DATASET = [numpy.array([i, i * 2]) for i in range(13)]


@pytest.mark.parametrize('batch_size', [1, 4, 13, 30])
@pytest.mark.parametrize('repeat', [True, False])
@pytest.mark.parametrize('mode', ['sampler', 'no_shuffle'])
def test_same_batches_as_serial(batch_size, repeat, mode):
    def make(cls, **kwargs):
        if mode == 'sampler':
            kwargs['order_sampler'] = _sampler(7)
        else:
            kwargs['shuffle'] = False
        return cls(DATASET, batch_size, repeat=repeat, **kwargs)

    expected = _run(make(iterators.SerialIterator), 12)
    with make(iterators.MultiprocessIterator, n_processes=3,
              n_prefetch=2) as it:
        assert _run(it, 12) == expected


def test_same_batches_with_global_random_state():
    numpy.random.seed(5)
    expected = _run(iterators.SerialIterator(DATASET, 5), 10)
    after_serial = numpy.random.rand()
    numpy.random.seed(5)
    with iterators.MultiprocessIterator(DATASET, 5, n_processes=2) as it:
        assert _run(it, 10) == expected
        # the global generator was used exactly as by SerialIterator
        assert numpy.random.rand() == after_serial


def test_tuple_examples_and_content():
    x = numpy.arange(20, dtype=numpy.float32).reshape(10, 2)
    t = numpy.arange(10, dtype=numpy.int32)
    from dynet.datasets import TupleDataset
    dataset = TupleDataset(x, t)
    with iterators.MultiprocessIterator(dataset, 4, shuffle=False,
                                        n_processes=2) as it:
        batch = it.next()
    assert len(batch) == 4
    for (xi, ti), i in zip(batch, range(4)):
        numpy.testing.assert_array_equal(xi, x[i])
        assert ti == t[i] and ti.dtype == numpy.int32


class _Store:
    """A minimal serializer pair that records values."""

    def __init__(self, data=None, reading=False):
        self.data = {} if data is None else data
        self.reading = reading

    def __getitem__(self, key):
        return _Store(self.data.setdefault(key, {}), self.reading)

    def __call__(self, key, value):
        if self.reading:
            stored = self.data[key]
            if isinstance(value, numpy.ndarray):
                value[...] = stored
                return value
            return stored
        self.data[key] = numpy.copy(value) if isinstance(
            value, numpy.ndarray) else value
        return value


def test_serialize_resumes_like_serial_iterator():
    serial = iterators.SerialIterator(DATASET, 4, order_sampler=_sampler(3))
    multi = iterators.MultiprocessIterator(DATASET, 4, n_processes=2,
                                           order_sampler=_sampler(3))
    try:
        assert _run(multi, 5) == _run(serial, 5)
        saved_serial, saved_multi = _Store(), _Store()
        serial.serialize(saved_serial)
        multi.serialize(saved_multi)
        assert saved_multi.data.keys() == saved_serial.data.keys()
        expected = _run(serial, 6)
        assert _run(multi, 6) == expected
        # load into a fresh iterator: it continues from the snapshot
        resumed = iterators.MultiprocessIterator(
            DATASET, 4, n_processes=2, order_sampler=_sampler(99))
        resumed.serialize(_Store(saved_multi.data, reading=True))
        assert _run(resumed, 6) == expected
        resumed.finalize()
    finally:
        multi.finalize()


def test_reset():
    with iterators.MultiprocessIterator(list(range(5)), 2, repeat=False,
                                        shuffle=False, n_processes=2) as it:
        assert list(it) == [[0, 1], [2, 3], [4]]
        with pytest.raises(StopIteration):
            it.next()
        it.reset()
        assert it.next() == [0, 1] and it.epoch == 0


class _Flaky:
    """Raises while the file ``flag`` exists (visible to every process)."""

    def __init__(self, flag):
        self.flag = flag

    def __len__(self):
        return 10

    def __getitem__(self, i):
        if i == 5 and os.path.exists(self.flag):
            raise KeyError('example {} is broken'.format(i))
        return i


def test_worker_exception_is_reraised(tmp_path):
    flag = str(tmp_path / 'broken')
    open(flag, 'w').close()
    with iterators.MultiprocessIterator(_Flaky(flag), 3, shuffle=False,
                                        n_processes=2) as it:
        assert it.next() == [0, 1, 2]
        with pytest.raises(KeyError, match='example 5 is broken') as info:
            it.next()
        assert 'Traceback' in str(info.value.__cause__)
        assert '__getitem__' in str(info.value.__cause__)
        assert it.epoch == 0 and it.current_position == 3
        # still usable: the same batch is computed again
        os.remove(flag)
        assert it.next() == [3, 4, 5]
        assert it.next() == [6, 7, 8]


class _Unpicklable(Exception):
    def __init__(self, a, b):
        super().__init__('needs two arguments: {} {}'.format(a, b))

    def __reduce__(self):
        raise TypeError('cannot pickle')


class _RaisesUnpicklable:
    def __len__(self):
        return 4

    def __getitem__(self, i):
        raise _Unpicklable(i, 'x')


class _LambdaExamples:
    def __len__(self):
        return 4

    def __getitem__(self, i):
        return lambda: i


def test_unpicklable_exception_and_example():
    with iterators.MultiprocessIterator(_RaisesUnpicklable(), 2,
                                        n_processes=1) as it:
        with pytest.raises(RuntimeError, match='needs two arguments'):
            it.next()
    with iterators.MultiprocessIterator(_LambdaExamples(), 2,
                                        n_processes=1) as it:
        with pytest.raises(Exception, match='pickle|lambda'):
            it.next()


class _Slow:
    def __init__(self, delay):
        self.delay = delay

    def __len__(self):
        return 4

    def __getitem__(self, i):
        time.sleep(self.delay)
        return i


def test_dataset_timeout_warns_and_continues():
    with iterators.MultiprocessIterator(_Slow(0.4), 2, shuffle=False,
                                        n_processes=1, n_prefetch=0,
                                        dataset_timeout=0.2) as it:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            assert it.next() == [0, 1]
    assert any(issubclass(w.category,
                          iterators.MultiprocessIterator.TimeoutWarning)
               for w in caught)


def test_maxtasksperchild_replaces_workers():
    expected = _run(iterators.SerialIterator(DATASET, 3,
                                             order_sampler=_sampler(1)), 15)
    it = iterators.MultiprocessIterator(DATASET, 3, n_processes=2,
                                        maxtasksperchild=2,
                                        order_sampler=_sampler(1))
    pids = set()
    out = []
    for _ in range(15):
        out.extend(_run(it, 1))
        pids.update(w.process.pid for w in it._workers)
    assert out == expected
    assert len(pids) > 2  # workers were replaced
    assert len(it._workers) <= 4
    it.finalize()


def test_finalize_del_and_restart():
    it = iterators.MultiprocessIterator(DATASET, 2, n_processes=3)
    it.next()
    before = set(multiprocessing.active_children())
    workers = [w.process for w in it._workers]
    assert len(workers) == 3 and set(workers) <= before
    it.finalize()
    assert not any(p.is_alive() for p in workers)
    assert not set(workers) & set(multiprocessing.active_children())
    it.finalize()  # idempotent
    it.next()  # usable again: new workers
    workers = [w.process for w in it._workers]
    assert len(workers) == 3 and all(p.is_alive() for p in workers)
    del it
    import gc
    gc.collect()
    assert not any(p.is_alive() for p in workers)


def test_argument_errors():
    assert issubclass(WorkerError, RuntimeError)
    with pytest.raises(ValueError):
        iterators.MultiprocessIterator(DATASET, 0)
    with pytest.raises(ValueError):
        iterators.MultiprocessIterator(DATASET, 2, n_processes=0)
    with pytest.raises(ValueError):
        iterators.MultiprocessIterator(DATASET, 2, shuffle=True,
                                       order_sampler=_sampler(0))
    it = iterators.MultiprocessIterator([], 2)
    with pytest.raises(ValueError, match='empty'):
        it.next()


# -- cases that must not hang: in a subprocess, with a timeout --------------

def _script(body):
    return textwrap.dedent('''
        import multiprocessing, os, signal, sys, threading, time
        from dynet import iterators
        from dynet.iterators.multiprocess_iterator import WorkerError
    ''') + textwrap.dedent(body)


def _python(body, timeout=60, **kwargs):
    return subprocess.run(
        [sys.executable, '-c', _script(body)], cwd=ROOT, timeout=timeout,
        capture_output=True, text=True, **kwargs)


def test_killed_worker_raises_quickly():
    result = _python('''
        class Killer:
            def __len__(self):
                return 20
            def __getitem__(self, i):
                if i == 7:
                    os.kill(os.getpid(), signal.SIGKILL)
                return i

        it = iterators.MultiprocessIterator(Killer(), 3, shuffle=False,
                                            n_processes=2)
        # the worker dies on example 7, of the third batch (which may be
        # loading, ahead, while the second is returned)
        for _ in range(3):
            start = time.monotonic()
            try:
                print(it.next())
            except WorkerError as error:
                print('WorkerError', round(time.monotonic() - start, 1))
                print(error)
                break
        print('children', len(multiprocessing.active_children()))
        it.finalize()
    ''')
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == '[0, 1, 2]'
    if lines[1] == '[3, 4, 5]':
        del lines[1]
    assert lines[1].startswith('WorkerError')
    assert float(lines[1].split()[1]) < 3.0
    assert 'killed by signal SIGKILL' in lines[2]
    assert lines[3] == 'children 0'


def test_worker_killed_from_outside():
    result = _python('''
        class Slow:
            def __len__(self):
                return 10
            def __getitem__(self, i):
                time.sleep(0.05 if i < 2 else 30)
                return i

        it = iterators.MultiprocessIterator(Slow(), 2, shuffle=False,
                                            n_processes=2)
        print(it.next(), flush=True)
        victim = it._workers[0].process.pid
        threading.Timer(0.3, os.kill, (victim, signal.SIGKILL)).start()
        start = time.monotonic()
        try:
            it.next()
        except WorkerError:
            print('WorkerError', round(time.monotonic() - start, 1))
        it.finalize()
        print('children', len(multiprocessing.active_children()))
    ''')
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == '[0, 1]'
    assert lines[1].startswith('WorkerError')
    assert float(lines[1].split()[1]) < 3.0
    assert lines[2] == 'children 0'


def test_ctrl_c_shuts_down_cleanly():
    process = subprocess.Popen(
        [sys.executable, '-c', _script('''
            class Slow:
                def __len__(self):
                    return 10
                def __getitem__(self, i):
                    print('loading', flush=True)
                    time.sleep(30)
                    return i

            it = iterators.MultiprocessIterator(Slow(), 2, n_processes=2)
            try:
                it.next()
            except KeyboardInterrupt:
                print('interrupted', flush=True)
            print('children', len(multiprocessing.active_children()))
        ''')],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    try:
        # a worker prints 'loading' once it runs the dataset (and so
        # already ignores SIGINT)
        ready, _, _ = select.select([process.stdout], [], [], 30)
        # (two workers may print at once: 'loadingloading')
        assert ready and 'loading' in process.stdout.readline()
        # Ctrl-C in a terminal: SIGINT to the whole process group
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 0, err
    lines = [line.replace('loading', '') for line in out.splitlines()]
    assert [line for line in lines if line] == ['interrupted', 'children 0']
    assert 'Traceback' not in err  # the workers stayed quiet


def test_exit_without_finalize_does_not_hang():
    result = _python('''
        it = iterators.MultiprocessIterator(list(range(10)), 2,
                                            n_processes=2)
        it.next()
        print('done')
    ''', timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout == 'done\n'
