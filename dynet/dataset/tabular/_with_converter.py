"""``with_converter(converter)``: the same data, another ``convert``."""
from dynet.dataset.tabular.tabular_dataset import TabularDataset


class WithConverter(TabularDataset):
    """``dataset`` whose ``convert`` calls ``converter``."""

    def __init__(self, dataset, converter):
        if not callable(converter):
            raise TypeError(
                'TabularDataset.with_converter: converter must be callable, '
                'got {}'.format(type(converter).__name__))
        self._dataset = dataset
        self._converter = converter

    def __len__(self):
        return len(self._dataset)

    @property
    def keys(self):
        return self._dataset.keys

    @property
    def mode(self):
        return self._dataset.mode

    def get_examples(self, indices, key_indices):
        return self._dataset.get_examples(indices, key_indices)

    def convert(self, data):
        # Columns are passed the way transform passes values: positionally
        # for a tuple, by key for a dict, alone otherwise.
        if isinstance(data, tuple):
            return self._converter(*data)
        if isinstance(data, dict):
            return self._converter(**data)
        return self._converter(data)
