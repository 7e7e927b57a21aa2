"""``from_data``: a TabularDataset from lists, arrays and functions."""
from dynet import backend
from dynet.dataset.tabular import _index_utils
from dynet.dataset.tabular.tabular_dataset import TabularDataset

_WHO = 'tabular.from_data'


def from_data(data, *, size=None):
    """Creates a TabularDataset from lists, arrays and callables.

    ``data`` is one of:

    - a list or array: one unnamed column (mode ``None``);
    - ``(key, list/array/callable)``: one named column (mode ``None``);
    - ``((key, ...), callable)``: named columns computed by ``callable(i)``,
      which returns a tuple or a dict;
    - a tuple of the above (named or not): their columns side by side,
      mode ``tuple``;
    - a dict ``{key: list/array/callable, (key, ...): callable}``: mode
      ``dict``.

    A callable receives the row number. ``size`` is the number of rows; it
    is needed when there is no list or array to take it from, and must
    agree with them otherwise.

    >>> from_data(([0, 1, 2], [3, 4, 5]))[0]
    (0, 3)
    >>> from_data(('a', lambda i: i * i), size=10)[5]
    25
    """
    if size is not None:
        if not _index_utils._is_int(size) or size < 0:
            raise ValueError('{}: size must be a non-negative int, got {!r}'
                             .format(_WHO, size))
        size = int(size)
    if isinstance(data, tuple):
        if _is_named_column(data):
            return _make_column(data[0], data[1], size)
        entries = [entry if _is_named_column(entry) else (None, entry)
                   for entry in data]
        if not entries:
            raise ValueError('{}: data is an empty tuple'.format(_WHO))
        size = _common_size([source for _, source in entries], size)
        columns = [_make_column(key, source, size) for key, source in entries]
        return columns[0].join(*columns[1:]).astuple()
    if isinstance(data, dict):
        if not data:
            raise ValueError('{}: data is an empty dict'.format(_WHO))
        size = _common_size(list(data.values()), size)
        columns = [_make_column(key, source, size)
                   for key, source in data.items()]
        return columns[0].join(*columns[1:]).asdict()
    return _make_column(None, data, size)


def _is_key(key):
    return isinstance(key, str) or (
        isinstance(key, tuple) and len(key) > 0 and
        all(isinstance(k, str) for k in key))


def _is_named_column(entry):
    return isinstance(entry, tuple) and len(entry) == 2 and _is_key(entry[0])


def _is_sized_source(source):
    return isinstance(source, list) or \
        isinstance(source, backend.get_array_types())


def _common_size(sources, size):
    for source in sources:
        if _is_sized_source(source):
            return len(source) if size is None else size
    return size


def _make_column(key, source, size):
    if _is_sized_source(source):
        if isinstance(key, tuple):
            raise TypeError(
                '{}: several keys {} need a callable that returns them, got '
                'a {}'.format(_WHO, key, type(source).__name__))
        if size is not None and len(source) != size:
            raise ValueError(
                '{}: all columns must have the same length: {} has {} rows, '
                'expected {}'.format(_WHO, _describe(key), len(source), size))
        if key is None:
            # Unnamed columns get a name that cannot clash with another
            # column's, as Chainer does.
            key = '_{}'.format(id(source))
        if isinstance(source, list):
            return _ListColumn(key, source)
        return _ArrayColumn(key, source)
    if callable(source):
        if key is None:
            raise ValueError(
                '{}: a callable needs a key (or a tuple of keys): give '
                '(key, callable)'.format(_WHO))
        if size is None:
            raise ValueError(
                '{}: a callable column needs size= when no list or array '
                'gives the number of rows'.format(_WHO))
        return _RowNumbers(size).transform(key, source)
    raise TypeError(
        '{}: {} must be a list, an array or a callable, got {}'.format(
            _WHO, _describe(key), type(source).__name__))


def _describe(key):
    return 'an unnamed column' if key is None else 'column {!r}'.format(key)


class _Column(TabularDataset):
    """One column (mode None) backed by a list or an array."""

    def __init__(self, key, data):
        self._key = key
        self._data = data

    def __len__(self):
        return len(self._data)

    @property
    def keys(self):
        return (self._key,)

    @property
    def mode(self):
        return None

    def get_examples(self, indices, key_indices):
        width = 1 if key_indices is None else len(key_indices)
        return (self._select(indices),) * width


class _ArrayColumn(_Column):

    def _select(self, indices):
        if indices is None:
            return self._data
        return self._data[indices]


class _ListColumn(_Column):

    def _select(self, indices):
        if indices is None:
            return self._data
        if isinstance(indices, slice):
            return self._data[indices]
        return [self._data[i] for i in indices]


class _RowNumbers(TabularDataset):
    """The row numbers 0 .. size-1 as one column named 'index'."""

    def __init__(self, size):
        self._size = size

    def __len__(self):
        return self._size

    @property
    def keys(self):
        return ('index',)

    @property
    def mode(self):
        return None

    def get_examples(self, indices, key_indices):
        rows = list(_index_utils.rows_as_sequence(indices, self._size))
        width = 1 if key_indices is None else len(key_indices)
        return (rows,) * width
