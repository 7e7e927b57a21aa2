import numpy
import pytest

import dynet
from dynet.dataset.tabular.tabular_dataset import TabularDataset


@pytest.mark.parametrize('as_list', [False, True])
def test_examples_in_each_mode(make_table, as_list):
    t = make_table(tuple, as_list=as_list)
    assert len(t) == 10
    assert t.keys == ('a', 'b', 'c')
    assert t[3] == (3, 103, 203)
    assert t[-1] == (9, 109, 209)
    assert t[numpy.int64(2)] == (2, 102, 202)
    assert t[7:2:-3] == [(7, 107, 207), (4, 104, 204)]
    assert t[[0, -2]] == [(0, 100, 200), (8, 108, 208)]
    assert t[numpy.array([5])] == [(5, 105, 205)]
    assert list(t)[4] == (4, 104, 204)
    assert len(list(t)) == 10

    d = make_table(dict, as_list=as_list)
    assert d[1] == {'a': 1, 'b': 101, 'c': 201}

    single = make_table(None, keys=('x',), as_list=as_list)
    assert single[6] == 6
    assert single[1:3] == [1, 2]


def test_getitem_reads_one_example_at_a_time(make_table):
    # As in Chainer (DatasetMixin.__getitem__): a transform that draws
    # random numbers draws them in the same order.
    t = make_table()
    t[2:5]
    assert t.calls == [([2], None), ([3], None), ([4], None)]


def test_index_errors(make_table):
    t = make_table()
    with pytest.raises(IndexError, match='out of range'):
        t[10]
    with pytest.raises(IndexError, match='out of range'):
        t[[0, -11]]
    with pytest.raises(IndexError, match='out of range'):
        t.get_example(10)
    with pytest.raises(TypeError, match='index must be'):
        t['a']


def test_fetch(make_table):
    t = make_table(tuple)
    a, b, c = t.fetch()
    numpy.testing.assert_array_equal(b, numpy.arange(10) + 100)
    assert t.calls == [(None, None)]
    d = make_table(dict).fetch()
    assert sorted(d) == ['a', 'b', 'c']
    numpy.testing.assert_array_equal(d['c'], numpy.arange(10) + 200)
    single = make_table(None, keys=('x',)).fetch()
    numpy.testing.assert_array_equal(single, numpy.arange(10))


def test_convert_default():
    t = TabularDataset()
    converted = t.convert(([1, 2, 3], numpy.arange(3.0), [[1, 2], [3, 4]]))
    assert isinstance(converted, tuple)
    for column in converted:
        assert isinstance(column, numpy.ndarray)
    numpy.testing.assert_array_equal(converted[0], [1, 2, 3])
    assert converted[2].shape == (2, 2)
    array = numpy.arange(3.0)
    assert t.convert((array,))[0] is array   # arrays pass through
    as_dict = t.convert({'x': [1.5, 2.5]})
    assert as_dict['x'].dtype == numpy.float64
    numpy.testing.assert_array_equal(t.convert([numpy.ones(2)] * 3),
                                     numpy.ones((3, 2)))
    assert t.convert([]).shape == (0,)


def test_convert_of_fetch(make_table):
    t = make_table(dict, as_list=True)
    converted = t.convert(t.fetch())
    numpy.testing.assert_array_equal(converted['b'], numpy.arange(10) + 100)


def test_abstract_methods():
    t = TabularDataset()
    with pytest.raises(NotImplementedError):
        len(t)
    with pytest.raises(NotImplementedError):
        t.keys
    with pytest.raises(NotImplementedError):
        t.mode
    with pytest.raises(NotImplementedError):
        t.get_examples(None, None)


class _Broken(TabularDataset):
    def __init__(self, mode, columns):
        self._mode = mode
        self._columns = columns

    def __len__(self):
        return 2

    keys = ('a', 'b')

    @property
    def mode(self):
        return self._mode

    def get_examples(self, indices, key_indices):
        return self._columns


def test_bad_subclasses_are_reported():
    with pytest.raises(ValueError, match='returned 1 columns, expected 2'):
        _Broken(tuple, ([1, 2],))[0]
    with pytest.raises(ValueError, match='returned 1 columns, expected 2'):
        _Broken(tuple, ([1, 2],)).fetch()
    with pytest.raises(ValueError, match='mode must be tuple, dict or None'):
        _Broken(list, ([1, 2], [3, 4]))[0]
    with pytest.raises(ValueError, match='mode None needs exactly one'):
        _Broken(None, ([1, 2], [3, 4]))[0]


def test_serial_iterator_and_concat_examples(make_table):
    t = make_table(tuple).slice[:, ('a', 'b')]
    it = dynet.iterators.SerialIterator(t, 4, repeat=False, shuffle=False)
    batches = [dynet.dataset.concat_examples(batch) for batch in it]
    assert len(batches) == 3
    numpy.testing.assert_array_equal(batches[0][0], [0, 1, 2, 3])
    numpy.testing.assert_array_equal(batches[2][1], [108, 109])


def test_docs_example():
    # The subclass shown in Chainer's TabularDataset documentation.
    class MyDataset(TabularDataset):
        def __len__(self):
            return 4

        @property
        def keys(self):
            return ('a', 'b', 'c')

        @property
        def mode(self):
            return tuple

        def get_examples(self, indices, key_indices):
            data = numpy.arange(12).reshape((4, 3))
            if indices is not None:
                data = data[indices]
            if key_indices is not None:
                data = data[:, list(key_indices)]
            return tuple(data.transpose())

    dataset = MyDataset()
    assert dataset.astuple()[0] == (0, 1, 2)
    assert sorted(dataset.asdict()[0].items()) == [('a', 0), ('b', 1),
                                                   ('c', 2)]
    view = dataset.slice[[3, 2], ('c', 0)]
    assert len(view) == 2
    assert view.keys == ('c', 'a')
    assert view.astuple()[1] == (8, 6)
    assert sorted(view.asdict()[1].items()) == [('a', 6), ('c', 8)]
