"""Snapshots of the trainer (``snapshot``) or of any object
(``snapshot_object``), with automatic resumption (``autoload``).

Exact resumption. Besides what Chainer saves (the updater with its
iterators, optimizers and models, the stop trigger, every extension and
trigger), a dynet trainer snapshot holds the state of the global random
number generators that training code usually draws from: NumPy's
(``numpy.random``, e.g. the shuffling of ``SerialIterator`` and dropout
masks) and Python's (``random``). The snapshot extension saves them from
its own ``serialize``, i.e. under ``extensions/<its name>/`` in the file,
whenever the trainer is serialized, and restores them when a trainer is
loaded from such a file -- by ``autoload`` as well as by a Chainer-style
``load_npz(path, trainer)``. A file without these entries (e.g. written by
Chainer) loads as before and leaves the generators alone; Chainer ignores
the extra entries of a dynet snapshot.

CuPy. CuPy's generators offer no way to read or set their state, so it
cannot be saved; when CuPy is already imported and has created a generator,
the first snapshot warns that random draws on the GPU after a resume will
differ from an uninterrupted run. (CuPy is never imported here.)
"""
import logging
import os
import random
import re
import string
import sys
import warnings

import numpy

from dynet.serializers import base as serializer_base
from dynet.serializers import hdf5
from dynet.serializers import npz
from dynet.training import extension
from dynet.training.extensions import snapshot_writers

__all__ = ['snapshot', 'snapshot_object']

_logger = logging.getLogger(__name__)

PRIORITY_SNAPSHOT = -100

_NUMPY_RNG_KEY = '_numpy_random_state'
_PYTHON_RNG_KEY = '_python_random_state'


def snapshot_object(target, filename, savefun=None, **kwargs):
    """Returns a trainer extension taking snapshots of ``target``.

    The same as :func:`snapshot` with ``target`` given; ``filename`` (a
    format string applied to the trainer, e.g.
    ``'model_iter_{.updater.iteration}'``, or a callable taking the
    trainer) is required. ``kwargs`` are the keyword-only arguments of
    :func:`snapshot` (``condition``, ``writer``, ``snapshot_on_error``,
    ``n_retains``, ``autoload``).
    """
    return snapshot(target=target, filename=filename, savefun=savefun,
                    **kwargs)


def snapshot(savefun=None, filename='snapshot_iter_{.updater.iteration}',
             *, target=None, condition=None, writer=None,
             snapshot_on_error=False, n_retains=-1, autoload=False):
    """Returns a trainer extension taking snapshots of the trainer.

    The extension serializes the trainer (or ``target``) and writes it
    into ``trainer.out``, atomically: a crash or an error while writing
    leaves earlier snapshots intact. It runs once per epoch by default
    (pass ``trigger=`` to ``trainer.extend`` to change that) with priority
    -100, after the other extensions of the iteration.

    Args:
        savefun: ``savefun(path, obj)`` saving the serialized object (a
            dict of arrays); :func:`~dynet.serializers.save_npz` by
            default. Give either ``savefun`` or ``writer``.
        filename (str or callable): the file name; a format string to which
            the trainer is passed (``str.format``), or a callable taking
            the trainer and returning the name.
        target: the object to save; the trainer if None.
        condition: a callable without arguments; the snapshot is skipped
            when it returns False.
        writer: a snapshot writer (see
            :mod:`dynet.training.extensions.snapshot_writers`);
            ``SimpleWriter(savefun)`` by default.
        snapshot_on_error (bool): also take a snapshot when the training
            loop raises an ``Exception`` (not on Ctrl-C: the state may be
            that of a half-done update).
        n_retains (int): when positive, keep only the ``n_retains`` newest
            files matching ``filename`` and remove older ones after each
            snapshot (``filename`` must be a string).
        autoload (bool): when training starts, load the newest snapshot
            found in ``trainer.out`` that matches ``filename`` into the
            target. A damaged or truncated file is skipped with a warning
            in favour of the next older one; loading is all-or-nothing.
            ``filename`` must be a string.

    "Newest" is by modification time, then by the numbers in the file
    name (e.g. the iteration), so that files written within the
    resolution of the file system's clock are still ordered.

    Returns:
        The snapshot extension.
    """
    if savefun is not None and writer is not None:
        raise TypeError('snapshot: savefun and writer cannot be given '
                        'together')
    if writer is None:
        writer = snapshot_writers.SimpleWriter(
            savefun=npz.save_npz if savefun is None else savefun)
    return _Snapshot(target=target, condition=condition, writer=writer,
                     filename=filename, snapshot_on_error=snapshot_on_error,
                     n_retains=n_retains, autoload=autoload)


def _always():
    return True


class _Snapshot(extension.Extension):
    """The extension made by :func:`snapshot` and :func:`snapshot_object`.
    """

    trigger = 1, 'epoch'
    priority = PRIORITY_SNAPSHOT

    def __init__(self, target=None, condition=None, writer=None,
                 filename='snapshot_iter_{.updater.iteration}',
                 snapshot_on_error=False, n_retains=-1, autoload=False):
        self._target = target
        self.filename = filename
        self.condition = _always if condition is None else condition
        self.writer = snapshot_writers.SimpleWriter() if writer is None \
            else writer
        self._snapshot_on_error = snapshot_on_error
        self.n_retains = n_retains
        self.autoload = autoload
        self._cleanup_installed = False

    # ------------------------------------------------------------ events
    def initialize(self, trainer):
        target = trainer if self._target is None else self._target
        outdir = trainer.out
        if self.autoload:
            self._load_latest(outdir, target)
        if (self.n_retains > 0 and not self._cleanup_installed and
                hasattr(self.writer, '_add_cleanup_hook')):
            if not isinstance(self.filename, str):
                warnings.warn('snapshot: n_retains needs a string filename '
                              'template; old snapshots are kept')
            else:
                template = self.filename
                n_retains = self.n_retains

                def cleanup():
                    for path in _stale_snapshots(template, outdir,
                                                 n_retains):
                        try:
                            os.remove(path)
                        except FileNotFoundError:
                            pass

                self.writer._add_cleanup_hook(cleanup)
                self._cleanup_installed = True

    def __call__(self, trainer):
        if self.condition():
            self._make_snapshot(trainer)

    def on_error(self, trainer, exc, tb):
        # Not on Ctrl-C or SystemExit (Chainer's trainer reports only
        # Exceptions to on_error): an interrupt usually lands in the middle
        # of an update, and autoload would resume from that torn state.
        if self._snapshot_on_error and isinstance(exc, Exception):
            self._make_snapshot(trainer)

    def finalize(self):
        finalize = getattr(self.writer, 'finalize', None)
        if finalize is not None:
            finalize()

    def serialize(self, serializer):
        # Called when the trainer that holds this extension is saved or
        # loaded: the global random states travel with the trainer.
        if isinstance(serializer, serializer_base.Deserializer):
            _load_random_states(serializer)
        else:
            _save_random_states(serializer)

    # ------------------------------------------------------------ helpers
    def _make_snapshot(self, trainer):
        target = trainer if self._target is None else self._target
        serializer = npz.DictionarySerializer()
        serializer.save(target)
        filename = self.filename
        if callable(filename):
            filename = filename(trainer)
        else:
            filename = filename.format(trainer)
        self.writer(filename, trainer.out, serializer.target)

    def _loader(self):
        savefun = getattr(self.writer, '_savefun', None)
        if savefun is hdf5.save_hdf5:
            return hdf5.load_hdf5
        return npz.load_npz

    def _load_latest(self, outdir, target):
        if not isinstance(self.filename, str):
            warnings.warn('snapshot: autoload needs a string filename '
                          'template; nothing was loaded')
            return None
        candidates = _find_snapshots(self.filename, outdir)
        load = self._loader()
        for path in reversed(candidates):
            try:
                load(path, target)
            except (serializer_base._CorruptFileError, OSError) as e:
                warnings.warn(
                    'snapshot autoload: {} cannot be loaded ({}); trying '
                    'the previous snapshot'.format(path, e))
                continue
            _logger.info('snapshot autoload: resumed from %s', path)
            return path
        if candidates:
            warnings.warn(
                'snapshot autoload: none of the {} snapshot files matching '
                '{!r} in {!r} could be loaded; training starts from the '
                'beginning'.format(len(candidates), self.filename, outdir))
        return None


# ---------------------------------------------------------------------------
# Finding snapshot files

def _template_pattern(template):
    """A regex matching the names ``template.format(...)`` can produce."""
    parts = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append('(.+?)')
    return re.compile(''.join(parts) + r'\Z', re.DOTALL)


def _number_key(text):
    for kind in (int, float):
        try:
            return (0, kind(text), '')
        except ValueError:
            pass
    return (1, 0, text)


def _find_snapshots(template, outdir):
    """Paths of the files in ``outdir`` matching ``template``, oldest
    first (modification time, then the numbers in the name)."""
    directory, base = os.path.split(template)
    if '{' in directory.replace('{{', ''):
        warnings.warn('snapshot: the directory part of the filename '
                      'template {!r} has replacement fields; autoload and '
                      'n_retains look only at fixed directories'
                      .format(template))
        return []
    directory = os.path.join(outdir, directory.replace('{{', '{')
                             .replace('}}', '}'))
    pattern = _template_pattern(base)
    try:
        names = os.listdir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for name in names:
        match = pattern.match(name)
        if match is None:
            continue
        path = os.path.join(directory, name)
        try:
            info = os.stat(path)
        except OSError:
            continue
        if not os.path.isfile(path):
            continue
        numbers = tuple(_number_key(group) for group in match.groups())
        found.append(((info.st_mtime_ns, numbers, name), path))
    found.sort()
    return [path for _, path in found]


def _stale_snapshots(template, outdir, n_retains):
    found = _find_snapshots(template, outdir)
    return found[:max(0, len(found) - n_retains)]


# ---------------------------------------------------------------------------
# Global random states

def _save_random_states(serializer):
    kind, keys, pos, has_gauss, cached = numpy.random.get_state(legacy=True)
    s = serializer[_NUMPY_RNG_KEY]
    s('keys', numpy.asarray(keys, dtype=numpy.uint32))
    s('pos', int(pos))
    s('has_gauss', int(has_gauss))
    s('cached_gaussian', float(cached))
    version, internal, gauss_next = random.getstate()
    s = serializer[_PYTHON_RNG_KEY]
    s('version', int(version))
    s('internal', numpy.asarray(internal, dtype=numpy.uint64))
    s('has_gauss_next', gauss_next is not None)
    s('gauss_next', 0.0 if gauss_next is None else float(gauss_next))
    _warn_cupy_random_state()


def _read_optional(serializer, key):
    """The stored array, or None when the entry is absent (or when this is
    the checking pass of an all-or-nothing load)."""
    try:
        return serializer(key, None)
    except KeyError:
        return None


def _read_group(serializer, group, keys):
    child = serializer[group]
    values = [_read_optional(child, key) for key in keys]
    if any(value is None for value in values):
        return None
    return [numpy.asarray(value) for value in values]


def _load_random_states(serializer):
    values = _read_group(serializer, _NUMPY_RNG_KEY,
                         ('keys', 'pos', 'has_gauss', 'cached_gaussian'))
    if values is not None:
        keys, pos, has_gauss, cached = values
        if keys.shape == (624,) and pos.size == 1 and 0 <= int(pos) <= 624:
            numpy.random.set_state(
                ('MT19937', keys.astype(numpy.uint32), int(pos),
                 int(has_gauss), float(cached)))
        else:
            warnings.warn('snapshot: the saved NumPy random state is '
                          'malformed; it was not restored')
    values = _read_group(serializer, _PYTHON_RNG_KEY,
                         ('version', 'internal', 'has_gauss_next',
                          'gauss_next'))
    if values is not None:
        version, internal, has_gauss_next, gauss_next = values
        state = (int(version), tuple(int(x) for x in internal.ravel()),
                 float(gauss_next) if bool(has_gauss_next) else None)
        try:
            random.setstate(state)
        except (TypeError, ValueError) as e:
            warnings.warn('snapshot: the saved Python random state cannot '
                          'be restored ({}); it was left alone'.format(e))


_cupy_warned = False


def _warn_cupy_random_state():
    global _cupy_warned
    if _cupy_warned:
        return
    cupy = sys.modules.get('cupy')
    if cupy is None:
        return
    generator_module = getattr(getattr(cupy, 'random', None), '_generator',
                               None)
    states = getattr(generator_module, '_random_states', None)
    if not states:
        return
    _cupy_warned = True
    warnings.warn('snapshot: CuPy\'s random number generator state cannot '
                  'be saved; random numbers drawn with CuPy after resuming '
                  'from this snapshot will differ from an uninterrupted run')
