import numpy
import pytest

from dynet import datasets


def test_int_slice_list_and_negative_indexes():
    a = numpy.arange(10)
    b = numpy.arange(10) * 10
    c = [str(i) for i in range(10)]
    d = datasets.TupleDataset(a, b, c)
    assert len(d) == 10
    assert d[3] == (3, 30, '3')
    assert d[-1] == (9, 90, '9')
    assert d[2:8:3] == [(2, 20, '2'), (5, 50, '5')]
    assert d[::-4] == [(9, 90, '9'), (5, 50, '5'), (1, 10, '1')]
    arrays_only = datasets.TupleDataset(a, b)
    assert arrays_only[[1, 4]] == [(1, 10), (4, 40)]
    assert arrays_only[numpy.array([0, -1])] == [(0, 0), (9, 90)]
    assert d[20:] == []
    with pytest.raises(IndexError):
        d[10]


def test_array_slices_stay_arrays():
    x = numpy.arange(12, dtype=numpy.float32).reshape(6, 2)
    t = numpy.arange(6, dtype=numpy.int32)
    d = datasets.TupleDataset(x, t)
    example = d[1]
    assert isinstance(example, tuple)
    numpy.testing.assert_array_equal(example[0], [2, 3])
    assert example[1].dtype == numpy.int32


def test_errors():
    with pytest.raises(ValueError, match='no datasets'):
        datasets.TupleDataset()
    with pytest.raises(ValueError, match='length'):
        datasets.TupleDataset([1, 2], [1])
