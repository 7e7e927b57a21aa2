import numpy
import pytest

import dynet
from dynet.dataset import tabular


def test_docs_examples():
    assert tabular.from_data([0, 1, 2])[0] == 0
    assert tabular.from_data(([0, 1, 2], [3, 4, 5]))[0] == (0, 3)
    dataset = tabular.from_data((('a', [0, 1, 2]), ('b', [3, 4, 5])))
    assert dataset.keys == ('a', 'b')
    assert dataset[0] == (0, 3)
    dataset = tabular.from_data({'a': [0, 1, 2], 'b': [3, 4, 5]})
    assert sorted(dataset[0].items()) == [('a', 0), ('b', 3)]
    dataset = tabular.from_data(('a', lambda i: i * i), size=10)
    assert dataset[5] == 25


def test_kinds_of_data():
    array = numpy.arange(6).reshape(3, 2)
    single = tabular.from_data(array)
    assert single.mode is None
    assert len(single.keys) == 1 and single.keys[0].startswith('_')
    assert single.fetch() is array
    numpy.testing.assert_array_equal(single[1], [2, 3])

    named = tabular.from_data(('x', ['p', 'q', 'r']))
    assert named.keys == ('x',) and named.mode is None
    assert named[1:] == ['q', 'r']

    several = tabular.from_data((('d', 'e'), lambda i: {'d': i, 'e': -i}),
                                size=4)
    assert several.keys == ('d', 'e')
    assert several.mode is dict
    assert several[3] == {'d': 3, 'e': -3}

    mixed = tabular.from_data((array, ('f', lambda i: i + 0.5),
                               (('g', 'h'), lambda i: (i, 2 * i))))
    assert mixed.mode is tuple and len(mixed) == 3
    example = mixed[2]
    numpy.testing.assert_array_equal(example[0], [4, 5])
    assert example[1:] == (2.5, 2, 4)

    as_dict = tabular.from_data({'a': numpy.arange(3), ('b', 'c'):
                                 lambda i: (i * 10, i * 100)})
    assert as_dict[2] == {'a': 2, 'b': 20, 'c': 200}
    # The length can come from size alone.
    assert len(tabular.from_data({'a': lambda i: i}, size=7)) == 7


def test_callables_receive_row_numbers_in_slices():
    seen = []
    dataset = tabular.from_data(('x', lambda i: seen.append(i) or i),
                                size=10)
    assert dataset.slice[8:2:-3].fetch() == [8, 5]
    assert seen[-2:] == [8, 5]


def test_from_data_errors():
    with pytest.raises(ValueError, match='needs size='):
        tabular.from_data(('a', lambda i: i))
    with pytest.raises(ValueError, match='a callable needs a key'):
        tabular.from_data(([0, 1], lambda i: i))
    with pytest.raises(ValueError, match='same length'):
        tabular.from_data(([0, 1], [0, 1, 2]))
    with pytest.raises(ValueError, match='same length'):
        tabular.from_data({'a': [0, 1]}, size=3)
    with pytest.raises(TypeError, match='must be a list, an array or a '
                                        'callable, got int'):
        tabular.from_data(('a', 3))
    with pytest.raises(TypeError, match='got tuple'):
        tabular.from_data(((1, 2), (3, 4)))
    with pytest.raises(TypeError, match='several keys'):
        tabular.from_data((('a', 'b'), [1, 2]))
    with pytest.raises(ValueError, match='size must be a non-negative int'):
        tabular.from_data([1], size=-1)
    with pytest.raises(ValueError, match='empty tuple'):
        tabular.from_data(())
    same = [1, 2]
    with pytest.raises(ValueError, match='keys must be unique'):
        tabular.from_data((same, same))


def test_delegate_dataset_docs_example():
    class MyDataset(tabular.DelegateDataset):

        def __init__(self):
            super().__init__(tabular.from_data((
                ('a', numpy.arange(10)),
                ('b', self.get_b),
                ('c', [3, 1, 4, 5, 9, 2, 6, 8, 7, 0]),
                (('d', 'e'), self.get_de))))

        def get_b(self, i):
            return 'b[{}]'.format(i)

        def get_de(self, i):
            return {'d': 'd[{}]'.format(i), 'e': 'e[{}]'.format(i)}

    dataset = MyDataset()
    assert len(dataset) == 10
    assert dataset.keys == ('a', 'b', 'c', 'd', 'e')
    assert dataset[0] == (0, 'b[0]', 3, 'd[0]', 'e[0]')
    assert isinstance(dataset, dynet.dataset.tabular.DelegateDataset)
    assert dataset.slice[-1:, ('e', 'c')][0] == ('e[9]', 0)
    with pytest.raises(TypeError, match='DelegateDataset: expected a '
                                        'TabularDataset'):
        tabular.DelegateDataset([1, 2])


def test_delegate_dataset_forwards_convert():
    inner = tabular.from_data(([1, 2], [3, 4])).with_converter(
        lambda a, b: (sum(a), sum(b)))
    dataset = tabular.DelegateDataset(inner)
    assert dataset.convert(dataset.fetch()) == (3, 7)


def test_astuple_asdict(make_table):
    t = make_table(None, keys=('x',))
    assert t.astuple()[2] == (2,)
    assert t.astuple().mode is tuple
    assert t.asdict()[2] == {'x': 2}
    assert t.asdict().astuple().fetch()[0].tolist() == list(range(10))
    assert make_table(dict).astuple()[1] == (1, 101, 201)


def test_with_converter(make_table):
    for mode in (tuple, dict, None):
        keys = ('x',) if mode is None else ('a', 'b', 'c')
        t = make_table(mode, keys=keys)
        received = []

        def converter(*args, **kwargs):
            received.append((args, kwargs))
            return 'converted'

        view = t.with_converter(converter)
        assert view.keys == t.keys and view.mode is mode
        assert len(view) == len(t)
        assert view.convert(view.fetch()) == 'converted'
        (args, kwargs), = received
        if mode is tuple:
            assert len(args) == 3 and kwargs == {}
            numpy.testing.assert_array_equal(args[1], t.values[1])
        elif mode is dict:
            assert args == () and sorted(kwargs) == ['a', 'b', 'c']
            numpy.testing.assert_array_equal(kwargs['c'], t.values[2])
        else:
            assert len(args) == 1 and kwargs == {}
    with pytest.raises(TypeError, match='converter must be callable'):
        t.with_converter(None)


def test_cupy_columns_convert_on_their_device():
    cupy = pytest.importorskip('cupy')
    try:
        cupy.cuda.runtime.getDeviceCount()
    except Exception:
        pytest.skip('no GPU')
    dataset = tabular.from_data((cupy.arange(3), [cupy.ones(2)] * 3))
    a, b = dataset.convert(dataset.fetch())
    assert isinstance(a, cupy.ndarray) and isinstance(b, cupy.ndarray)
    assert b.shape == (3, 2)
    assert dataset.slice[[2, 0]].fetch()[0].tolist() == [2, 0]
