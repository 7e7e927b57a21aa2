import gzip
import io
import multiprocessing
import operator
import os
import pickle
import threading

import numpy
import pytest

import dynet
from dynet import datasets
from dynet.datasets import pickle_dataset


EXAMPLES = [(1, 2.0, 'hello'), (2, 3.0, 'good-bye'),
            {'x': numpy.arange(6, dtype=numpy.float32).reshape(2, 3)},
            numpy.array([7, 8, 9], dtype=numpy.int16), None, 'last']


def _write(path, examples=EXAMPLES, **kwargs):
    with pickle_dataset.open_pickle_dataset_writer(path, **kwargs) as w:
        for example in examples:
            w.write(example)


def _assert_same(got, want):
    if isinstance(want, numpy.ndarray):
        assert got.dtype == want.dtype
        numpy.testing.assert_array_equal(got, want)
    elif isinstance(want, dict):
        assert sorted(got) == sorted(want)
        for key in want:
            _assert_same(got[key], want[key])
    else:
        assert got == want


@pytest.fixture
def path(tmp_path):
    return str(tmp_path / 'data.pkl')


def test_docs_example(path):
    with pickle_dataset.open_pickle_dataset_writer(path) as w:
        w.write((1, 2.0, 'hello'))
        w.write((2, 3.0, 'good-bye'))
    with pickle_dataset.open_pickle_dataset(path) as dataset:
        assert dataset[1] == (2, 3.0, 'good-bye')


def test_round_trip_and_indexing(path):
    _write(path)
    with pickle_dataset.open_pickle_dataset(path) as dataset:
        assert isinstance(dataset, dynet.dataset.DatasetMixin)
        assert len(dataset) == len(EXAMPLES)
        for i, want in enumerate(EXAMPLES):
            _assert_same(dataset[i], want)
        assert dataset[-1] == 'last'
        assert dataset[4:] == [None, 'last']
        assert dataset[[1, 0]] == [EXAMPLES[1], EXAMPLES[0]]
        with pytest.raises(IndexError):
            dataset[6]


def test_file_is_a_plain_sequence_of_pickles(path):
    # The format is Chainer's: pickles one after another, readable with
    # pickle.load alone.
    _write(path, protocol=2)
    with open(path, 'rb') as f:
        assert f.read(2) == b'\x80\x02'
        f.seek(0)
        assert pickle.load(f) == EXAMPLES[0]
        assert pickle.load(f) == EXAMPLES[1]


def test_user_file_objects():
    buffer = io.BytesIO()
    writer = pickle_dataset.PickleDatasetWriter(buffer)
    for example in EXAMPLES[:2]:
        writer.write(example)
    writer.flush()
    dataset = pickle_dataset.PickleDataset(io.BytesIO(buffer.getvalue()))
    assert dataset[1] == EXAMPLES[1]
    writer.close()
    assert buffer.closed
    writer.close()   # a second close does nothing
    with pytest.raises(ValueError, match='writer is closed'):
        writer.write(3)


def test_gzip_reader(tmp_path):
    # A GzipFile has a file descriptor, of the compressed file: it must be
    # read through its own read(), not at raw offsets.
    path = str(tmp_path / 'data.pkl.gz')
    with gzip.open(path, 'wb') as f:
        writer = pickle_dataset.PickleDatasetWriter(f)
        for example in EXAMPLES:
            writer.write(example)
    with pickle_dataset.PickleDataset(gzip.open(path, 'rb')) as dataset:
        for i in (5, 0, 3):
            _assert_same(dataset[i], EXAMPLES[i])


def test_writer_is_atomic(path):
    _write(path, ['old'])
    writer = pickle_dataset.open_pickle_dataset_writer(path)
    writer.write('new')
    writer.flush()
    with pickle_dataset.open_pickle_dataset(path) as dataset:
        assert dataset[:] == ['old']   # not replaced before close
    writer.close()
    with pickle_dataset.open_pickle_dataset(path) as dataset:
        assert dataset[:] == ['new']

    with pytest.raises(KeyError):
        with pickle_dataset.open_pickle_dataset_writer(path) as writer:
            writer.write('partial')
            raise KeyError('interrupted')
    with pickle_dataset.open_pickle_dataset(path) as dataset:
        assert dataset[:] == ['new']   # left as it was
    assert os.listdir(os.path.dirname(path)) == ['data.pkl']


def test_writer_errors(path):
    with pytest.raises(TypeError, match=r'with write\(\), got object'):
        pickle_dataset.PickleDatasetWriter(object())
    with open(path, 'w') as text:
        with pytest.raises(TypeError, match='binary mode'):
            pickle_dataset.PickleDatasetWriter(text)
    os.remove(path)
    with pytest.raises(ValueError, match='protocol must be an int'):
        pickle_dataset.open_pickle_dataset_writer(path, protocol=99)
    # Nothing is left behind by the failed open.
    assert os.listdir(os.path.dirname(path)) == []
    with pytest.raises(Exception, match='pickle'):
        with pickle_dataset.open_pickle_dataset_writer(path) as writer:
            writer.write(lambda: 0)
    assert os.listdir(os.path.dirname(path)) == []
    # A record that cannot be pickled leaves nothing half-written: the
    # writer can go on.
    with pickle_dataset.open_pickle_dataset_writer(path) as writer:
        writer.write(1)
        with pytest.raises(Exception, match='pickle'):
            writer.write(lambda: 0)
        writer.write(2)
    with pickle_dataset.open_pickle_dataset(path) as dataset:
        assert dataset[:] == [1, 2]


class _Unseekable(io.RawIOBase):
    def readable(self):
        return True

    def seekable(self):
        return False


def test_reader_errors(path):
    with pytest.raises(ValueError, match='must support random access'):
        pickle_dataset.PickleDataset(_Unseekable())
    with pytest.raises(ValueError, match='must support random access'):
        pickle_dataset.PickleDataset(object())
    _write(path)
    with open(path) as text:
        with pytest.raises(TypeError, match='binary mode'):
            pickle_dataset.PickleDataset(text)
    with open(path, 'rb') as f:
        data = f.read()
    with pytest.raises(ValueError, match=r'byte \d+ \(example 5\) is not a '
                                         'complete pickle'):
        pickle_dataset.PickleDataset(io.BytesIO(data[:-2]))
    with pytest.raises(ValueError, match='example 0'):
        pickle_dataset.PickleDataset(io.BytesIO(b'not a pickle'))
    dataset = pickle_dataset.open_pickle_dataset(path)
    dataset.close()
    with pytest.raises(ValueError, match='the dataset is closed'):
        dataset[0]
    assert len(pickle_dataset.PickleDataset(io.BytesIO())) == 0


def _many(count):
    return [numpy.full(50, i, dtype=numpy.int64) for i in range(count)]


@pytest.mark.parametrize('kind', ['file', 'bytesio'])
def test_threads_read_concurrently(path, kind):
    examples = _many(200)
    _write(path, examples)
    if kind == 'file':
        dataset = pickle_dataset.open_pickle_dataset(path)
    else:
        with open(path, 'rb') as f:
            dataset = pickle_dataset.PickleDataset(io.BytesIO(f.read()))
    errors = []

    def read(offset):
        for step in range(400):
            i = (offset * 37 + step * 13) % 200
            if int(dataset[i][0]) != i:
                errors.append(i)

    threads = [threading.Thread(target=read, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    dataset.close()
    assert errors == []


class _ReaderWithHook(io.BytesIO):
    after_fork_calls = 0

    def after_fork(self):
        type(self).after_fork_calls += 1


@pytest.mark.skipif(not hasattr(os, 'fork'), reason='needs os.fork')
@pytest.mark.parametrize('kind', ['file', 'hook'])
def test_parent_and_forked_child_read_at_once(path, kind):
    # The child shares the parent's open file; reading must not race on
    # its position. A reader with after_fork() gets it called in the child.
    examples = _many(300)
    _write(path, examples)
    if kind == 'file':
        dataset = pickle_dataset.open_pickle_dataset(path)
    else:
        with open(path, 'rb') as f:
            dataset = pickle_dataset.PickleDataset(_ReaderWithHook(f.read()))
    dataset[0]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:   # the child
        status = 1
        try:
            os.close(read_end)
            ok = all(int(dataset[(i * 7) % 300][0]) == (i * 7) % 300
                     for i in range(3000))
            hooked = _ReaderWithHook.after_fork_calls
            os.write(write_end, '{} {}'.format(int(ok), hooked).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    ok = all(int(dataset[(i * 11) % 300][0]) == (i * 11) % 300
             for i in range(3000))
    _, status = os.waitpid(pid, 0)
    child_report = os.read(read_end, 100).decode().split()
    os.close(read_end)
    dataset.close()
    assert status == 0
    assert ok
    assert child_report[0] == '1'
    assert child_report[1] == ('1' if kind == 'hook' else '0')
    assert _ReaderWithHook.after_fork_calls == 0   # not in the parent


def test_multiprocess_iterator(path):
    examples = [(numpy.float32(i), i % 3) for i in range(40)]
    _write(path, examples)
    with pickle_dataset.open_pickle_dataset(path) as dataset:
        serial = dynet.iterators.SerialIterator(
            dataset, 8, repeat=False, shuffle=False)
        parallel = dynet.iterators.MultiprocessIterator(
            dataset, 8, repeat=False, shuffle=False, n_processes=2)
        try:
            got = list(parallel)
        finally:
            parallel.finalize()
        assert got == list(serial)


def test_pickle_reopens_the_file(path):
    _write(path)
    with pickle_dataset.open_pickle_dataset(path) as dataset:
        copy = pickle.loads(pickle.dumps(dataset))
    # The copy has a file of its own: closing the original does not
    # affect it.
    with copy:
        _assert_same(copy[2], EXAMPLES[2])
        assert len(copy) == len(EXAMPLES)
    with open(path, 'rb') as f:
        user_opened = pickle_dataset.PickleDataset(f)
        assert pickle.loads(pickle.dumps(user_opened))[0] == EXAMPLES[0]
    in_memory = pickle_dataset.PickleDataset(io.BytesIO(b''.join(
        pickle.dumps(x) for x in ('a', 'b'))))
    assert pickle.loads(pickle.dumps(in_memory))[1] == 'b'


def test_pickled_dataset_notices_a_shorter_file(path):
    _write(path)
    with pickle_dataset.open_pickle_dataset(path) as dataset:
        state = pickle.dumps(dataset)
    _write(path, ['short'])
    with pytest.raises(ValueError, match='shorter'):
        pickle.loads(state)


def test_spawned_process_reads_a_pickled_dataset(path):
    _write(path)
    context = multiprocessing.get_context('spawn')
    with pickle_dataset.open_pickle_dataset(path) as dataset:
        with context.Pool(1) as pool:
            got = pool.apply(operator.getitem, (dataset, 2))
    _assert_same(got, EXAMPLES[2])


def test_exported_names():
    # dynet.datasets lists them once the lead adds the import; the module
    # itself always has them.
    for name in ('PickleDataset', 'PickleDatasetWriter',
                 'open_pickle_dataset', 'open_pickle_dataset_writer'):
        assert getattr(pickle_dataset, name) is not None
        if hasattr(datasets, name):
            assert getattr(datasets, name) is getattr(pickle_dataset, name)
