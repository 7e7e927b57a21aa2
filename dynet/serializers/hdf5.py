"""Serialization in HDF5 format (needs h5py), file-compatible with Chainer.

The object tree maps to HDF5 groups: a Chain's child ``l1`` is the group
``l1`` and its parameter ``W`` the dataset ``l1/W``; an optimizer's state
is under ``l1/W/m`` etc. Arrays of more than one element are gzip-compressed
(level ``compression``), scalars are stored uncompressed as 0-dim datasets
and None as an empty dataset (``h5py.Empty('f')``), all as Chainer does.
Strings cannot be stored (as in Chainer: h5py has no mapping for NumPy's
unicode arrays).

h5py is imported when a serializer is created, not with this module.
"""
import os

import numpy

from dynet import backend
from dynet.serializers import _atomic
from dynet.serializers import base

__all__ = ['HDF5Serializer', 'HDF5Deserializer', 'save_hdf5', 'load_hdf5']


def _import_h5py():
    try:
        import h5py
    except ImportError as e:
        raise RuntimeError(
            'h5py is not installed: the HDF5 serializers need it.\n'
            'Install it with:\n\n  $ pip install h5py') from e
    return h5py


class HDF5Serializer(base.Serializer):
    """Serializer writing into an HDF5 group.

    Args:
        group (h5py.Group): the group this serializer writes to (an open
            ``h5py.File`` for the root).
        compression (int): gzip level of the datasets with more than one
            element (None: no compression).
    """

    def __init__(self, group, compression=4):
        _import_h5py()
        self.group = group
        self.compression = compression

    def __getitem__(self, key):
        key = key.strip('/')
        group = self.group.require_group(key) if key else self.group
        return HDF5Serializer(group, self.compression)

    def __call__(self, key, value):
        h5py = _import_h5py()
        key = key.lstrip('/')
        if value is None:
            self.group.create_dataset(key, data=h5py.Empty('f'))
            return value
        array = value
        if hasattr(array, 'array') and hasattr(array, 'grad'):
            array = array.array  # a Variable
        if backend.is_cupy_array(array):
            array = array.get()
        array = numpy.asarray(array)
        if array.dtype.hasobject or array.dtype.kind == 'U':
            raise TypeError(
                'HDF5Serializer: cannot store {!r} ({!r}): HDF5 has no '
                'type for NumPy {} arrays'.format(
                    key, value, 'object' if array.dtype.hasobject
                    else 'unicode'))
        compression = None if array.size <= 1 else self.compression
        try:
            self.group.create_dataset(key, data=array,
                                      compression=compression)
        except TypeError as e:
            raise TypeError('HDF5Serializer: cannot store {!r} (dtype {}): '
                            '{}'.format(key, array.dtype, e)) from e
        return value


class HDF5Deserializer(base.Deserializer):
    """Deserializer reading from an HDF5 group.

    Args:
        group (h5py.Group): the group to read from (an open ``h5py.File``
            for the root).
        strict (bool): if True a missing dataset raises ``KeyError``; if
            False it is skipped and the value kept.

    ``load(obj)`` validates every entry before it modifies ``obj``: on any
    error ``obj`` is left unchanged.
    """

    def __init__(self, group, strict=True):
        _import_h5py()
        self.group = group
        self.strict = strict
        self._path = group.name.strip('/')
        self._source = base._Source(_describe_group(group))
        self._checking = False

    def _child(self, group, path, checking):
        child = object.__new__(type(self))
        child.group = group
        child.strict = self.strict
        child._path = path
        child._source = self._source
        child._checking = checking
        return child

    def _full(self, key):
        return self._path + '/' + key if self._path else key

    def __getitem__(self, key):
        h5py = _import_h5py()
        key = key.strip('/')
        if not key:
            return self._child(self.group, self._path, self._checking)
        group = None
        if self.group is not None and key in self.group:
            group = self.group[key]
            if not isinstance(group, h5py.Group):
                group = None
        # A missing group gives a child whose entries are all missing: the
        # error (strict) then names the full key.
        return self._child(group, self._full(key), self._checking)

    def __call__(self, key, value):
        h5py = _import_h5py()
        key = key.lstrip('/')
        full = self._full(key)
        source = self._source
        present = self.group is not None and key in self.group
        if not present:
            if not self.strict:
                return value
            raise base._missing(full, source.description,
                                ' (pass strict=False to skip missing '
                                'entries)')
        dataset = self.group[key]
        if not isinstance(dataset, h5py.Dataset):
            raise base._MismatchError(
                '{!r} in {} is a group, not a dataset'.format(
                    full, source.description))
        stored = source.fetch(full, lambda: _read(dataset, full, source),
                              self._checking)
        return base._restore(stored, value, full, source.description,
                             self._checking)

    def load(self, obj):
        """Loads ``obj`` from the group; nothing is modified on error."""
        checker = self._child(self.group, self._path, True)
        base._checked_load(self, checker, self._source, obj)


def _describe_group(group):
    try:
        filename = group.file.filename
    except Exception:  # pragma: no cover - h5py objects always have one
        filename = None
    if isinstance(filename, str) and filename:
        return repr(filename)
    return 'the HDF5 file'


def _read(dataset, full, source):
    try:
        if dataset.shape is None:  # h5py.Empty: a stored None
            return None
        return numpy.asarray(dataset[()])
    except (OSError, RuntimeError, ValueError, KeyError) as e:
        raise _damaged(source.description, full, e) from e


def _damaged(description, key, error):
    where = '' if key is None else ' (while reading {!r})'.format(key)
    return base._CorruptFileError(
        '{} is not a readable HDF5 file: it is truncated, damaged or of '
        'another format{}: {}: {}'.format(
            description, where, type(error).__name__, error))


def save_hdf5(filename, obj, compression=4):
    """Saves ``obj`` to an HDF5 file.

    Args:
        filename (str, path-like or file object): where to write. A path
            is written atomically (a temporary file in the same directory
            replaces it once complete; on error the old file is intact).
        obj: an object with a ``serialize`` method, or a dict of arrays
            saved as is.
        compression (int): gzip level of arrays with more than one element.
    """
    h5py = _import_h5py()

    def write(f):
        serializer = HDF5Serializer(f, compression=compression)
        if isinstance(obj, dict):
            for key, value in obj.items():
                serializer(key, value)
        else:
            serializer.save(obj)

    if isinstance(filename, (str, bytes, os.PathLike)):
        with _atomic.atomic_path(filename) as temp:
            with h5py.File(temp, 'w') as f:
                write(f)
    else:
        with h5py.File(filename, 'w') as f:
            write(f)


def load_hdf5(filename, obj):
    """Loads ``obj`` from an HDF5 file.

    Everything is read and validated before ``obj`` is modified: a missing
    key, a shape or dtype mismatch or a truncated/damaged file raises an
    error naming the key and the file and leaves ``obj`` unchanged.
    """
    h5py = _import_h5py()
    if isinstance(filename, (str, bytes, os.PathLike)):
        description = repr(os.fsdecode(filename))
    else:
        description = 'the HDF5 file object'
    try:
        f = h5py.File(filename, 'r')
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        raise
    except (OSError, ValueError, RuntimeError) as e:
        raise _damaged(description, None, e) from e
    with f:
        deserializer = HDF5Deserializer(f)
        deserializer._source.description = description
        deserializer.load(obj)
