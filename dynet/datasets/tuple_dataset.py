"""TupleDataset: several equally long datasets zipped into tuples."""
import numpy


def _is_batch_index(index):
    return isinstance(index, (slice, list, numpy.ndarray))


class TupleDataset:
    """Combines datasets of the same length: ``dataset[i]`` is
    ``(d0[i], d1[i], ...)``.

    Indexing with a slice, a list or an integer array gives a list of such
    tuples; each underlying dataset is indexed once with the whole index
    (so NumPy arrays are sliced, not read example by example).
    """

    def __init__(self, *datasets):
        if not datasets:
            raise ValueError('TupleDataset: no datasets are given')
        length = len(datasets[0])
        for i, dataset in enumerate(datasets):
            if len(dataset) != length:
                raise ValueError(
                    'TupleDataset: dataset {} has length {}, expected {} '
                    '(the length of dataset 0)'.format(
                        i, len(dataset), length))
        self._datasets = datasets
        self._length = length

    def __getitem__(self, index):
        batches = [dataset[index] for dataset in self._datasets]
        if _is_batch_index(index):
            n = len(batches[0])
            return [tuple(batch[i] for batch in batches) for i in range(n)]
        return tuple(batches)

    def __len__(self):
        return self._length
