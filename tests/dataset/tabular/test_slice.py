import itertools

import numpy
import pytest


ROWS = [
    None,
    slice(None),
    slice(2, 8),
    slice(8, 1, -2),
    slice(None, None, -1),
    slice(-3, None),
    slice(20, 30),
    [],
    [4, 0, -1, 4],
    numpy.array([9, 2]),
    [True, False] * 5,
    numpy.arange(10) % 3 == 0,
]

KEYS = [None, ('c', 'a'), (1,), ('a', -1, 'a'), 'b', 2, -3, ()]


def _reference(values, rows, keys):
    """The expected (keys, columns) of ``slice[rows, keys]`` by NumPy."""
    names = ('a', 'b', 'c')
    selected = values
    if rows is not None:
        selected = selected[:, numpy.asarray(rows) if isinstance(rows, list)
                            and rows and isinstance(rows[0], bool)
                            else rows]
    if keys is None:
        return names, selected
    keys = keys if isinstance(keys, tuple) else (keys,)
    index = [names.index(k) if isinstance(k, str) else k % 3 for k in keys]
    return tuple(names[i] for i in index), selected[index]


@pytest.mark.parametrize('rows', ROWS)
@pytest.mark.parametrize('keys', KEYS)
def test_slice_matches_numpy(make_table, rows, keys):
    t = make_table(tuple)
    view = t.slice[rows, keys] if keys is not None else t.slice[rows]
    names, expected = _reference(t.values, rows, keys)
    assert view.keys == names
    assert len(view) == expected.shape[1]
    columns = view.get_examples(None, None)
    assert len(columns) == len(names)
    for column, want in zip(columns, expected):
        numpy.testing.assert_array_equal(column, want)
    if len(view) and names:
        first = view[0]
        if isinstance(keys, (str, int)):
            assert first == expected[0, 0]
        else:
            assert first == tuple(expected[:, 0])


def test_mode_rules(make_table):
    for mode in (tuple, dict, None):
        keys = ('x',) if mode is None else ('a', 'b', 'c')
        t = make_table(mode, keys=keys)
        assert t.slice[1:3].mode is mode
        assert t.slice[:, 0].mode is None
        assert t.slice[:, (0,)].mode is (mode or tuple)
    d = make_table(dict).slice[[2], ('b',)]
    assert d[0] == {'b': 102}


SLICES = [slice(None), slice(1, None), slice(None, None, 2), slice(7, 0, -1),
          slice(None, None, -3), slice(-4, -1), slice(5, 5), [3, 1, 0]]


def test_nested_slices_compose(make_table):
    # Every pair (and a sample of triples) of row selections, applied one
    # after the other, against the same selections on a NumPy array.
    t = make_table(tuple, n_rows=12)
    for first, second in itertools.product(SLICES, repeat=2):
        outer = numpy.arange(12)[first]
        if isinstance(second, list) and max(second) >= len(outer):
            continue   # not valid rows of the first view
        want = outer[second]
        view = t.slice[first].slice[second]
        assert len(view) == len(want)
        numpy.testing.assert_array_equal(view.fetch()[0], want,
                                         err_msg=str((first, second)))
    view = t.slice[::-1].slice[1::2].slice[[0, -1]]
    numpy.testing.assert_array_equal(view.fetch()[0],
                                     numpy.arange(12)[::-1][1::2][[0, -1]])


def test_nested_views_ask_the_base_once(make_table):
    t = make_table(tuple)
    view = t.slice[2:, ('c', 'a')].slice[::2, (1,)]
    t.calls.clear()
    numpy.testing.assert_array_equal(view.fetch()[0], [2, 4, 6, 8])
    (rows, keys), = t.calls
    assert isinstance(rows, slice)   # still a slice, not a list of rows
    assert list(range(*rows.indices(10))) == [2, 4, 6, 8]
    assert keys == (0,)


def test_slice_errors(make_table):
    t = make_table(tuple)
    with pytest.raises(ValueError, match='one entry per row'):
        t.slice[[True, False]]
    with pytest.raises(IndexError, match='out of bounds'):
        t.slice[[10]]
    with pytest.raises(IndexError, match='out of bounds'):
        t.slice[[-11]]
    with pytest.raises(TypeError, match='all ints or all bools'):
        t.slice[[1, True]]
    with pytest.raises(TypeError, match='all ints or all bools'):
        t.slice[[1.5]]
    with pytest.raises(TypeError, match='rows must be a slice'):
        t.slice[3]
    with pytest.raises(TypeError, match='ints or bools, got dtype'):
        t.slice[numpy.array([0.5])]
    with pytest.raises(ValueError, match='one-dimensional'):
        t.slice[numpy.zeros((2, 2), dtype=int)]
    with pytest.raises(ValueError, match='step cannot be zero'):
        t.slice[::0]
    with pytest.raises(KeyError, match="key 'z' does not exist"):
        t.slice[:, 'z']
    with pytest.raises(IndexError, match='key index 3 is out of bounds'):
        t.slice[:, (3,)]
    with pytest.raises(TypeError, match='a key must be a str or an int'):
        t.slice[:, (1.0,)]
    with pytest.raises(TypeError, match='keys must be a key'):
        t.slice[:, ['a', 'b']]
    with pytest.raises(IndexError, match=r'\[rows\] or \[rows, keys\]'):
        t.slice[1:, 'a', 'b']


def test_convert_is_the_base_one(make_table):
    t = make_table(tuple).with_converter(lambda a, b, c: 'converted')
    assert t.slice[1:].convert(t.slice[1:].fetch()) == 'converted'
