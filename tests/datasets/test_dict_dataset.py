import numpy
import pytest

from dynet import datasets


def test_indexing():
    d = datasets.DictDataset(x=numpy.arange(5), y=[c for c in 'abcde'])
    assert len(d) == 5
    assert d[1] == {'x': 1, 'y': 'b'}
    assert d[-1] == {'x': 4, 'y': 'e'}
    assert d[1:4:2] == [{'x': 1, 'y': 'b'}, {'x': 3, 'y': 'd'}]
    arrays = datasets.DictDataset(x=numpy.arange(5), y=numpy.arange(5) * 2)
    assert arrays[[0, 3]] == [{'x': 0, 'y': 0}, {'x': 3, 'y': 6}]


def test_errors():
    with pytest.raises(ValueError, match='no datasets'):
        datasets.DictDataset()
    with pytest.raises(ValueError, match="'b' has length 1"):
        datasets.DictDataset(a=[1, 2], b=[1])
