import warnings

import numpy
import pytest

from dynet import datasets


def test_sub_dataset_plain_and_ordered():
    base = list(range(10))
    sub = datasets.SubDataset(base, 2, 6)
    assert len(sub) == 4
    assert [sub[i] for i in range(4)] == [2, 3, 4, 5]
    assert sub[-1] == 5 and sub[-4] == 2
    assert sub[1:3] == [3, 4]
    assert sub[[3, 0]] == [5, 2]
    with pytest.raises(IndexError):
        sub[4]
    with pytest.raises(IndexError):
        sub[-5]
    order = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]
    sub = datasets.SubDataset(base, 2, 6, order)
    assert sub[:] == [7, 6, 5, 4]
    assert sub[-1] == 4


def test_sub_dataset_errors():
    with pytest.raises(ValueError, match='overruns'):
        datasets.SubDataset(list(range(3)), 0, 4)
    with pytest.raises(ValueError, match='overruns'):
        datasets.SubDataset(list(range(3)), -1, 2)
    with pytest.raises(ValueError, match='order'):
        datasets.SubDataset(list(range(3)), 0, 2, [0, 1])


def test_split_dataset():
    base = list(range(7))
    a, b = datasets.split_dataset(base, 3)
    assert a[:] == [0, 1, 2] and b[:] == [3, 4, 5, 6]
    a, b = datasets.split_dataset(base, 3, order=[6, 5, 4, 3, 2, 1, 0])
    assert a[:] == [6, 5, 4] and b[:] == [3, 2, 1, 0]
    a, b = datasets.split_dataset(base, numpy.int64(0))
    assert len(a) == 0 and len(b) == 7
    with pytest.raises(TypeError):
        datasets.split_dataset(base, 2.5)
    with pytest.raises(ValueError):
        datasets.split_dataset(base, -1)
    with pytest.raises(ValueError):
        datasets.split_dataset(base, 8)


def test_split_dataset_random_is_seeded_permutation():
    base = list(range(20))
    a, b = datasets.split_dataset_random(base, 5, seed=3)
    assert len(a) == 5 and len(b) == 15
    assert sorted(a[:] + b[:]) == base
    expected = numpy.random.RandomState(3).permutation(20)
    assert a[:] == expected[:5].tolist()
    a2, _ = datasets.split_dataset_random(base, 5, seed=3)
    assert a2[:] == a[:]


def test_split_dataset_n():
    base = list(range(11))
    parts = datasets.split_dataset_n(base, 3)
    assert [p[:] for p in parts] == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    parts = datasets.split_dataset_n_random(base, 2, seed=0)
    expected = numpy.random.RandomState(0).permutation(11)
    assert parts[0][:] == expected[:5].tolist()
    assert parts[1][:] == expected[5:10].tolist()


def _plain_cross_validation(order, n_folds):
    # Reference: the k-th split (counting from 0) tests on the k-th block
    # from the end, of size n*(n_folds-k)//n_folds - n*(n_folds-k-1)//...
    n = len(order)
    borders = [n * i // n_folds for i in range(n_folds + 1)]
    splits = []
    rotated = list(order)
    for k in reversed(range(n_folds)):
        size = borders[k + 1] - borders[k]
        splits.append((rotated[:n - size], rotated[n - size:]))
        rotated = rotated[n - size:] + rotated[:n - size]
    return splits


@pytest.mark.parametrize('n,n_folds', [(10, 3), (9, 3), (7, 4), (5, 5)])
def test_cross_validation(n, n_folds):
    base = list(range(n))
    splits = datasets.get_cross_validation_datasets(base, n_folds)
    assert len(splits) == n_folds
    tests = []
    for (train, test), (ref_train, ref_test) in zip(
            splits, _plain_cross_validation(base, n_folds)):
        assert train[:] == ref_train and test[:] == ref_test
        assert sorted(train[:] + test[:]) == base
        tests.extend(test[:])
    assert sorted(tests) == base  # test sets partition the dataset
    sizes = [len(test) for _, test in splits]
    assert max(sizes) - min(sizes) <= 1


def test_cross_validation_order_and_random():
    base = list(range(8))
    order = [7, 6, 5, 4, 3, 2, 1, 0]
    splits = datasets.get_cross_validation_datasets(base, 2, order=order)
    assert splits[0][1][:] == [3, 2, 1, 0]
    assert splits[1][1][:] == [7, 6, 5, 4]
    assert order == [7, 6, 5, 4, 3, 2, 1, 0]  # not modified
    random_splits = datasets.get_cross_validation_datasets_random(
        base, 4, seed=1)
    perm = numpy.random.RandomState(1).permutation(8).tolist()
    for (train, test), (ref_train, ref_test) in zip(
            random_splits, _plain_cross_validation(perm, 4)):
        assert train[:] == ref_train and test[:] == ref_test


def test_cross_validation_n_fold_alias():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        splits = datasets.get_cross_validation_datasets(list(range(4)),
                                                        n_fold=2)
    assert len(splits) == 2
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)
    with pytest.raises(TypeError):
        datasets.get_cross_validation_datasets(list(range(4)), 2, foo=1)


def test_cross_validation_worked_example():
    # 5 examples, 2 folds: test blocks of 3 (the last) and 2 (the first).
    splits = datasets.get_cross_validation_datasets(list(range(5)), 2)
    assert [(train[:], test[:]) for train, test in splits] == [
        ([0, 1], [2, 3, 4]), ([2, 3, 4], [0, 1])]
