"""``transform`` and ``transform_batch``: datasets computed from another.

The new dataset's mode is the type of what the function returns (tuple,
dict, or anything else for mode None). It is learnt from the first call,
and a function that later returns another type is an error.
"""
from dynet.dataset.tabular import _index_utils
from dynet.dataset.tabular.tabular_dataset import TabularDataset
from dynet.dataset.tabular.tabular_dataset import normalized_keys


def _as_keys(keys, who):
    if isinstance(keys, str):
        return (keys,)
    if isinstance(keys, (tuple, list)) and keys and \
            all(isinstance(key, str) for key in keys):
        return tuple(keys)
    raise TypeError(
        '{}: keys must be a str or a non-empty tuple of str, got {!r}'
        .format(who, keys))


class _Transformed(TabularDataset):

    _who = None

    def __init__(self, dataset, keys, function):
        self._keys = _as_keys(keys, self._who)
        if not callable(function):
            raise TypeError('{}: the function must be callable, got {}'
                            .format(self._who, type(function).__name__))
        self._dataset = dataset
        self._function = function
        self._mode_seen = False
        self._mode = None

    def __len__(self):
        return len(self._dataset)

    @property
    def keys(self):
        return self._keys

    @property
    def mode(self):
        if not self._mode_seen:
            if len(self) == 0:
                raise ValueError(
                    '{}: the mode of a transformed dataset is the type the '
                    'function returns, and this dataset is empty, so it '
                    'has none'.format(self._who))
            self.get_examples([0], None)
        return self._mode

    def convert(self, data):
        return self._dataset.convert(data)

    def _call(self, values):
        # values: one entry per key of the source dataset.
        source_mode = self._dataset.mode
        if source_mode is dict:
            return self._function(
                **dict(zip(normalized_keys(self._dataset), values)))
        return self._function(*values)

    def _split(self, output):
        """The function's output as a tuple in key order; records the
        mode."""
        if isinstance(output, tuple):
            mode = tuple
            if len(output) != len(self._keys):
                raise ValueError(
                    '{}: the function returned a tuple of {} values, but '
                    'there are {} keys {}'.format(
                        self._who, len(output), len(self._keys), self._keys))
            values = output
        elif isinstance(output, dict):
            mode = dict
            missing = [key for key in self._keys if key not in output]
            if missing:
                raise KeyError(
                    '{}: the function returned a dict without the keys {}'
                    .format(self._who, missing))
            values = tuple(output[key] for key in self._keys)
        else:
            mode = None
            if len(self._keys) != 1:
                raise ValueError(
                    '{}: the function returned a single value ({}), but '
                    'there are {} keys {}; return a tuple or a dict'.format(
                        self._who, type(output).__name__, len(self._keys),
                        self._keys))
            values = (output,)
        if self._mode_seen and mode is not self._mode:
            raise ValueError(
                '{}: the function must not change its return type (it '
                'returned {} before, {} now)'.format(
                    self._who, _mode_name(self._mode), _mode_name(mode)))
        self._mode, self._mode_seen = mode, True
        return values


def _mode_name(mode):
    return 'a single value' if mode is None else 'a ' + mode.__name__


class Transform(_Transformed):
    """``transform(example)`` for each example of ``dataset``."""

    _who = 'TabularDataset.transform'

    def get_examples(self, indices, key_indices):
        wanted = range(len(self._keys)) if key_indices is None \
            else key_indices
        n_rows = _index_utils.rows_length(indices, len(self._dataset))
        columns = self._dataset.get_examples(indices, None)
        rows = zip(*columns) if len(columns) > 0 else [()] * n_rows
        out = tuple([] for _ in wanted)
        for row in rows:
            values = self._split(self._call(row))
            for column, key_index in zip(out, wanted):
                column.append(values[key_index])
        return out


class TransformBatch(_Transformed):
    """``transform_batch(*columns)`` over the requested rows of
    ``dataset`` at once."""

    _who = 'TabularDataset.transform_batch'

    def get_examples(self, indices, key_indices):
        wanted = range(len(self._keys)) if key_indices is None \
            else key_indices
        n_rows = _index_utils.rows_length(indices, len(self._dataset))
        columns = self._dataset.get_examples(indices, None)
        out = self._split(self._call(tuple(columns)))
        for key, column in zip(self._keys, out):
            if not hasattr(column, '__len__'):
                raise TypeError(
                    '{}: the function must return columns (lists or '
                    'arrays); column {!r} is a {}'.format(
                        self._who, key, type(column).__name__))
            if len(column) != n_rows:
                raise ValueError(
                    '{}: the function must not change the number of rows: '
                    'column {!r} has {} rows, expected {}'.format(
                        self._who, key, len(column), n_rows))
        return tuple(out[key_index] for key_index in wanted)
