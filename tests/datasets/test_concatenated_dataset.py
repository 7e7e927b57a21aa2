import pytest

from dynet import datasets


def test_concatenation():
    d = datasets.ConcatenatedDataset([0, 1, 2], [], [3], [4, 5])
    assert len(d) == 6
    assert [d[i] for i in range(6)] == list(range(6))
    assert d[-1] == 5 and d[-6] == 0
    assert d[1:5] == [1, 2, 3, 4]
    assert d[[5, 0, 3]] == [5, 0, 3]
    with pytest.raises(IndexError):
        d[6]
    with pytest.raises(IndexError):
        d[-7]
    assert len(datasets.ConcatenatedDataset()) == 0
