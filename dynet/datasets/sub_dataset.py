"""SubDataset and the ways to split a dataset (holdout, n-way, k-fold)."""
import warnings

import numpy

from dynet.dataset.dataset_mixin import DatasetMixin


class SubDataset(DatasetMixin):
    """The examples ``start`` (inclusive) to ``finish`` (exclusive) of a
    base dataset, optionally through a permutation.

    Example ``i`` (``0 <= i < finish - start``) is ``dataset[start + i]``,
    or ``dataset[order[start + i]]`` when ``order`` is given. A negative
    ``i`` counts back from ``finish``.

    Args:
        dataset: the base dataset.
        start (int): first position (in ``order`` when given).
        finish (int): one past the last position.
        order (sequence of ints): a permutation of the base dataset's
            indexes, or None for the identity.
    """

    def __init__(self, dataset, start, finish, order=None):
        if start < 0 or finish > len(dataset):
            raise ValueError(
                'SubDataset: the interval [{}, {}) overruns the base '
                'dataset of length {}'.format(start, finish, len(dataset)))
        if order is not None and len(order) != len(dataset):
            raise ValueError(
                'SubDataset: order has length {} but the base dataset has '
                'length {}'.format(len(order), len(dataset)))
        self._dataset = dataset
        self._start = start
        self._finish = finish
        self._size = max(finish - start, 0)
        self._order = order

    def __len__(self):
        return self._size

    def get_example(self, i):
        if not -self._size <= i < self._size:
            raise IndexError('SubDataset index {} out of range for length '
                             '{}'.format(i, self._size))
        index = self._start + i if i >= 0 else self._finish + i
        if self._order is not None:
            index = self._order[index]
        return self._dataset[index]


def split_dataset(dataset, split_at, order=None):
    """Splits a dataset into ``(first, rest)`` at position ``split_at``.

    The first subset holds the examples ``order[:split_at]`` (or
    ``[:split_at]``), the second the rest; together they cover the dataset
    exactly once.
    """
    n_examples = len(dataset)
    if not isinstance(split_at, (int, numpy.integer)) or \
            isinstance(split_at, bool):
        raise TypeError('split_at must be int, got {} instead'.format(
            type(split_at)))
    if split_at < 0:
        raise ValueError('split_at must be non-negative, got {}'.format(
            split_at))
    if split_at > n_examples:
        raise ValueError('split_at ({}) exceeds the dataset size ({})'.format(
            split_at, n_examples))
    return (SubDataset(dataset, 0, split_at, order),
            SubDataset(dataset, split_at, n_examples, order))


def split_dataset_random(dataset, first_size, seed=None):
    """Splits a dataset into two random subsets of ``first_size`` and
    ``len(dataset) - first_size`` examples; the same ``seed`` gives the
    same split."""
    order = numpy.random.RandomState(seed).permutation(len(dataset))
    return split_dataset(dataset, first_size, order)


def split_dataset_n(dataset, n, order=None):
    """Splits a dataset into ``n`` subsets of ``len(dataset) // n`` examples
    each (the remaining ``len(dataset) % n`` examples are in none)."""
    size = len(dataset) // n
    return [SubDataset(dataset, size * i, size * (i + 1), order)
            for i in range(n)]


def split_dataset_n_random(dataset, n, seed=None):
    """``split_dataset_n`` over a random permutation drawn with ``seed``."""
    order = numpy.random.RandomState(seed).permutation(len(dataset))
    return split_dataset_n(dataset, n, order)


def get_cross_validation_datasets(dataset, n_folds=None, order=None,
                                  **kwargs):
    """Makes ``n_folds`` (train, test) splits for k-fold cross validation.

    The test sets do not overlap and together cover the dataset; their
    sizes differ by at most one. Split ``k``'s test set is the ``k``-th
    block from the end of ``order`` (the identity when None) and its
    training set is everything else, in the order obtained by rotating
    ``order``.

    ``n_fold`` is accepted as a deprecated alias of ``n_folds``.
    """
    if 'n_fold' in kwargs:
        warnings.warn('n_fold is deprecated; use n_folds', DeprecationWarning,
                      stacklevel=2)
        n_folds = kwargs.pop('n_fold')
    if kwargs:
        raise TypeError('get_cross_validation_datasets() got unexpected '
                        'keyword arguments: {}'.format(', '.join(kwargs)))
    if n_folds is None:
        raise TypeError('get_cross_validation_datasets() requires n_folds')
    whole_size = len(dataset)
    if order is None:
        order = numpy.arange(whole_size)
    else:
        order = numpy.array(order)
    borders = [whole_size * i // n_folds for i in range(n_folds + 1)]
    test_sizes = [borders[i + 1] - borders[i] for i in range(n_folds)]
    splits = []
    for test_size in reversed(test_sizes):
        splits.append(split_dataset(dataset, whole_size - test_size, order))
        # The next test block is the one just before this one: rotate it
        # to the end.
        order = numpy.roll(order, test_size)
    return splits


def get_cross_validation_datasets_random(dataset, n_folds, seed=None,
                                         **kwargs):
    """``get_cross_validation_datasets`` over a random permutation drawn
    with ``seed``."""
    order = numpy.random.RandomState(seed).permutation(len(dataset))
    return get_cross_validation_datasets(dataset, n_folds, order, **kwargs)
