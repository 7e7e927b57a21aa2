"""A small TabularDataset with known values, shared by the tabular tests."""
import numbers

import numpy
import pytest

from dynet.dataset import tabular  # NOQA: the package under test
from dynet.dataset.tabular.tabular_dataset import TabularDataset


class Table(TabularDataset):
    """``values[k, i]`` is ``100 * k + i``: column k, row i.

    Records every ``get_examples`` call and checks that the rows and keys
    it receives are in the normalized form the protocol promises.
    """

    def __init__(self, mode=tuple, n_rows=10, keys=('a', 'b', 'c'),
                 as_list=False):
        self._mode = mode
        self._keys = keys
        self.values = (100 * numpy.arange(len(keys))[:, None] +
                       numpy.arange(n_rows)[None, :])
        self.as_list = as_list
        self.calls = []

    def __len__(self):
        return self.values.shape[1]

    @property
    def keys(self):
        return self._keys

    @property
    def mode(self):
        return self._mode

    def get_examples(self, indices, key_indices):
        self.calls.append((indices, key_indices))
        n = len(self)
        if isinstance(indices, list):
            assert all(isinstance(i, numbers.Integral) and 0 <= i < n
                       for i in indices), indices
        else:
            assert indices is None or isinstance(indices, slice), indices
        if key_indices is not None:
            assert isinstance(key_indices, tuple), key_indices
            assert all(0 <= k < len(self._keys) for k in key_indices)
        values = self.values
        if indices is not None:
            values = values[:, indices]
        if key_indices is not None:
            values = values[list(key_indices)]
        if self.as_list:
            return tuple(column.tolist() for column in values)
        return tuple(values)


@pytest.fixture
def make_table():
    return Table
