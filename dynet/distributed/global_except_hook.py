"""Stopping every rank when one of them dies of an uncaught exception.

Without this, a rank that raises goes on to ``MPI_Finalize`` (which mpi4py
calls at exit) while the others wait for it in a collective operation:
the job hangs until someone kills it. The hook prints the traceback with
the rank and calls ``MPI_Abort``, which makes ``mpiexec`` terminate every
rank and exit non-zero.

``create_communicator`` installs it (set the environment variable
``DYNET_DISTRIBUTED_ABORT_ON_EXCEPTION=0`` to leave ``sys.excepthook``
alone). ``sys.exit()`` is not an exception that reaches the hook: to stop a
multi-rank job from one rank, raise or call ``comm.mpi_comm.Abort(code)``.
"""
import os
import socket
import sys
import warnings

_original_hook = None


def _abort_hook(exc_type, value, traceback):
    rank, size = _rank_and_size()
    if size == 1:   # nobody to wait for: exit as usual
        (_original_hook or sys.__excepthook__)(exc_type, value, traceback)
        return
    try:
        sys.stderr.write(
            '\n[dynet.distributed] uncaught exception on rank {} of {} '
            '(host {}):\n'.format(rank, size, socket.gethostname()))
        sys.stderr.flush()
        (_original_hook or sys.__excepthook__)(exc_type, value, traceback)
    finally:
        sys.stderr.write(
            '[dynet.distributed] rank {} calls MPI_Abort(1) so that the '
            'other ranks stop too.\n'.format(rank))
        sys.stderr.flush()
        from mpi4py import MPI
        MPI.COMM_WORLD.Abort(1)


def _rank_and_size():
    try:
        from mpi4py import MPI
        return MPI.COMM_WORLD.Get_rank(), MPI.COMM_WORLD.Get_size()
    except Exception:
        return '?', '?'


def add_hook():
    """Installs the hook (``chainermn.global_except_hook.add_hook``);
    a second call only warns."""
    global _original_hook
    if sys.excepthook is _abort_hook:
        warnings.warn('dynet.distributed.global_except_hook.add_hook() was '
                      'already called; ignoring', stacklevel=2)
        return
    _original_hook = sys.excepthook
    sys.excepthook = _abort_hook


def remove_hook():
    """Restores the ``sys.excepthook`` that ``add_hook`` replaced."""
    global _original_hook
    if sys.excepthook is _abort_hook:
        sys.excepthook = _original_hook or sys.__excepthook__
    _original_hook = None


def _add_hook_if_enabled():
    """Called by create_communicator: installs the hook once unless
    ``DYNET_DISTRIBUTED_ABORT_ON_EXCEPTION=0``."""
    value = os.environ.get('DYNET_DISTRIBUTED_ABORT_ON_EXCEPTION', '1')
    if value not in ('0', '1'):
        raise ValueError('environment variable '
                         'DYNET_DISTRIBUTED_ABORT_ON_EXCEPTION must be "0" '
                         'or "1", got {!r}'.format(value))
    if value == '1' and sys.excepthook is not _abort_hook:
        add_hook()
