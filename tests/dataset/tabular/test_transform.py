import numpy
import pytest


def _tuple_out(a, b, c):
    return a + b, c * 2


def _dict_out(a, b, c):
    return {'s': a + b, 'd': c * 2}


def _single_out(a, b, c):
    return a + b + c


@pytest.mark.parametrize('in_mode', [tuple, dict])
@pytest.mark.parametrize('function,out_mode', [
    (_tuple_out, tuple), (_dict_out, dict), (_single_out, None)])
def test_transform(make_table, in_mode, function, out_mode):
    t = make_table(in_mode)
    keys = 'x' if out_mode is None else ('s', 'd')
    calls = []

    def counted(**kwargs):
        calls.append(kwargs)
        return function(**kwargs)

    if in_mode is tuple:
        def wrapped(a, b, c):
            return counted(a=a, b=b, c=c)
    else:
        wrapped = counted
    view = t.transform(keys, wrapped)
    assert len(view) == 10
    assert view.keys == (keys if isinstance(keys, tuple) else (keys,))
    example = view[3]
    assert view.mode is out_mode
    a, b, c = 3, 103, 203
    if out_mode is tuple:
        assert example == (a + b, c * 2)
    elif out_mode is dict:
        assert example == {'s': a + b, 'd': c * 2}
    else:
        assert example == a + b + c
    assert len(calls) == 1   # no extra call to learn the mode
    fetched = view.fetch()
    first = fetched if out_mode is None else (
        fetched['s'] if out_mode is dict else fetched[0])
    reference = t.values.sum(0) if out_mode is None else \
        t.values[0] + t.values[1]
    numpy.testing.assert_array_equal(first, reference)
    assert len(calls) == 11


def test_transform_of_a_single_column(make_table):
    t = make_table(None, keys=('x',))
    view = t.transform(('sq', 'neg'), lambda x: (x * x, -x))
    assert view[4] == (16, -4)
    assert view.slice[:, 'neg'].fetch() == [-i for i in range(10)]


def test_mode_is_learnt_from_the_first_example(make_table):
    t = make_table(tuple)
    calls = []
    view = t.transform('x', lambda a, b, c: calls.append(a) or a)
    assert view.mode is None
    assert calls == [0]


def test_key_indices_pick_outputs(make_table):
    view = make_table(tuple).transform(('p', 'q', 'r'),
                                       lambda a, b, c: (c, b, a))
    columns = view.get_examples([1, 2], (2, 0))
    assert columns == ([1, 2], [201, 202])


def test_transform_errors(make_table):
    t = make_table(tuple)
    changing = t.transform('x', lambda a, b, c: (a,) if a == 0 else a)
    with pytest.raises(ValueError, match='must not change its return type'):
        changing.fetch()
    with pytest.raises(ValueError, match='tuple of 1 values, but there are '
                                         '2 keys'):
        t.transform(('x', 'y'), lambda a, b, c: (a,))[0]
    with pytest.raises(KeyError, match=r"without the keys \['y'\]"):
        t.transform(('x', 'y'), lambda a, b, c: {'x': a})[0]
    with pytest.raises(ValueError, match='single value'):
        t.transform(('x', 'y'), lambda a, b, c: a)[0]
    with pytest.raises(TypeError, match='keys must be a str'):
        t.transform(3, lambda a, b, c: a)
    with pytest.raises(TypeError, match='keys must be a str'):
        t.transform((), lambda a, b, c: a)
    with pytest.raises(TypeError, match='must be callable'):
        t.transform('x', 'not callable')
    with pytest.raises(ValueError, match='empty'):
        make_table(tuple, n_rows=0).transform('x', lambda a, b, c: a).mode
    assert make_table(tuple, n_rows=0).transform(
        'x', lambda a, b, c: a)[:] == []


@pytest.mark.parametrize('in_mode', [tuple, dict])
def test_transform_batch(make_table, in_mode):
    t = make_table(in_mode)
    calls = []

    def function(a, b, c):
        calls.append(len(a))
        return {'s': a + b, 'd': c * 2}

    view = t.transform_batch(('s', 'd'), function)
    columns = view.get_examples(slice(2, 8, 3), None)
    numpy.testing.assert_array_equal(columns[0], [102 + 2, 105 + 5])
    numpy.testing.assert_array_equal(columns[1], [404, 410])
    assert calls == [2]
    assert view.mode is dict
    assert view[9] == {'s': 118, 'd': 418}
    fetched = view.fetch()
    numpy.testing.assert_array_equal(fetched['d'], 2 * t.values[2])
    assert calls == [2, 1, 10]


def test_transform_batch_single_column(make_table):
    view = make_table(None, keys=('x',)).transform_batch(
        'y', lambda x: numpy.asarray(x) * 10)
    assert view.mode is None
    numpy.testing.assert_array_equal(view.fetch(), numpy.arange(10) * 10)
    assert view[2] == 20


def test_transform_batch_errors(make_table):
    t = make_table(tuple)
    with pytest.raises(ValueError, match='must not change the number of '
                                         'rows'):
        t.transform_batch('x', lambda a, b, c: a[:-1]).fetch()
    with pytest.raises(TypeError, match='must return columns'):
        t.transform_batch('x', lambda a, b, c: 3).fetch()
    with pytest.raises(ValueError, match='tuple of 3 values'):
        t.transform_batch(('x', 'y'), lambda a, b, c: (a, b, c)).fetch()
    changing = t.transform_batch(
        'x', lambda a, b, c: a if len(a) == 1 else (a,))
    changing[0]
    with pytest.raises(ValueError, match='must not change its return type'):
        changing.fetch()


def test_convert_is_the_source_one(make_table):
    t = make_table(tuple).with_converter(lambda *columns: 'source')
    view = t.transform('x', lambda a, b, c: a)
    assert view.convert(view.fetch()) == 'source'
