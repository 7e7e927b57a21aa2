"""Serialization in NumPy's NPZ format, file-compatible with Chainer.

The object tree is flattened into one archive entry per value, named by its
path: ``l1/W``, ``predictor/l1/b``, an optimizer's ``t`` and ``epoch`` and
its per-parameter state ``l1/W/t``, ``l1/W/m`` ... Python scalars are stored
as 0-dim arrays (``int`` as int64, ``float`` as float64, ``bool`` as bool,
``str`` as a unicode array) and converted back to the type of the target
value when loading.

Pickle. NumPy can store ``None`` only as an object array, i.e. a pickle, and
Chainer writes None values that way. dynet reads NPZ files with
``allow_pickle=False``; an object entry is read by an unpickler that knows
only the three NumPy names needed to rebuild an array (no other class or
function can be reached), and it is accepted only if every element is None.
Any other pickled object is refused with an error. When writing, None is
stored as the same pickle Chainer writes (naming
``numpy.core.multiarray._reconstruct``, which both NumPy 1.x and 2.x can
load), and other object values are refused (they could not be loaded back
without pickle).
"""
import io
import os
import pickle
import struct
import zipfile
import zlib

import numpy
import numpy.lib.format

from dynet import backend
from dynet.serializers import _atomic
from dynet.serializers import base

__all__ = ['DictionarySerializer', 'NpzDeserializer', 'save_npz',
           'load_npz']


class DictionarySerializer(base.Serializer):
    """Serializer into a flat dictionary of arrays keyed by path.

    It writes no file: ``target`` can be fed to ``numpy.savez`` (as
    :func:`save_npz` does, with None stored portably).

    Args:
        target (dict): the dictionary to fill (a new one if None).
        path (str): the path prefix of the keys this serializer writes.

    Attributes:
        target (dict): the dictionary of saved arrays.
        path (str): the key prefix ('' or ending with '/').
    """

    def __init__(self, target=None, path=''):
        self.target = {} if target is None else target
        self.path = path

    def __getitem__(self, key):
        key = key.strip('/')
        return DictionarySerializer(self.target, self.path + key + '/')

    def __call__(self, key, value):
        key = key.lstrip('/')
        stored = value
        if backend.is_cupy_array(stored):
            stored = stored.get()
        elif hasattr(stored, 'array') and hasattr(stored, 'grad'):
            stored = stored.array  # a Variable
            if backend.is_cupy_array(stored):
                stored = stored.get()
        self.target[self.path + key] = numpy.asarray(stored)
        return value


class NpzDeserializer(base.Deserializer):
    """Deserializer reading an NPZ archive (or any mapping of arrays).

    Args:
        npz: the opened archive (``numpy.load(file)``) or a dict of arrays
            (e.g. a ``DictionarySerializer``'s ``target``).
        path (str): the prefix of the keys to read ('' or ending with '/').
        strict (bool): if True, a key missing from the archive raises
            ``KeyError``; if False it is skipped and the value kept.
        ignore_names (str, callable or list of them): keys to skip. A
            string is compared with the full key (``path`` included); a
            callable gets the full key and returns True to skip it.

    ``load(obj)`` validates every entry before it modifies ``obj``: on any
    error (missing key, shape or dtype mismatch, damaged archive) ``obj``
    is left unchanged.
    """

    def __init__(self, npz, path='', strict=True, ignore_names=None):
        self.npz = npz
        self.path = path
        self.strict = strict
        self.ignore_names = _normalize_ignore_names(ignore_names)
        self._source = _NpzSource(npz)
        self._checking = False

    def _child(self, path, checking):
        child = object.__new__(type(self))
        child.npz = self.npz
        child.path = path
        child.strict = self.strict
        child.ignore_names = self.ignore_names
        child._source = self._source
        child._checking = checking
        return child

    def __getitem__(self, key):
        key = key.strip('/')
        return self._child(self.path + key + '/', self._checking)

    def __call__(self, key, value):
        key = self.path + key.lstrip('/')
        source = self._source
        present = source.contains(key)
        if not present and not self.strict:
            return value
        if _is_ignored(key, self.ignore_names):
            return value
        if not present:
            raise base._missing(key, source.description,
                                ' (pass strict=False to skip missing '
                                'entries)')
        stored = source.fetch(key, lambda: source.read(key), self._checking)
        return base._restore(stored, value, key, source.description,
                             self._checking)

    def load(self, obj):
        """Loads ``obj`` from the archive; nothing is modified on error."""
        checker = self._child(self.path, True)
        base._checked_load(self, checker, self._source, obj)


def _normalize_ignore_names(ignore_names):
    if ignore_names is None:
        return None
    if isinstance(ignore_names, (str, bytes)) or callable(ignore_names):
        return [ignore_names]
    return list(ignore_names)


def _is_ignored(key, ignore_names):
    if not ignore_names:
        return False
    for rule in ignore_names:
        if callable(rule):
            if rule(key):
                return True
        elif rule == key:
            return True
    return False


# ---------------------------------------------------------------------------
# Reading

# What reading a damaged archive can raise, from zipfile, zlib and
# numpy.lib.format.
_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError,
           struct.error, pickle.UnpicklingError, NotImplementedError,
           RuntimeError, IndexError, SyntaxError)


def _describe_file(file):
    if isinstance(file, (str, bytes, os.PathLike)):
        return repr(os.fsdecode(file))
    name = getattr(file, 'name', None)
    if isinstance(name, (str, bytes)):
        return repr(os.fsdecode(name))
    return 'the file object {}'.format(type(file).__name__)


def _describe_npz(npz):
    archive = getattr(npz, 'zip', None)
    if archive is None:
        return 'the given {}'.format(type(npz).__name__)
    filename = getattr(archive, 'filename', None)
    if filename:
        return repr(filename)
    fid = getattr(npz, 'fid', None)
    return 'the NPZ archive' if fid is None else _describe_file(fid)


class _NpzSource(base._Source):

    def __init__(self, npz):
        super().__init__(_describe_npz(npz))
        self.npz = npz
        self._is_archive = hasattr(npz, 'zip') and hasattr(npz, 'files')

    def contains(self, key):
        return key in self.npz

    def read(self, key):
        if not self._is_archive:
            return _from_mapping(self.npz[key])
        try:
            return _as_stored(self.npz[key])
        except ValueError as e:
            # NumPy refuses object entries when allow_pickle=False.
            if _entry_holds_objects(self.npz, key, self.description):
                return _read_pickled_none(self.npz, key, self.description)
            raise _damaged(self.description, key, e) from e
        except _DAMAGE as e:
            raise _damaged(self.description, key, e) from e


def _damaged(description, key, error):
    where = '' if key is None else ' (while reading {!r})'.format(key)
    return base._CorruptFileError(
        '{} is not a readable NPZ file: it is truncated, damaged or of '
        'another format{}: {}: {}'.format(
            description, where, type(error).__name__, error))


def _is_none_array(array):
    return (isinstance(array, numpy.ndarray) and array.dtype == object and
            array.ndim == 0 and array[()] is None)


def _as_stored(array):
    return None if _is_none_array(array) else array


def _from_mapping(value):
    # Entries of an in-memory mapping are copied so that the loaded object
    # never shares an array with the mapping.
    if backend.is_cupy_array(value):
        value = value.get()
    array = numpy.array(value, copy=True)
    return _as_stored(array)


def _open_entry(npz, key):
    return npz.zip.open(key + '.npy')


def _read_header(member):
    version = numpy.lib.format.read_magic(member)
    if version == (1, 0):
        return numpy.lib.format.read_array_header_1_0(member)
    if version == (2, 0):
        return numpy.lib.format.read_array_header_2_0(member)
    raise ValueError('unsupported .npy format version {}'.format(version))


def _entry_holds_objects(npz, key, description):
    try:
        with _open_entry(npz, key) as member:
            _, _, dtype = _read_header(member)
    except (KeyError,) + _DAMAGE as e:
        raise _damaged(description, key, e) from e
    return dtype.hasobject


# The only globals an object entry may name: what NumPy's array pickles use
# (``_reconstruct`` lives in numpy.core.multiarray in NumPy 1.x and in
# numpy._core.multiarray in 2.x; the object is taken from NumPy itself).
def _allowed_globals():
    reconstruct = numpy.array(0).__reduce__()[0]
    return {
        ('numpy.core.multiarray', '_reconstruct'): reconstruct,
        ('numpy._core.multiarray', '_reconstruct'): reconstruct,
        ('numpy', 'ndarray'): numpy.ndarray,
        ('numpy', 'dtype'): numpy.dtype,
        # Protocol-2 pickles spell bytes as _codecs.encode(text, 'latin1').
        ('_codecs', 'encode'): __import__('codecs').encode,
    }


class _ForbiddenGlobal(pickle.UnpicklingError):
    pass


class _ArrayOnlyUnpickler(pickle.Unpickler):

    def __init__(self, file):
        super().__init__(file, encoding='latin1')
        self._allowed = _allowed_globals()

    def find_class(self, module, name):
        found = self._allowed.get((module, name))
        if found is None:
            raise _ForbiddenGlobal(
                'refusing to load {}.{}: dynet reads NPZ files without '
                'unpickling arbitrary objects'.format(module, name))
        return found


def _read_pickled_none(npz, key, description):
    try:
        with _open_entry(npz, key) as member:
            _read_header(member)
            array = _ArrayOnlyUnpickler(member).load()
    except _ForbiddenGlobal as e:
        raise _pickled_object_error(description, key) from e
    except (KeyError,) + _DAMAGE as e:
        raise _damaged(description, key, e) from e
    if not isinstance(array, numpy.ndarray) or array.dtype != object or \
            any(x is not None for x in array.flat):
        raise _pickled_object_error(description, key)
    return None


def _pickled_object_error(description, key):
    return base._MismatchError(
        '{!r} in {} holds pickled Python objects; dynet loads NPZ files '
        'without pickle and accepts only None among object entries (load '
        'the archive with numpy.load(file, allow_pickle=True) yourself and '
        'pass it to NpzDeserializer if you trust the file)'.format(
            key, description))


def _open_npz(file, description):
    try:
        npz = numpy.load(file, allow_pickle=False)
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        raise
    except _DAMAGE + (KeyError,) as e:
        raise _damaged(description, None, e) from e
    if not isinstance(npz, numpy.lib.npyio.NpzFile):
        raise base._CorruptFileError(
            '{} is a single .npy array, not an NPZ archive'.format(
                description))
    return npz


# ---------------------------------------------------------------------------
# Writing

_none_npy_bytes = None


def _none_entry():
    """The bytes of the .npy entry holding None, loadable by NumPy 1.x and
    2.x (with allow_pickle=True) and by dynet."""
    global _none_npy_bytes
    if _none_npy_bytes is None:
        array = numpy.array(None)
        buffer = io.BytesIO()
        numpy.lib.format.write_array_header_1_0(
            buffer, numpy.lib.format.header_data_from_array_1_0(array))
        # Protocol 3 spells globals as text lines ("c<module>\n<name>\n"),
        # so the module can be renamed to the one NumPy 1.x knows.
        payload = pickle.dumps(array, protocol=3).replace(
            b'cnumpy._core.multiarray\n', b'cnumpy.core.multiarray\n')
        _none_npy_bytes = buffer.getvalue() + payload
    return _none_npy_bytes


def _prepare_entries(target):
    entries = []
    for key, value in target.items():
        if backend.is_cupy_array(value):
            value = value.get()
        array = numpy.asarray(value)
        if array.dtype.hasobject:
            if not _is_none_array(array):
                raise TypeError(
                    'save_npz: {!r} holds Python objects ({!r}), which NPZ '
                    'can store only as a pickle; dynet writes and reads NPZ '
                    'without pickle (None excepted). Store numbers, strings '
                    'or arrays instead.'.format(key, value))
            array = None
        entries.append((key, array))
    return entries


def _write_npz(fileobj, entries, compression):
    method = zipfile.ZIP_DEFLATED if compression else zipfile.ZIP_STORED
    with zipfile.ZipFile(fileobj, mode='w', compression=method,
                         allowZip64=True) as archive:
        for key, array in entries:
            with archive.open(key + '.npy', mode='w',
                              force_zip64=True) as member:
                if array is None:
                    member.write(_none_entry())
                else:
                    numpy.lib.format.write_array(member, array,
                                                 allow_pickle=False)


def save_npz(file, obj, compression=True):
    """Saves ``obj`` to an NPZ file.

    Args:
        file (str, path-like or file object): where to write. A path is
            written atomically: the data goes to a temporary file in the
            same directory that replaces ``file`` only once complete, so an
            error leaves any previous file intact. A file object is written
            directly, from its current position.
        obj: an object with a ``serialize`` method (a Link, an Optimizer,
            ...), or a dict of arrays saved as is.
        compression (bool): deflate the entries (as
            ``numpy.savez_compressed``) if True, store them (as
            ``numpy.savez``) if False.
    """
    if isinstance(obj, dict):
        target = obj
    else:
        serializer = DictionarySerializer()
        serializer.save(obj)
        target = serializer.target
    entries = _prepare_entries(target)
    if isinstance(file, (str, bytes, os.PathLike)):
        with _atomic.atomic_write(file) as f:
            _write_npz(f, entries, compression)
    else:
        _write_npz(file, entries, compression)


def load_npz(file, obj, path='', strict=True, ignore_names=None):
    """Loads ``obj`` from an NPZ file.

    Args:
        file (str, path-like or file object): the file to read.
        obj: the object to load into (it must have a ``serialize`` method).
        path (str): the prefix of the keys to read, e.g.
            ``'updater/model:main/'`` to load a model out of a trainer
            snapshot ('' or ending with '/').
        strict (bool): if True a key missing from the file raises
            ``KeyError``; if False it is skipped.
        ignore_names (str, callable or list of them): keys not to load
            (see :class:`NpzDeserializer`).

    Everything is read and validated before ``obj`` is modified: a missing
    key, a shape or dtype mismatch or a truncated/damaged file raises an
    error naming the key and the file and leaves ``obj`` unchanged.
    """
    description = _describe_file(file)
    with _open_npz(file, description) as npz:
        deserializer = NpzDeserializer(npz, path=path, strict=strict,
                                       ignore_names=ignore_names)
        deserializer._source.description = description
        deserializer.load(obj)
