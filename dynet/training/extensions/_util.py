"""Helpers shared by the trainer extensions (not part of the public API)."""
import contextlib
import importlib.util
import json
import os
import tempfile
import warnings

import numpy

from dynet import backend
from dynet.serializers import base as serializer_base
from dynet.variable import Variable


def to_host_scalar(value):
    """A Variable, device array or number as a plain Python float."""
    if isinstance(value, Variable):
        value = value.array
    if backend.is_cupy_array(value):
        value = value.get()
    if isinstance(value, numpy.ndarray):
        value = value.item()  # also for shape (1,), without a warning
    return float(value)


def as_text(stored):
    """The text held by a value read back from a deserializer (a ``str``,
    ``bytes`` or a 0-dim string array)."""
    if isinstance(stored, numpy.ndarray):
        stored = stored.item() if stored.ndim == 0 else stored.tolist()
    if isinstance(stored, bytes):
        stored = stored.decode('utf-8')
    return str(stored)


def serialize_json(serializer, key, obj):
    """Saves ``obj`` as JSON text under ``key``, or loads it back.

    Returns the object to keep: ``obj`` itself when saving (or when the
    deserializer gives nothing back, as in a checking pass), else the
    decoded value.
    """
    if isinstance(serializer, serializer_base.Serializer):
        serializer(key, json.dumps(obj))
        return obj
    stored = serializer(key, None)
    if stored is None:
        return obj
    return json.loads(as_text(stored))


@contextlib.contextmanager
def atomic_open(path, mode='w'):
    """Yields a file object; its contents replace ``path`` in one rename
    when the block succeeds (on error ``path`` is left untouched).

    Readers therefore never see a half-written file, and an interrupted
    write leaves the previous version in place.
    """
    path = os.path.abspath(path)
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix='.' + os.path.basename(path) + '.',
                                suffix='.tmp', dir=directory)
    try:
        kwargs = {} if 'b' in mode else {'encoding': 'utf-8'}
        with os.fdopen(fd, mode, **kwargs) as f:
            yield f
        # mkstemp creates the file with mode 0600; give it the usual
        # permissions of a newly created file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except BaseException:
        try:
            os.remove(temp)
        except OSError:
            pass
        raise


def matplotlib_available():
    """Whether matplotlib can be found (without importing it)."""
    try:
        return importlib.util.find_spec('matplotlib') is not None
    except (ImportError, ValueError):
        return False


_MISSING_MATPLOTLIB = (
    '{}: matplotlib is not installed, so nothing will be plotted (training '
    'goes on). Install it to get the figure:\n\n    pip install matplotlib\n')


def load_matplotlib(owner):
    """Imports the pieces used to draw off-screen: ``(Figure,
    FigureCanvasAgg)``, or None (with a warning) when matplotlib is
    missing or broken.

    Figures are drawn on their own Agg canvas, without ``pyplot``, so the
    global matplotlib backend and pyplot's figure list are left alone.
    """
    if not matplotlib_available():
        warnings.warn(_MISSING_MATPLOTLIB.format(owner), stacklevel=3)
        return None
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except Exception as error:  # a broken installation
        warnings.warn('{}: matplotlib could not be imported ({}: {}), so '
                      'nothing will be plotted (training goes on).'.format(
                          owner, type(error).__name__, error),
                      stacklevel=3)
        return None
    return Figure, FigureCanvasAgg


def save_figure(figure, path, **kwargs):
    """Writes ``figure`` as a PNG file atomically."""
    with atomic_open(path, 'wb') as f:
        figure.savefig(f, format='png', **kwargs)
