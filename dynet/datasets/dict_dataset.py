"""DictDataset: several equally long datasets combined into dicts."""
from dynet.datasets.tuple_dataset import _is_batch_index


class DictDataset:
    """Combines named datasets of the same length: ``dataset[i]`` is
    ``{name: d[i] for each name}``; a slice, list or integer array gives a
    list of such dicts."""

    def __init__(self, **datasets):
        if not datasets:
            raise ValueError('DictDataset: no datasets are given')
        length = None
        for key, dataset in datasets.items():
            if length is None:
                length = len(dataset)
                first = key
            elif len(dataset) != length:
                raise ValueError(
                    'DictDataset: dataset {!r} has length {}, expected {} '
                    '(the length of {!r})'.format(key, len(dataset), length,
                                                  first))
        self._datasets = datasets
        self._length = length

    def __getitem__(self, index):
        batches = {key: dataset[index]
                   for key, dataset in self._datasets.items()}
        if _is_batch_index(index):
            n = len(next(iter(batches.values())))
            return [{key: batch[i] for key, batch in batches.items()}
                    for i in range(n)]
        return batches

    def __len__(self):
        return self._length
