"""``concat(*datasets)``: the rows of several datasets, one after another."""
import bisect

from dynet import backend
from dynet.dataset.tabular import _index_utils
from dynet.dataset.tabular.tabular_dataset import TabularDataset
from dynet.dataset.tabular.tabular_dataset import check_dataset
from dynet.dataset.tabular.tabular_dataset import normalized_keys


class Concat(TabularDataset):
    """Rows of ``datasets[0]``, then of ``datasets[1]``, ...

    All datasets need the same keys; mode and ``convert`` are those of the
    first one. A column read from several datasets is one array when the
    pieces are arrays of one kind, dtype and row shape, else a list.
    """

    def __init__(self, *datasets):
        who = 'TabularDataset.concat'
        for dataset in datasets:
            check_dataset(dataset, who)
        keys = normalized_keys(datasets[0])
        for i, dataset in enumerate(datasets[1:], 1):
            if normalized_keys(dataset) != keys:
                raise ValueError(
                    '{}: all datasets must have the same keys; dataset 0 '
                    'has {}, dataset {} has {}'.format(
                        who, keys, i, normalized_keys(dataset)))
        self._datasets = datasets

    def __len__(self):
        return sum(len(dataset) for dataset in self._datasets)

    @property
    def keys(self):
        return self._datasets[0].keys

    @property
    def mode(self):
        return self._datasets[0].mode

    def convert(self, data):
        return self._datasets[0].convert(data)

    def get_examples(self, indices, key_indices):
        n_columns = len(normalized_keys(self)) if key_indices is None \
            else len(key_indices)
        if indices is None:
            pieces = [dataset.get_examples(None, key_indices)
                      for dataset in self._datasets]
            return _stack_pieces(pieces, n_columns)
        if isinstance(indices, slice):
            return self._get_range(
                range(*indices.indices(len(self))), key_indices, n_columns)
        return self._get_list(indices, key_indices, n_columns)

    def _get_range(self, selected, key_indices, n_columns):
        # Each dataset holds one contiguous run of the selected rows; ask
        # it for that run as a slice.
        pieces = []
        offset = 0
        for dataset in self._datasets:
            length = len(dataset)
            part = _part_in(selected, offset, length)
            if len(part) > 0:
                pieces.append(dataset.get_examples(
                    _index_utils.range_to_slice(part), key_indices))
            offset += length
        if selected.step < 0:
            pieces.reverse()
        return _stack_pieces(pieces, n_columns)

    def _get_list(self, indices, key_indices, n_columns):
        starts = []
        offset = 0
        for dataset in self._datasets:
            starts.append(offset)
            offset += len(dataset)
        # One request per dataset, then the rows are put back in the
        # order asked for.
        wanted = [[] for _ in self._datasets]
        origin = []
        for row in indices:
            which = bisect.bisect_right(starts, row) - 1
            wanted[which].append(row - starts[which])
            origin.append((which, len(wanted[which]) - 1))
        fetched = {}
        for which, rows in enumerate(wanted):
            if rows:
                fetched[which] = self._datasets[which].get_examples(
                    rows, key_indices)
        if not fetched:
            return tuple([] for _ in range(n_columns))
        if len(fetched) == 1:
            return tuple(next(iter(fetched.values())))
        order = sorted(fetched)
        base = {}
        total = 0
        for which in order:
            base[which] = total
            total += len(wanted[which])
        positions = [base[which] + p for which, p in origin]
        columns = []
        for c in range(n_columns):
            stacked = _concatenate([fetched[which][c] for which in order])
            if isinstance(stacked, list):
                columns.append([stacked[p] for p in positions])
            else:
                columns.append(stacked[positions])
        return tuple(columns)


def _part_in(selected, offset, length):
    """The rows of the range ``selected`` that fall in
    ``[offset, offset + length)``, shifted to start at 0 (a range)."""
    ascending = selected if selected.step > 0 else selected[::-1]
    low = bisect.bisect_left(ascending, offset)
    high = bisect.bisect_left(ascending, offset + length)
    part = ascending[low:high]
    if selected.step < 0:
        part = part[::-1]
    return range(part.start - offset, part.stop - offset, part.step)


def _stack_pieces(pieces, n_columns):
    if not pieces:
        return tuple([] for _ in range(n_columns))
    if len(pieces) == 1:
        return tuple(pieces[0])
    return tuple(_concatenate([piece[c] for piece in pieces])
                 for c in range(n_columns))


def _concatenate(parts):
    """One array if the parts are arrays that concatenate without changing
    any value's type, else a list of the values."""
    first = parts[0]
    array_types = backend.get_array_types()
    if all(isinstance(part, array_types) for part in parts) and \
            first.ndim >= 1 and all(
                type(part) is type(first) and part.dtype == first.dtype and
                part.shape[1:] == first.shape[1:] and
                backend.get_device_from_array(part) ==
                backend.get_device_from_array(first)
                for part in parts):
        return backend.get_array_module(first).concatenate(parts)
    return [value for part in parts for value in part]
