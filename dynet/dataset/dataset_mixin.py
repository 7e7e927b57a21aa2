"""DatasetMixin: indexing with ints, slices, lists and negative indexes
on top of ``__len__`` and ``get_example``."""
import numpy


class DatasetMixin:
    """Implement ``__len__`` and ``get_example(i)``; get ``dataset[i]``,
    ``dataset[a:b:c]`` and ``dataset[[i, j]]`` for free."""

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            return [self.get_example(i) for i in range(start, stop, step)]
        if isinstance(index, (list, numpy.ndarray)):
            return [self.get_example(self._normalize(int(i)))
                    for i in index]
        if isinstance(index, (int, numpy.integer)):
            return self.get_example(self._normalize(int(index)))
        raise TypeError('{}: index must be an int, a slice or a list of '
                        'ints, got {}'.format(type(self).__name__,
                                              type(index).__name__))

    def _normalize(self, index):
        n = len(self)
        if not -n <= index < n:
            raise IndexError('{} index {} is out of range for length {}'
                             .format(type(self).__name__, index, n))
        return index % n

    def __len__(self):
        raise NotImplementedError

    def get_example(self, i):
        raise NotImplementedError
