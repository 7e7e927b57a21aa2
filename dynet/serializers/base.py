"""Base classes of serializers and deserializers (``chainer.Serializer``,
``chainer.Deserializer``, ``chainer.AbstractSerializer``).

An object that can be saved defines ``serialize(serializer)`` and calls
``serializer(name, value)`` for each value and ``serializer[name]`` for a
nested object. When saving, the call stores ``value`` and returns it. When
loading, arrays are filled in place and returned; other values (numbers,
strings, None) are returned converted to the type of ``value``, and the
caller stores the result (``self.x = serializer('x', self.x)``); with
``value=None`` the stored array itself is returned.

Loading is all-or-nothing: ``Deserializer.load(obj)`` first runs
``obj.serialize`` with a *checking* deserializer that reads and validates
every entry (presence, shape, dtype, scalar conversion, file integrity)
while changing nothing — it returns each ``value`` unchanged, and None for
``value=None`` — and only then runs it again for real. A missing key, a
shape mismatch or a damaged file therefore raises before anything in the
target is modified. Arrays read during the check are kept for the second
pass, so every entry is read from the file once.
"""
import numpy

from dynet import backend

__all__ = ['AbstractSerializer', 'Serializer', 'Deserializer']


class AbstractSerializer:
    """Abstract base class of serializers and deserializers."""

    def __getitem__(self, key):
        """A child serializer for the object named ``key``."""
        raise NotImplementedError

    def __call__(self, key, value):
        """Saves or loads ``value`` under the name ``key``.

        A serializer stores ``value`` and returns it. A deserializer copies
        the stored array into ``value`` when it is an array, returns the
        stored value converted to ``type(value)`` when it is a scalar or a
        string, and returns the stored array when ``value`` is None. A
        stored None is returned as None and leaves ``value`` untouched.
        """
        raise NotImplementedError


class Serializer(AbstractSerializer):
    """Base class of serializers."""

    def save(self, obj):
        """Saves ``obj`` (``obj.serialize(self)``)."""
        obj.serialize(self)


class Deserializer(AbstractSerializer):
    """Base class of deserializers."""

    def load(self, obj):
        """Loads ``obj`` (``obj.serialize(self)``)."""
        obj.serialize(self)


# ---------------------------------------------------------------------------
# Errors. Each one names the entry and the file; they also derive from the
# exception types Chainer's serializers raise in the same situation, so that
# ``except KeyError`` / ``except TypeError`` written for Chainer still works.

class _MissingEntryError(KeyError):
    """A key the target needs is not in the file."""

    def __str__(self):  # KeyError would show the repr of the message
        return str(self.args[0]) if self.args else ''


class _MismatchError(ValueError, TypeError):
    """A stored value does not fit the target (shape, dtype or type)."""


class _CorruptFileError(ValueError, OSError):
    """The file is truncated, damaged or not of the expected format."""

    def __str__(self):
        return str(self.args[0]) if self.args else ''


def _key_text(key):
    return repr(key)


# ---------------------------------------------------------------------------
# Shared reading logic of the NPZ and HDF5 deserializers.

class _Source:
    """Reads the entries of one file (or mapping) for the deserializers.

    ``fetch(key, read, checking)`` returns ``read()`` — a numpy array, or
    None for a stored None. During a checked load the arrays read in the
    checking pass are kept and handed to the real pass.
    """

    def __init__(self, description):
        self.description = description
        self._cache = None

    def start_check(self):
        self._cache = {}

    def finish(self):
        self._cache = None

    def fetch(self, key, read, checking):
        cache = self._cache
        if cache is not None and key in cache:
            return cache[key] if checking else cache.pop(key)
        value = read()
        if checking and cache is not None:
            cache[key] = value
        return value


def _checked_load(deserializer, checker, source, obj):
    """Runs ``obj.serialize`` with ``checker`` then with ``deserializer``.
    """
    source.start_check()
    try:
        obj.serialize(checker)
        obj.serialize(deserializer)
    finally:
        source.finish()


def _is_array(value):
    return isinstance(value, numpy.ndarray) or backend.is_cupy_array(value)


def _restore(stored, value, key, where, checking):
    """The deserializer's answer for a stored entry and the caller's value.

    ``stored`` is a numpy array or None (a stored None). When ``checking``,
    everything is validated but nothing is written and ``value`` itself is
    returned (None for ``value=None``).
    """
    if checking:
        if stored is not None and value is not None:
            if _is_array(value):
                _check_array(stored, value, key, where)
            else:
                _convert(stored, value, key, where)
        return value
    if stored is None:
        return None
    if value is None:
        return stored
    if _is_array(value):
        _check_array(stored, value, key, where)
        backend.copyto(value, stored)
        return value
    return _convert(stored, value, key, where)


def _check_array(stored, target, key, where):
    stored_shape = tuple(stored.shape)
    target_shape = tuple(target.shape)
    if stored_shape != target_shape:
        raise _MismatchError(
            '{} in {} has shape {}, but the target array has shape {}'
            .format(_key_text(key), where, stored_shape, target_shape))
    target_dtype = numpy.dtype(target.dtype)
    if not numpy.can_cast(stored.dtype, target_dtype, casting='same_kind'):
        raise _MismatchError(
            '{} in {} has dtype {} (shape {}), which cannot be stored into '
            'the target array of dtype {} (shape {})'.format(
                _key_text(key), where, stored.dtype, stored_shape,
                target_dtype, target_shape))


def _convert(stored, value, key, where):
    """``stored`` converted to the type of the scalar ``value``.

    Numeric data must be castable to the type without loss of kind (an
    integer array into a Python int is always accepted), as in Chainer.
    """
    kind = type(value)
    array = numpy.asarray(stored)
    try:
        if issubclass(array.dtype.type, numpy.number) and not (
                issubclass(array.dtype.type, numpy.integer) and
                kind is int) and not numpy.can_cast(array.dtype, kind):
            raise _MismatchError(
                'cannot restore {} from {}: its dtype {} cannot be safely '
                'converted to the target type {}'.format(
                    _key_text(key), where, array.dtype, kind.__name__))
        return kind(array)
    except _MismatchError:
        raise
    except (TypeError, ValueError, OverflowError) as e:
        raise _MismatchError(
            'cannot restore {} from {}: the stored value (dtype {}, shape '
            '{}) does not convert to the target type {}: {}'.format(
                _key_text(key), where, array.dtype, array.shape,
                kind.__name__, e)) from e


def _missing(key, where, hint=''):
    return _MissingEntryError(
        '{} is not in {}{}'.format(_key_text(key), where, hint))
