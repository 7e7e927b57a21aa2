"""``join(*datasets)``: the columns of several datasets, side by side."""
from dynet.dataset.tabular.tabular_dataset import TabularDataset
from dynet.dataset.tabular.tabular_dataset import check_dataset
from dynet.dataset.tabular.tabular_dataset import normalized_keys


class Join(TabularDataset):
    """Columns of ``datasets[0]``, then of ``datasets[1]``, ...

    All datasets need the same length and distinct keys. The mode is the
    first dataset's mode that is not None (``tuple`` if all are None);
    ``convert`` is the first dataset's.
    """

    def __init__(self, *datasets):
        who = 'TabularDataset.join'
        for dataset in datasets:
            check_dataset(dataset, who)
        length = len(datasets[0])
        seen = set(normalized_keys(datasets[0]))
        for i, dataset in enumerate(datasets[1:], 1):
            if len(dataset) != length:
                raise ValueError(
                    '{}: all datasets must have the same length; dataset 0 '
                    'has {} rows, dataset {} has {}'.format(
                        who, length, i, len(dataset)))
            keys = normalized_keys(dataset)
            common = seen.intersection(keys)
            if common:
                raise ValueError(
                    '{}: keys must be unique among all datasets; dataset {} '
                    'repeats {}'.format(who, i, sorted(common)))
            seen.update(keys)
        self._datasets = datasets

    def __len__(self):
        return len(self._datasets[0])

    @property
    def keys(self):
        return tuple(key for dataset in self._datasets
                     for key in normalized_keys(dataset))

    @property
    def mode(self):
        for dataset in self._datasets:
            if dataset.mode:
                return dataset.mode
        return tuple

    def convert(self, data):
        return self._datasets[0].convert(data)

    def get_examples(self, indices, key_indices):
        if key_indices is None:
            return tuple(column for dataset in self._datasets
                         for column in dataset.get_examples(indices, None))
        # Ask each dataset once, for the columns of its own that are
        # wanted, then put the columns in the order asked for.
        columns = {}
        offset = 0
        for dataset in self._datasets:
            width = len(normalized_keys(dataset))
            own = []
            for key_index in key_indices:
                local = key_index - offset
                if 0 <= local < width and local not in own:
                    own.append(local)
            if own:
                fetched = dataset.get_examples(indices, tuple(own))
                for local, column in zip(own, fetched):
                    columns[offset + local] = column
            offset += width
        return tuple(columns[key_index] for key_index in key_indices)
