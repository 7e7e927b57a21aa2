import pickle

import pytest

from dynet import datasets
from dynet import iterators


@pytest.fixture
def files(tmp_path):
    a = tmp_path / 'a.txt'
    b = tmp_path / 'b.txt'
    a.write_text('hello\nworld\n\nlast line', encoding='utf-8')
    b.write_bytes('un\ndeux\ntrois\nquatr\u00e9\n'.encode('latin-1'))
    return str(a), str(b)


def test_single_file(files):
    d = datasets.TextDataset(files[0])
    assert len(d) == 4
    assert d[0] == 'hello\n'
    assert d[2] == '\n'
    assert d[-1] == 'last line'
    assert d[1:3] == ['world\n', '\n']
    assert d[[3, 0]] == ['last line', 'hello\n']


def test_parallel_files_encoding_and_filter(files):
    d = datasets.TextDataset(list(files), encoding=['utf-8', 'latin-1'])
    assert len(d) == 4
    assert d[1] == ('world\n', 'deux\n')
    assert d[3] == ('last line', 'quatr\u00e9\n')
    kept = datasets.TextDataset(
        list(files), encoding=['utf-8', 'latin-1'],
        filter_func=lambda x, y: x.strip() != '')
    assert len(kept) == 3
    assert [y for _, y in kept] == ['un\n', 'deux\n', 'quatr\u00e9\n']
    clone = pickle.loads(pickle.dumps(kept))
    assert clone[2] == kept[2]


def test_errors(files, tmp_path):
    short = tmp_path / 'short.txt'
    short.write_text('one\n')
    with pytest.raises(ValueError, match='numbers of lines'):
        datasets.TextDataset([files[0], str(short)])
    with pytest.raises(ValueError, match='encoding'):
        datasets.TextDataset([files[0]], encoding=['a', 'b'])


def test_with_worker_processes(files):
    d = datasets.TextDataset(files[0])
    d[0]  # open in the main process first: workers must reopen
    with iterators.MultiprocessIterator(d, 2, shuffle=False,
                                        n_processes=2) as it:
        assert it.next() == ['hello\n', 'world\n']
        assert it.next() == ['\n', 'last line']
