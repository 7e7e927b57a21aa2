import numpy
import pytest

from dynet.dataset import tabular


ROWS = [None, slice(None), slice(3, 12), slice(12, 3, -1),
        slice(None, None, -4), slice(1, 14, 5), slice(9, 11), slice(20, 30), [], [13, 0, 7, 7, 2],
        [8, 9], [5]]


def _make(make_table, as_list=False):
    # Rows 0-5, (none), 6-9, 10-14 with distinct values in each part.
    parts = [make_table(tuple, n_rows=6, as_list=as_list),
             make_table(tuple, n_rows=0, as_list=as_list),
             make_table(tuple, n_rows=4, as_list=as_list),
             make_table(tuple, n_rows=5, as_list=as_list)]
    parts[2].values = parts[2].values + 1000
    parts[3].values = parts[3].values + 2000
    reference = numpy.concatenate([p.values for p in parts], axis=1)
    return parts, reference


@pytest.mark.parametrize('rows', ROWS)
@pytest.mark.parametrize('keys', [None, (2, 0), (1, 1)])
@pytest.mark.parametrize('as_list', [False, True])
def test_concat_matches_numpy(make_table, rows, keys, as_list):
    parts, reference = _make(make_table, as_list)
    dataset = parts[0].concat(*parts[1:])
    assert len(dataset) == 15
    assert dataset.keys == ('a', 'b', 'c')
    columns = dataset.get_examples(rows, keys)
    want = reference if rows is None else reference[:, rows]
    want = want if keys is None else want[list(keys)]
    assert len(columns) == len(want)
    for column, expected in zip(columns, want):
        numpy.testing.assert_array_equal(numpy.asarray(column), expected)
    # Each part is asked at most once per request.
    for part in parts:
        assert len(part.calls) <= 1


def test_examples_and_slices_of_a_concat(make_table):
    parts, reference = _make(make_table)
    dataset = parts[0].concat(*parts[1:])
    assert dataset[6] == tuple(reference[:, 6])
    assert dataset[-1] == tuple(reference[:, -1])
    view = dataset.slice[::-3, 'b']
    numpy.testing.assert_array_equal(view.fetch(), reference[1, ::-3])


def test_column_types(make_table):
    parts, _ = _make(make_table)
    a, b, c = parts[0].concat(parts[2]).fetch()
    assert isinstance(a, numpy.ndarray)   # arrays of one dtype stay arrays
    as_list = make_table(tuple, n_rows=2, as_list=True)
    a, b, c = parts[0].concat(as_list).fetch()
    assert isinstance(a, list) and len(a) == 8
    floats = tabular.from_data(('v', numpy.arange(2.0)))
    ints = tabular.from_data(('v', numpy.arange(3)))
    mixed = floats.concat(ints).fetch()
    # Concatenating int64 onto float64 would change the ints' type.
    assert isinstance(mixed, list)
    assert [type(v) for v in mixed] == [numpy.float64] * 2 + \
        [numpy.int64] * 3


def test_mode_and_convert_come_from_the_first(make_table):
    first = make_table(dict).with_converter(lambda **columns: 'first')
    second = make_table(tuple)
    dataset = first.concat(second)
    assert dataset.mode is dict
    assert dataset[12] == {'a': 2, 'b': 102, 'c': 202}
    assert dataset.convert(dataset.fetch()) == 'first'


def test_concat_errors(make_table):
    with pytest.raises(ValueError, match='same keys'):
        make_table().concat(make_table(keys=('a', 'b', 'd')))
    with pytest.raises(TypeError, match='expected a TabularDataset'):
        make_table().concat([1, 2, 3])
