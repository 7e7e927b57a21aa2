"""Row and column selections of tabular datasets.

A row selection handed to ``get_examples`` is ``None`` (every row), a
``slice``, or a list of non-negative ints. A column selection is ``None``
(every column) or a tuple of non-negative ints. The helpers here turn what
users write (negative ints, boolean masks, key names, NumPy arrays) into
that form, with clear errors, and compose the selections of nested views.
"""
import numbers

import numpy

from dynet.backend import is_cupy_array


def _is_int(value):
    return isinstance(value, (numbers.Integral, numpy.integer)) and \
        not isinstance(value, (bool, numpy.bool_))


def _is_bool(value):
    return isinstance(value, (bool, numpy.bool_))


def normalize_rows(rows, length, who):
    """Validates ``rows`` against a dataset of ``length`` rows.

    Returns None, a slice, or a list of non-negative ints.
    """
    if rows is None or isinstance(rows, slice):
        if isinstance(rows, slice) and rows.step == 0:
            raise ValueError('{}: slice step cannot be zero'.format(who))
        return rows
    if is_cupy_array(rows):
        rows = rows.get()
    if isinstance(rows, numpy.ndarray):
        if rows.ndim != 1:
            raise ValueError(
                '{}: an index array must be one-dimensional, got shape {}'
                .format(who, rows.shape))
        if rows.dtype.kind not in 'biu':
            raise TypeError(
                '{}: an index array must hold ints or bools, got dtype {}'
                .format(who, rows.dtype))
        rows = rows.tolist()
    elif isinstance(rows, (list, tuple, range)):
        rows = list(rows)
    else:
        raise TypeError(
            '{}: rows must be a slice or a list/array of ints or bools, got '
            '{}'.format(who, type(rows).__name__))

    if rows and all(_is_bool(row) for row in rows):
        if len(rows) != length:
            raise ValueError(
                '{}: a boolean mask must have one entry per row ({}), got {}'
                .format(who, length, len(rows)))
        return [i for i, keep in enumerate(rows) if keep]
    normalized = []
    for row in rows:
        if not _is_int(row):
            raise TypeError(
                '{}: rows must be all ints or all bools, got {!r}'.format(
                    who, row))
        row = int(row)
        if not -length <= row < length:
            raise IndexError(
                '{}: index {} is out of bounds for a dataset of {} rows'
                .format(who, row, length))
        normalized.append(row % length)
    return normalized


def rows_length(rows, length):
    """The number of rows that ``rows`` (normalized) selects."""
    if rows is None:
        return length
    if isinstance(rows, slice):
        return len(range(*rows.indices(length)))
    return len(rows)


def rows_as_sequence(rows, length):
    """``rows`` (normalized) as a range or a list of row numbers."""
    if rows is None:
        return range(length)
    if isinstance(rows, slice):
        return range(*rows.indices(length))
    return rows


def range_to_slice(selected):
    """A slice that picks the rows of ``selected`` (a range of valid row
    numbers) from a sequence."""
    if len(selected) == 0:
        return slice(0, 0, 1)
    stop = selected.stop
    if stop < 0:
        # A descending range that ends at row 0: a stop of -1 would mean
        # "the last row" to a slice.
        stop = None
    return slice(selected.start, stop, selected.step)


def compose_rows(outer, inner, outer_length):
    """Rows of a base dataset picked by selecting ``inner`` from a view
    whose rows are ``outer`` (both normalized; ``outer_length`` is the
    base's length)."""
    if inner is None:
        return outer
    if outer is None:
        return inner
    outer_rows = rows_as_sequence(outer, outer_length)
    if isinstance(inner, slice):
        picked = outer_rows[inner]
        return range_to_slice(picked) if isinstance(picked, range) \
            else picked
    return [outer_rows[i] for i in inner]


def normalize_keys(keys, names, who):
    """Validates a column selection against the key ``names``.

    Returns ``(key_indices, unary)``: ``key_indices`` is None or a tuple of
    column numbers; ``unary`` is True when a single key (not a tuple) was
    given, None when ``keys`` is None, else False.
    """
    if keys is None:
        return None, None
    if isinstance(keys, tuple):
        return tuple(_key_index(key, names, who) for key in keys), False
    if isinstance(keys, (str,)) or _is_int(keys):
        return (_key_index(keys, names, who),), True
    raise TypeError(
        '{}: keys must be a key (str or int) or a tuple of keys, got {}'
        .format(who, type(keys).__name__))


def _key_index(key, names, who):
    if _is_int(key):
        key = int(key)
        if not -len(names) <= key < len(names):
            raise IndexError(
                '{}: key index {} is out of bounds for {} keys {}'.format(
                    who, key, len(names), names))
        return key % len(names)
    if isinstance(key, str):
        try:
            return names.index(key)
        except ValueError:
            raise KeyError(
                '{}: key {!r} does not exist; the keys are {}'.format(
                    who, key, names)) from None
    raise TypeError('{}: a key must be a str or an int, got {!r}'.format(
        who, key))


def compose_keys(outer, inner):
    """Column numbers of a base dataset picked by selecting ``inner`` from
    a view whose columns are ``outer``."""
    if inner is None:
        return outer
    if outer is None:
        return inner
    return tuple(outer[i] for i in inner)
