"""ConcatenatedDataset: datasets one after the other."""
from dynet.dataset.dataset_mixin import DatasetMixin


class ConcatenatedDataset(DatasetMixin):
    """The examples of ``datasets[0]``, then those of ``datasets[1]``, ...

    Negative indexes count from the end of the whole concatenation.
    """

    def __init__(self, *datasets):
        self._datasets = datasets

    def __len__(self):
        return sum(len(dataset) for dataset in self._datasets)

    def get_example(self, i):
        if i < 0:
            i += len(self)
            if i < 0:
                raise IndexError('ConcatenatedDataset index out of range')
        for dataset in self._datasets:
            if i < len(dataset):
                return dataset[i]
            i -= len(dataset)
        raise IndexError('ConcatenatedDataset index out of range')
