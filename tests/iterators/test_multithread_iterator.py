import threading
import time

import numpy
import pytest

from dynet import iterators


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
        out.append((list(batch), iterator.epoch, iterator.is_new_epoch,
                    iterator.epoch_detail, iterator.previous_epoch_detail))
    return out


def _worker_threads():
    return [t for t in threading.enumerate()
            if t.name.startswith('MultithreadIterator-') and t.is_alive()]


@pytest.fixture(autouse=True)
def no_threads_left():
    before = set(_worker_threads())
    yield
    assert set(_worker_threads()) <= before


DATASET = list(range(11))


@pytest.mark.parametrize('batch_size', [1, 3, 11, 25])
@pytest.mark.parametrize('repeat', [True, False])
@pytest.mark.parametrize('n_threads', [1, 4])
def test_same_batches_as_serial(batch_size, repeat, n_threads):
    expected = _run(iterators.SerialIterator(
        DATASET, batch_size, repeat=repeat, order_sampler=_sampler(2)), 10)
    with iterators.MultithreadIterator(
            DATASET, batch_size, repeat=repeat, n_threads=n_threads,
            order_sampler=_sampler(2)) as it:
        assert _run(it, 10) == expected


def test_default_shuffle_and_no_shuffle():
    numpy.random.seed(0)
    expected = _run(iterators.SerialIterator(DATASET, 4), 8)
    numpy.random.seed(0)
    with iterators.MultithreadIterator(DATASET, 4, n_threads=2) as it:
        assert _run(it, 8) == expected
    with iterators.MultithreadIterator(DATASET, 4, shuffle=False) as it:
        assert it.next() == [0, 1, 2, 3]


class _Store:
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


def test_serialize():
    serial = iterators.SerialIterator(DATASET, 3, order_sampler=_sampler(5))
    with iterators.MultithreadIterator(DATASET, 3, n_threads=2,
                                       order_sampler=_sampler(5)) as it:
        assert _run(it, 4) == _run(serial, 4)
        store = _Store()
        it.serialize(store)
        expected = _run(serial, 5)
        with iterators.MultithreadIterator(
                DATASET, 3, order_sampler=_sampler(0)) as resumed:
            resumed.serialize(_Store(store.data, reading=True))
            assert _run(resumed, 5) == expected
        assert _run(it, 5) == expected


class _Flaky:
    def __init__(self):
        self.broken = True

    def __len__(self):
        return 8

    def __getitem__(self, i):
        if i == 4 and self.broken:
            raise IndexError('example 4 is broken')
        return i


def test_exception_is_reraised_and_iterator_recovers():
    dataset = _Flaky()
    with iterators.MultithreadIterator(dataset, 3, shuffle=False,
                                       n_threads=2) as it:
        assert it.next() == [0, 1, 2]
        with pytest.raises(IndexError, match='example 4 is broken'):
            it.next()
        assert it.current_position == 3
        dataset.broken = False
        assert it.next() == [3, 4, 5]


class _Slow:
    def __len__(self):
        return 6

    def __getitem__(self, i):
        time.sleep(0.05)
        return i


def test_finalize_stops_threads_and_restart():
    it = iterators.MultithreadIterator(_Slow(), 2, shuffle=False,
                                       n_threads=3)
    assert it.next() == [0, 1]
    threads = it._pool.threads
    assert len(threads) == 3 and all(t.is_alive() for t in threads)
    start = time.monotonic()
    it.finalize()
    assert time.monotonic() - start < 2
    assert not any(t.is_alive() for t in threads)
    assert it.next() == [2, 3]  # restarts
    del it
    import gc
    gc.collect()
    deadline = time.monotonic() + 2
    while _worker_threads() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_no_repeat_and_reset():
    with iterators.MultithreadIterator(list(range(5)), 2, repeat=False,
                                       shuffle=False) as it:
        assert list(it) == [[0, 1], [2, 3], [4]]
        it.reset()
        assert it.next() == [0, 1]


def test_argument_errors():
    with pytest.raises(ValueError):
        iterators.MultithreadIterator(DATASET, 2, n_threads=0)
    with pytest.raises(ValueError):
        iterators.MultithreadIterator(DATASET, 0)
