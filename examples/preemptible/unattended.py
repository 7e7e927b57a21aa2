"""Helpers for unattended training on a machine that can vanish at any time.

Used by ``train.py`` in this folder; nothing here depends on the model:

  mirror_directory(src, dst)   copy a directory tree file by file, each file
                               written to a temporary name and renamed into
                               place, then remove what ``src`` no longer has
  SyncDirectory                a trainer extension calling mirror_directory
                               on ``trainer.out`` every N iterations
  write_json_atomic(path, obj) JSON written to a temporary file and renamed
  read_marker / write_marker   the ``DONE`` completion marker
  notify(...)                  run the user's hook (a shell command and/or a
                               Python callable) with the final status
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from dynet import training

MARKER = 'DONE'


# ---------------------------------------------------------------------------
# Atomic files

def write_json_atomic(path, obj):
    """Writes ``obj`` as JSON to ``path``: a reader sees either the old
    file or the complete new one, never a partial one."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix='.' + os.path.basename(path) + '.',
                                suffix='.tmp', dir=directory)
    try:
        with os.fdopen(fd, 'w', encoding='utf-8') as f:
            json.dump(obj, f, indent=2, sort_keys=True)
            f.write('\n')
            f.flush()
            os.fsync(f.fileno())
        # mkstemp makes the file private (0600); use the usual mode
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


def read_json(path, default=None):
    try:
        with open(path, encoding='utf-8') as f:
            return json.load(f)
    except (FileNotFoundError, ValueError):
        return default


def read_marker(directory):
    """The contents of ``directory/DONE`` (a dict), or None."""
    if directory is None:
        return None
    return read_json(os.path.join(directory, MARKER))


def write_marker(directory, info):
    write_json_atomic(os.path.join(directory, MARKER), info)


# ---------------------------------------------------------------------------
# Mirroring a directory

def _visible_files(root):
    """Relative paths of the regular files under ``root``, skipping names
    that start with a dot (the temporary files and directories of atomic
    writes, possibly left behind by a killed process)."""
    found = set()
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = [d for d in subdirs if not d.startswith('.')]
        for name in files:
            if name.startswith('.'):
                continue
            path = os.path.join(directory, name)
            if os.path.isfile(path) and not os.path.islink(path):
                found.add(os.path.relpath(path, root))
    return found


def _same_file(src, dst):
    try:
        a, b = os.stat(src), os.stat(dst)
    except FileNotFoundError:
        return False
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns


def _copy_atomic(src, dst):
    """Copies ``src`` (contents and modification time) to a temporary file
    beside ``dst`` and renames it onto ``dst``."""
    directory = os.path.dirname(dst)
    os.makedirs(directory, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix='.' + os.path.basename(dst) + '.',
                                suffix='.tmp', dir=directory)
    try:
        with os.fdopen(fd, 'wb') as out, open(src, 'rb') as inp:
            shutil.copyfileobj(inp, out)
            out.flush()
            os.fsync(out.fileno())
        # Keep the modification time: snapshot autoload picks the newest
        # snapshot by it, also when resuming from the mirrored copy.
        shutil.copystat(src, temp)
        os.replace(temp, dst)
    except BaseException:
        try:
            os.remove(temp)
        except OSError:
            pass
        raise


def mirror_directory(src, dst):
    """Makes ``dst`` a copy of ``src``; returns the number of files copied.

    Only files that changed (size or modification time) are copied; each
    one goes to a temporary name first and is renamed into place, so every
    file in ``dst`` is complete at any moment. New files are copied before
    files that ``src`` no longer has are removed, so the newest snapshot
    reaches ``dst`` before the older one is deleted there: a kill in the
    middle of a sync leaves at least one complete snapshot behind.
    """
    src_files = _visible_files(src)
    copied = 0
    # Oldest first: the newest file lands last, as it did in ``src``.
    for rel in sorted(src_files, key=lambda r: os.stat(
            os.path.join(src, r)).st_mtime_ns):
        source, target = os.path.join(src, rel), os.path.join(dst, rel)
        if not _same_file(source, target):
            _copy_atomic(source, target)
            copied += 1
    if os.path.isdir(dst):
        for rel in _visible_files(dst) - src_files:
            try:
                os.remove(os.path.join(dst, rel))
            except FileNotFoundError:
                pass
    return copied


class SyncDirectory(training.Extension):
    """Trainer extension mirroring ``trainer.out`` to ``destination``.

    Its priority is below that of the snapshot extension (-100), so with
    the same trigger the snapshot of an iteration is taken first and
    synced in the same call. It also syncs once after training when the
    loop ends (normally or with an error). A failing sync (e.g. the
    destination is a network mount that is down) is reported on stderr and
    does not stop training.
    """

    trigger = 1, 'epoch'
    priority = -200

    def __init__(self, destination):
        self.destination = destination
        self._out = None
        self.n_syncs = 0

    def initialize(self, trainer):
        self._out = trainer.out

    def __call__(self, trainer):
        self.sync()

    def sync(self):
        if self._out is None:
            return
        try:
            mirror_directory(self._out, self.destination)
            self.n_syncs += 1
        except OSError as e:
            sys.stderr.write('sync to {} failed: {}\n'.format(
                self.destination, e))

    def finalize(self):
        self.sync()


# ---------------------------------------------------------------------------
# Notification

def notify(status, info, command=None, callback=None):
    """Tells the user how the run ended.

    ``callback(status, info)`` is called if given; ``command`` is run
    through the shell with ``PREEMPTIBLE_STATUS`` ('success' or 'failure'),
    ``PREEMPTIBLE_OUT`` (the result directory) and ``PREEMPTIBLE_INFO``
    (``info`` as JSON) in its environment. A failing hook is reported on
    stderr; it never hides the outcome of the training itself.
    """
    if callback is not None:
        try:
            callback(status, info)
        except Exception as e:  # NOQA: the hook must not mask the result
            sys.stderr.write('notify callback failed: {!r}\n'.format(e))
    if command:
        env = dict(os.environ, PREEMPTIBLE_STATUS=status,
                   PREEMPTIBLE_OUT=str(info.get('out', '')),
                   PREEMPTIBLE_INFO=json.dumps(info, sort_keys=True))
        try:
            result = subprocess.run(command, shell=True, env=env,
                                    timeout=300)
            if result.returncode != 0:
                sys.stderr.write('notify command exited with {}\n'.format(
                    result.returncode))
        except (OSError, subprocess.TimeoutExpired) as e:
            sys.stderr.write('notify command failed: {}\n'.format(e))


__all__ = ['MARKER', 'SyncDirectory', 'mirror_directory', 'notify',
           'read_json', 'read_marker', 'write_json_atomic', 'write_marker']
