"""TabularDataset: a dataset whose examples all have the same columns.

Column ``k`` of row ``i`` is one value; an example is a whole row, given as
a tuple, a dict keyed by column name, or (for a single column) the bare
value, as ``mode`` says. Subclasses implement ``__len__``, ``keys``,
``mode`` and ``get_examples``; everything else (slicing into views,
concatenation, joins, transforms, conversion to arrays) is built on those.
"""
import numpy

from dynet import backend
from dynet.dataset.dataset_mixin import DatasetMixin


class TabularDataset(DatasetMixin):
    """Abstract base class of tabular datasets (Chainer's
    ``chainer.dataset.TabularDataset``).

    Implement:

    - ``__len__()``: the number of rows;
    - ``keys``: a tuple of column names (strings);
    - ``mode``: ``tuple``, ``dict`` or ``None`` (one column, examples are
      bare values): the type of what ``dataset[i]`` and ``fetch()`` return;
    - ``get_examples(indices, key_indices)``: a tuple with one list or array
      per requested column. ``indices`` is None (all rows), a slice or a
      list of non-negative ints; ``key_indices`` is None (all columns) or a
      tuple of column numbers.

    ``dataset[i]``, ``dataset[a:b]`` and ``dataset[[i, j]]`` work as for
    any ``DatasetMixin``, reading one example at a time through
    ``get_example``.
    """

    def __len__(self):
        raise NotImplementedError

    @property
    def keys(self):
        """Names of the columns: a tuple of strings."""
        raise NotImplementedError

    @property
    def mode(self):
        """``tuple``, ``dict`` or ``None``: how an example is represented."""
        raise NotImplementedError

    def get_examples(self, indices, key_indices):
        """Returns a tuple of columns (lists or arrays), one per requested
        key, holding the requested rows."""
        raise NotImplementedError

    # ------------------------------------------------------------ reading
    def get_example(self, i):
        length = len(self)
        if not -length <= i < length:
            raise IndexError(
                '{}: index {} is out of range for a dataset of {} rows'
                .format(type(self).__name__, i, length))
        columns = self._checked_examples([int(i) % length], None)
        return self._pack(tuple(column[0] for column in columns))

    def __iter__(self):
        return (self.get_example(i) for i in range(len(self)))

    def fetch(self):
        """All the data, column by column: a tuple of columns (mode
        ``tuple``), a dict of columns (mode ``dict``) or the only column
        (mode ``None``). Each column is a list or an array."""
        return self._pack(self._checked_examples(None, None))

    def convert(self, data):
        """Turns what ``fetch`` returned into arrays.

        By default each column becomes an array of the array module of its
        first element (NumPy or CuPy); ``with_converter`` replaces this.
        ``concat`` and ``join`` use the converter of their first dataset.
        """
        if isinstance(data, tuple):
            return tuple(_as_array(column) for column in data)
        if isinstance(data, dict):
            return {key: _as_array(column) for key, column in data.items()}
        return _as_array(data)

    # -------------------------------------------------------------- views
    @property
    def slice(self):
        """``dataset.slice[rows]`` or ``dataset.slice[rows, keys]``: a view
        of some rows and columns.

        ``rows`` is a slice, or a list/array of ints or of bools (one per
        row). ``keys`` is a tuple of key names or column numbers, or a
        single name or number (the view's mode is then ``None``).
        """
        from dynet.dataset.tabular import _slice
        return _slice.SliceHelper(self)

    def astuple(self):
        """A view of this dataset whose mode is ``tuple``."""
        from dynet.dataset.tabular import _asmode
        return _asmode.AsTuple(self)

    def asdict(self):
        """A view of this dataset whose mode is ``dict``."""
        from dynet.dataset.tabular import _asmode
        return _asmode.AsDict(self)

    def concat(self, *datasets):
        """This dataset's rows followed by those of ``datasets``, which
        must have the same keys."""
        from dynet.dataset.tabular import _concat
        return _concat.Concat(self, *datasets)

    def join(self, *datasets):
        """This dataset's columns followed by those of ``datasets``, which
        must have the same length and no key in common with each other."""
        from dynet.dataset.tabular import _join
        return _join.Join(self, *datasets)

    def transform(self, keys, transform):
        """A dataset of ``transform(example)`` for each example.

        Args:
            keys (str or tuple of str): names of the new columns.
            transform (callable): called with the example's values as
                positional arguments (mode ``tuple`` or ``None``) or as
                keyword arguments (mode ``dict``). It returns a tuple, a
                dict or a single value, which sets the new dataset's mode.
        """
        from dynet.dataset.tabular import _transform
        return _transform.Transform(self, keys, transform)

    def transform_batch(self, keys, transform_batch):
        """Like ``transform``, but ``transform_batch`` receives whole
        columns (lists or arrays) and returns columns of the same length."""
        from dynet.dataset.tabular import _transform
        return _transform.TransformBatch(self, keys, transform_batch)

    def with_converter(self, converter):
        """A view whose ``convert`` calls ``converter`` with the fetched
        columns: ``converter(*columns)`` in mode ``tuple``,
        ``converter(**columns)`` in mode ``dict``, ``converter(column)``
        in mode ``None``."""
        from dynet.dataset.tabular import _with_converter
        return _with_converter.WithConverter(self, converter)

    # ------------------------------------------------------------ helpers
    def _checked_examples(self, indices, key_indices):
        # A subclass's get_examples returning the wrong number of columns
        # would otherwise pair values with the wrong keys.
        columns = self.get_examples(indices, key_indices)
        expected = len(self.keys) if key_indices is None else \
            len(key_indices)
        if len(columns) != expected:
            raise ValueError(
                '{}.get_examples returned {} columns, expected {} (one per '
                'requested key)'.format(type(self).__name__, len(columns),
                                        expected))
        return tuple(columns)

    def _pack(self, values):
        # ``values`` holds one entry per key; read mode only now, after
        # get_examples ran (a transform learns its mode from its output).
        mode = self.mode
        if mode is tuple:
            return values
        if mode is dict:
            return dict(zip(self.keys, values))
        if mode is None:
            if len(values) != 1:
                raise ValueError(
                    '{}: mode None needs exactly one column, the dataset '
                    'has keys {}'.format(type(self).__name__, self.keys))
            return values[0]
        raise ValueError('{}: mode must be tuple, dict or None, got {!r}'
                         .format(type(self).__name__, mode))


def _as_array(column):
    if isinstance(column, backend.get_array_types()):
        return column
    if isinstance(column, (list, tuple)) and len(column) > 0 and \
            backend.is_cupy_array(column[0]):
        device = backend.get_device_from_array(column[0])
        with device:
            return device.xp.stack(
                [device.xp.asarray(value) for value in column])
    return numpy.asarray(column)


def check_dataset(dataset, who):
    """Raises TypeError unless ``dataset`` is a TabularDataset."""
    if not isinstance(dataset, TabularDataset):
        raise TypeError('{}: expected a TabularDataset, got {}'.format(
            who, type(dataset).__name__))


def normalized_keys(dataset):
    """``dataset.keys`` as a tuple (a subclass may return a list)."""
    return tuple(dataset.keys)
