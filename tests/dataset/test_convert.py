import numpy
import pytest

from dynet import dataset


def test_concat_tuples_dicts_and_arrays():
    batch = [(numpy.ones(2), 1), (numpy.zeros(2), 2)]
    x, t = dataset.concat_examples(batch)
    numpy.testing.assert_array_equal(x, [[1, 1], [0, 0]])
    numpy.testing.assert_array_equal(t, [1, 2])
    d = dataset.concat_examples([{'a': numpy.ones(1)}, {'a': numpy.ones(1)}])
    assert d['a'].shape == (2, 1)
    assert dataset.concat_examples([numpy.ones(3)] * 4).shape == (4, 3)


def test_padding():
    batch = [(numpy.ones(2, 'f'), numpy.ones(1, 'i')),
             (numpy.ones(3, 'f'), numpy.ones(2, 'i'))]
    x, t = dataset.concat_examples(batch, padding=(0, -1))
    numpy.testing.assert_array_equal(x, [[1, 1, 0], [1, 1, 1]])
    numpy.testing.assert_array_equal(t, [[1, -1], [1, 1]])
    with pytest.raises(ValueError, match='numbers of axes'):
        dataset.concat_examples([numpy.ones(2), numpy.ones((1, 1))],
                                padding=0)


def test_device_and_errors():
    x = dataset.concat_examples([numpy.ones(2)], device=-1)
    assert isinstance(x, numpy.ndarray)
    with pytest.raises(ValueError, match='empty'):
        dataset.concat_examples([])
    assert dataset.to_device(None, 3) == 3


def test_dataset_mixin_indexing():
    class Squares(dataset.DatasetMixin):
        def __len__(self):
            return 5

        def get_example(self, i):
            return i * i

    d = Squares()
    assert d[2] == 4 and d[-1] == 16 and d[1:4] == [1, 4, 9]
    assert d[[0, -2]] == [0, 9] and d[::2] == [0, 4, 16]
    with pytest.raises(IndexError, match='out of range'):
        d[5]
    with pytest.raises(TypeError, match='index must be'):
        d['a']
