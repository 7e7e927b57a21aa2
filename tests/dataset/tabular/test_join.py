import numpy
import pytest


def _make(make_table):
    left = make_table(tuple, keys=('a', 'b'))
    right = make_table(dict, keys=('c', 'd', 'e'))
    right.values = right.values + 1000
    return left, right


def test_join_columns(make_table):
    left, right = _make(make_table)
    joined = left.join(right)
    assert joined.keys == ('a', 'b', 'c', 'd', 'e')
    assert len(joined) == 10
    assert joined.mode is tuple
    assert joined[4] == (4, 104, 1004, 1104, 1204)
    columns = joined.fetch()
    numpy.testing.assert_array_equal(columns[3], numpy.arange(10) + 1100)


@pytest.mark.parametrize('keys', [(4, 0), (3, 3, 1), (2,), (0, 1)])
@pytest.mark.parametrize('rows', [None, slice(2, 7, 2), [9, 0]])
def test_key_subsets(make_table, keys, rows):
    left, right = _make(make_table)
    reference = numpy.concatenate([left.values, right.values])
    joined = left.join(right)
    columns = joined.get_examples(rows, keys)
    want = reference[list(keys)]
    want = want if rows is None else want[:, rows]
    for column, expected in zip(columns, want):
        numpy.testing.assert_array_equal(column, expected)
    # Each dataset is asked once, only for its own wanted columns, and a
    # dataset with no wanted column is not asked at all.
    for dataset, offset in ((left, 0), (right, 2)):
        own = sorted({k - offset for k in keys
                      if 0 <= k - offset < len(dataset.keys)})
        if own:
            assert len(dataset.calls) == 1
            assert sorted(dataset.calls[0][1]) == own
        else:
            assert dataset.calls == []


def test_mode_is_the_first_that_is_not_none(make_table):
    single = make_table(None, keys=('x',))
    _, right = _make(make_table)
    assert single.join(right).mode is dict
    assert single.join(make_table(None, keys=('y',))).mode is tuple
    assert single.join(right)[1] == {'x': 1, 'c': 1001, 'd': 1101,
                                     'e': 1201}


def test_convert_comes_from_the_first(make_table):
    left, right = _make(make_table)
    joined = left.with_converter(lambda *columns: len(columns)).join(right)
    assert joined.convert(joined.fetch()) == 5


def test_join_errors(make_table):
    with pytest.raises(ValueError, match='same length'):
        make_table(keys=('a',)).join(make_table(keys=('b',), n_rows=3))
    with pytest.raises(ValueError, match=r"repeats \['b'\]"):
        make_table(keys=('a', 'b')).join(make_table(keys=('b', 'c')))
    with pytest.raises(TypeError, match='expected a TabularDataset'):
        make_table().join(numpy.arange(10))
