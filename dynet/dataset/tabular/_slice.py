"""``dataset.slice[rows, keys]``: a view of some rows and columns."""
from dynet.dataset.tabular import _index_utils
from dynet.dataset.tabular.tabular_dataset import TabularDataset
from dynet.dataset.tabular.tabular_dataset import normalized_keys


class Slice(TabularDataset):
    """Rows ``rows`` and columns ``keys`` of ``dataset``, read lazily.

    A single key (not a tuple) gives mode ``None``; a tuple of keys keeps
    the dataset's mode (``tuple`` if that was ``None``); no keys keeps all
    columns and the mode.
    """

    def __init__(self, dataset, rows, keys):
        who = 'TabularDataset.slice'
        self._dataset = dataset
        self._rows = _index_utils.normalize_rows(rows, len(dataset), who)
        self._key_indices, self._unary = _index_utils.normalize_keys(
            keys, normalized_keys(dataset), who)

    def __len__(self):
        return _index_utils.rows_length(self._rows, len(self._dataset))

    @property
    def keys(self):
        names = normalized_keys(self._dataset)
        if self._key_indices is None:
            return names
        return tuple(names[i] for i in self._key_indices)

    @property
    def mode(self):
        if self._unary is None:
            return self._dataset.mode
        if self._unary:
            return None
        return self._dataset.mode or tuple

    def get_examples(self, indices, key_indices):
        rows = _index_utils.compose_rows(
            self._rows, indices, len(self._dataset))
        keys = _index_utils.compose_keys(self._key_indices, key_indices)
        return self._dataset.get_examples(rows, keys)

    def convert(self, data):
        return self._dataset.convert(data)


class SliceHelper:
    """What ``dataset.slice`` returns; index it to get a view."""

    def __init__(self, dataset):
        self._dataset = dataset

    def __getitem__(self, args):
        if isinstance(args, tuple):
            if len(args) != 2:
                raise IndexError(
                    'TabularDataset.slice: expected [rows] or [rows, keys], '
                    'got {} entries'.format(len(args)))
            rows, keys = args
        else:
            rows, keys = args, None
        return Slice(self._dataset, rows, keys)
