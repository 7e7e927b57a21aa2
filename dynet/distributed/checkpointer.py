"""``create_multi_node_checkpointer``: per-rank snapshots, and resuming from
the newest one that every rank has."""
import numbers
import os
import re
import sys
import time

from dynet.distributed.communicator_base import CommunicatorBase
from dynet.serializers import base as serializer_base
from dynet.serializers import npz
from dynet.training import extension
# The trainer-snapshot extension's helpers for the global random states
# (NumPy's and Python's), so that a resumed run draws the same numbers.
from dynet.training.extensions import _snapshot

_PRIORITY_SNAPSHOT = -100   # after every other extension, like snapshot


class _MultiNodeCheckpointer(extension.Extension):
    """See :func:`create_multi_node_checkpointer`."""

    trigger = 1, 'iteration'
    priority = _PRIORITY_SNAPSHOT

    def __init__(self, name, comm, cp_interval, gc_interval, path):
        # ``name`` is also the default name the trainer registers this
        # extension under (and may change); the files use ``_run_name``.
        self.name = name
        self._run_name = name
        self.comm = comm
        self.cp_interval = cp_interval
        self.gc_interval = gc_interval
        self.path = None if path is None else os.fspath(path)
        # Iterations of this rank's snapshot files that exist, oldest first.
        self._iterations = []
        self._saves_since_gc = 0
        self._failed = False
        self._durations = []
        self._pattern = re.compile(r'{}\.(\d+)\.(\d+)\Z'.format(
            re.escape(name)))

    # ------------------------------------------------------------ names
    def _filename(self, iteration):
        return '{}.{}.{}'.format(self._run_name, self.comm.rank, iteration)

    def _local_iterations(self):
        """Iterations of this rank's snapshot files in ``self.path``."""
        try:
            names = os.listdir(self.path)
        except FileNotFoundError:
            return []
        found = []
        for filename in names:
            match = self._pattern.match(filename)
            if match and int(match.group(1)) == self.comm.rank:
                found.append(int(match.group(2)))
        return sorted(found)

    def _common_iterations(self, mine):
        """Collective: the iterations every rank has, sorted."""
        everyone = self.comm.allgather_obj(sorted(mine))
        common = set(everyone[0])
        for iterations in everyone[1:]:
            common &= set(iterations)
        return sorted(common)

    # ----------------------------------------------------------- saving
    def __call__(self, trainer):
        if self.path is None:
            self.path = trainer.out
        self.save(trainer, trainer.updater.iteration)

    def save(self, target, iteration):
        """Collective: writes this rank's snapshot of ``target`` (usually
        the trainer) for ``iteration``, atomically. Every rank must call it
        at the same iterations."""
        if self.path is None:
            raise ValueError('checkpointer.save: no directory to write to; '
                             'pass path= to create_multi_node_checkpointer '
                             'when it is used without a trainer')
        os.makedirs(self.path, exist_ok=True)
        start = time.time()
        npz.save_npz(os.path.join(self.path, self._filename(iteration)),
                     target)
        self._durations.append(time.time() - start)
        if iteration in self._iterations:
            self._iterations.remove(iteration)
        self._iterations.append(iteration)
        self._saves_since_gc += 1
        if self._saves_since_gc >= self.gc_interval:
            self._collect_garbage()

    def _collect_garbage(self):
        """Collective: keeps the ``cp_interval`` newest snapshots that
        every rank has (and any newer ones); removes the rest."""
        self._saves_since_gc = 0
        common = self._common_iterations(self._iterations)
        if not common:
            return
        keep = set(common[-self.cp_interval:])
        # Snapshots newer than every common one are not garbage yet.
        survivors = [iteration for iteration in self._iterations
                     if iteration in keep or iteration > common[-1]]
        for iteration in self._iterations:
            if iteration not in survivors:
                self._remove(iteration)
        self._iterations = survivors

    def _remove(self, iteration):
        try:
            os.remove(os.path.join(self.path, self._filename(iteration)))
        except FileNotFoundError:
            pass

    # ---------------------------------------------------------- loading
    def maybe_load(self, trainer, optimizer=None, path=None):
        """Collective: resumes from the newest iteration for which every
        rank has a snapshot; does nothing when there is none. This rank's
        snapshots newer than that iteration are deleted.

        Call it after all extensions are registered and before
        ``trainer.run()``. Pass the multi-node optimizer as ``optimizer``:
        since every rank then loads a snapshot of the same step, the
        optimizer skips its initial broadcast and the run continues exactly
        as an uninterrupted one.

        Returns:
            the iteration loaded, or None.
        """
        if self.path is None:
            self.path = os.fspath(path) if path is not None else trainer.out
        self._iterations = self._local_iterations()
        common = self._common_iterations(self._iterations)
        if not common:
            return None
        iteration = common[-1]
        filename = os.path.join(self.path, self._filename(iteration))
        try:
            npz.load_npz(filename, trainer)
            problem = None
        except Exception as error:
            problem = '{}: {}'.format(type(error).__name__, error)
        # Every rank must load, or none may continue.
        for rank, other in enumerate(self.comm.allgather_obj(problem)):
            if other is not None:
                raise RuntimeError(
                    'checkpointer.maybe_load: rank {} could not load its '
                    'snapshot of iteration {} ({})'.format(rank, iteration,
                                                           other))
        # Newer snapshots of this rank belong to a run that is being
        # discarded: if they stayed, a later crash could make one of them
        # look common and mix two runs.
        for newer in [i for i in self._iterations if i > iteration]:
            self._remove(newer)
            self._iterations.remove(newer)
        if optimizer is not None and hasattr(optimizer, 'needs_broadcast'):
            optimizer.needs_broadcast = False
        return iteration

    # ---------------------------------------------------------- the end
    def serialize(self, serializer):
        # The global random states travel with this rank's snapshot.
        if isinstance(serializer, serializer_base.Deserializer):
            _snapshot._load_random_states(serializer)
        else:
            _snapshot._save_random_states(serializer)

    def on_error(self, trainer, exc, tb):
        self._failed = True

    def finalize(self):
        """Removes this rank's snapshots when training ended without an
        error (they are only there to recover from failures); keeps them
        when it ended with one."""
        if self._failed or sys.exc_info()[0] is not None or \
                self.path is None:
            return
        for iteration in self._iterations:
            self._remove(iteration)
        self._iterations = []

    def get_stats(self):
        """A line with the average, shortest and longest snapshot time."""
        if not self._durations:
            return 'No stats available'
        return ('Snapshot duration stats (sec): avg={:f}, min={:f}, '
                'max={:f}'.format(sum(self._durations) /
                                  len(self._durations),
                                  min(self._durations),
                                  max(self._durations)))


def create_multi_node_checkpointer(name, comm, cp_interval=5,
                                   gc_interval=5, path=None):
    """A trainer extension that lets a multi-rank job recover from failures.

    Each rank writes its own snapshot of the trainer,
    ``<path>/<name>.<rank>.<iteration>`` (NPZ, written atomically), when
    the extension triggers::

        checkpointer = create_multi_node_checkpointer(name='run1', comm=comm)
        trainer.extend(checkpointer, trigger=(1000, 'iteration'))
        checkpointer.maybe_load(trainer, optimizer)
        trainer.run()

    ``maybe_load`` resumes from the newest iteration for which every rank
    has a snapshot (a rank killed while writing leaves no partial file; a
    rank with an extra, newer snapshot does not count). Every
    ``gc_interval`` saves the ranks agree on their common snapshots and
    remove all but the ``cp_interval`` newest. When training ends without
    an error, the snapshots are removed; after an error (or a kill) they
    stay for the next run.

    Args:
        name (str): the name of the run (no '.' or path separator).
        comm: a communicator from ``create_communicator``.
        cp_interval (int): how many common snapshots to keep.
        gc_interval (int): remove old snapshots every this many saves.
        path (str): the directory (default: the trainer's ``out``).
    """
    if not isinstance(name, str) or not name or '.' in name or \
            os.sep in name or (os.altsep and os.altsep in name):
        raise ValueError('create_multi_node_checkpointer: name must be a '
                         "non-empty string without '.' or path separators, "
                         'got {!r}'.format(name))
    if not isinstance(comm, CommunicatorBase):
        raise TypeError('create_multi_node_checkpointer: comm must be a '
                        'dynet.distributed communicator, got {}'.format(
                            type(comm).__name__))
    for argument, value in (('cp_interval', cp_interval),
                            ('gc_interval', gc_interval)):
        if not isinstance(value, numbers.Integral) or \
                isinstance(value, bool) or value < 1:
            raise ValueError('create_multi_node_checkpointer: {} must be a '
                             'positive int, got {!r}'.format(argument, value))
    return _MultiNodeCheckpointer(name, comm, int(cp_interval),
                                  int(gc_interval), path)
