import numpy

from dynet import datasets


def test_transform_applied_on_each_access():
    calls = []

    def transform(example):
        calls.append(example)
        return example * 2

    d = datasets.TransformDataset(list(range(5)), transform)
    assert len(d) == 5
    assert d[2] == 4
    assert d[-1] == 8
    assert d[1:3] == [2, 4]
    assert d[[0, 4]] == [0, 8]
    assert calls == [2, 4, 1, 2, 0, 4]


def test_transform_of_tuples():
    base = datasets.TupleDataset(numpy.arange(3), numpy.arange(3) + 10)
    d = datasets.TransformDataset(base, lambda ex: (ex[1], ex[0]))
    assert d[0] == (10, 0)
