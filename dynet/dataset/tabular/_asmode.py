"""``astuple()`` and ``asdict()``: the same data in another mode."""
from dynet.dataset.tabular.tabular_dataset import TabularDataset


class _AsMode(TabularDataset):

    _mode = None

    def __init__(self, dataset):
        self._dataset = dataset

    def __len__(self):
        return len(self._dataset)

    @property
    def keys(self):
        return self._dataset.keys

    @property
    def mode(self):
        return self._mode

    def get_examples(self, indices, key_indices):
        return self._dataset.get_examples(indices, key_indices)

    def convert(self, data):
        return self._dataset.convert(data)


class AsTuple(_AsMode):
    """``dataset`` with mode ``tuple``."""
    _mode = tuple


class AsDict(_AsMode):
    """``dataset`` with mode ``dict``."""
    _mode = dict
