"""``with_converter(converter)``: the same data, another ``convert``."""
from dynet.dataset.tabular.delegate_dataset import DelegateDataset


class WithConverter(DelegateDataset):
    """``dataset`` whose ``convert`` calls ``converter``."""

    def __init__(self, dataset, converter):
        if not callable(converter):
            raise TypeError(
                'TabularDataset.with_converter: converter must be callable, '
                'got {}'.format(type(converter).__name__))
        super().__init__(dataset)
        self._converter = converter

    def convert(self, data):
        # Columns are passed the way transform passes values: positionally
        # for a tuple, by key for a dict, alone otherwise.
        if isinstance(data, tuple):
            return self._converter(*data)
        if isinstance(data, dict):
            return self._converter(**data)
        return self._converter(data)
