import numpy
import pytest

from dynet import iterators


def test_order_without_shuffle_and_epoch_details():
    it = iterators.SerialIterator(list(range(5)), 2, shuffle=False)
    batches, details = [], []
    for _ in range(5):
        batches.append(it.next())
        details.append((it.epoch, it.is_new_epoch,
                        round(it.epoch_detail, 2),
                        it.previous_epoch_detail))
    assert batches == [[0, 1], [2, 3], [4, 0], [1, 2], [3, 4]]
    assert details[2] == (1, True, 1.2, 0.8)
    assert details[4] == (2, True, 2.0, 1.6)


def test_no_repeat_stops_after_one_epoch():
    it = iterators.SerialIterator(list(range(5)), 2, repeat=False)
    batches = list(it)
    assert sorted(sum(batches, [])) == [0, 1, 2, 3, 4]
    assert [len(b) for b in batches] == [2, 2, 1]
    with pytest.raises(StopIteration):
        it.next()
    it.reset()
    assert len(it.next()) == 2


def test_shuffle_is_a_permutation_each_epoch():
    numpy.random.seed(3)
    it = iterators.SerialIterator(list(range(6)), 3)
    epoch1 = it.next() + it.next()
    epoch2 = it.next() + it.next()
    assert sorted(epoch1) == sorted(epoch2) == list(range(6))


def test_serialize_resumes_the_same_order():
    store = {}

    class Writer:
        def __getitem__(self, key):
            return self

        def __call__(self, key, value):
            store[key] = numpy.copy(value)
            return value

    class Reader(Writer):
        def __call__(self, key, value):
            if isinstance(value, numpy.ndarray):
                value[...] = store[key]
                return value
            return store[key].item() if store[key].ndim == 0 else store[key]

    numpy.random.seed(0)
    it = iterators.SerialIterator(list(range(7)), 3)
    it.next()
    it.serialize(Writer())
    expected = [it.next() for _ in range(2)]
    numpy.random.seed(1)
    resumed = iterators.SerialIterator(list(range(7)), 3)
    resumed.serialize(Reader())
    assert [resumed.next() for _ in range(1)] == expected[:1]


def test_bad_arguments():
    with pytest.raises(ValueError, match='batch_size must be positive'):
        iterators.SerialIterator([1], 0)
    with pytest.raises(ValueError, match='not both'):
        iterators.SerialIterator([1], 1, shuffle=True,
                                 order_sampler=iterators.ShuffleOrderSampler())
    with pytest.raises(ValueError, match='empty'):
        iterators.SerialIterator([], 1).next()
