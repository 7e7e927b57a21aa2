#!/usr/bin/env python
"""Unattended training on a machine that can be taken away at any moment.

Trains the MNIST MLP on the bundled sample (4,000 / 1,000 digits) with the
Trainer, written so that the same command can simply be run again -- by a
cron job, a systemd unit, a spot-instance start-up script -- until the job
is done:

  * every ``--snapshot-interval`` iterations the whole trainer is saved
    (atomically; the ``--n-retains`` newest snapshots are kept) and, on
    restart, the newest readable snapshot is loaded automatically
    (``extensions.snapshot(autoload=True)``): training continues from the
    iteration it was saved at, with the same log, optimizer state and
    shuffling order;
  * with ``--sync-to DIR`` the result directory is mirrored to ``DIR``
    (e.g. a network or bucket mount that outlives the machine) after each
    snapshot, file by file through a temporary name and a rename; a fresh
    machine whose ``--out`` has no snapshot starts from that copy;
  * at the end a ``DONE`` marker holding the final metrics is written
    atomically; running the command again after that exits at once;
  * ``--notify-cmd`` (a shell command) -- or ``notify=`` (a Python callable
    ``f(status, info)``) when ``main`` is called from Python -- is run when
    the job succeeds or fails; the command sees PREEMPTIBLE_STATUS
    (``success`` / ``failure``), PREEMPTIBLE_OUT and PREEMPTIBLE_INFO (JSON).

    python examples/preemptible/train.py --out result --sync-to /mnt/keep \\
        --notify-cmd 'echo "$PREEMPTIBLE_STATUS" >> ~/training-status'

Files in ``--out`` (and in the mirror):
  snapshot_iter_N   the trainer (the newest --n-retains ones)
  log               loss/accuracy every --log-interval iterations (JSON)
  attempts.json     the iteration each run (re)started from
  DONE              the completion marker: final metrics (JSON)

``--kill-at-iteration`` and ``--fail-at-iteration`` exist for testing:
the first SIGKILLs the process (a machine being taken away: nothing runs
after it), the second raises an exception (a crash inside training).
"""
import argparse
import datetime
import os
import signal
import sys

import numpy

import dynet as chainer
import dynet.datasets  # NOQA
import dynet.functions as F
import dynet.iterators  # NOQA
import dynet.links as L
import dynet.optimizers  # NOQA
from dynet import training
from dynet.training import extensions

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import unattended  # NOQA: E402  (the helper module beside this script)

SNAPSHOT_TEMPLATE = 'snapshot_iter_{.updater.iteration}'


class MLP(chainer.Chain):
    """784 -> n_units -> n_units -> 10 with ReLU."""

    def __init__(self, n_units, n_out):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, n_units)
            self.l2 = L.Linear(None, n_units)
            self.l3 = L.Linear(None, n_out)

    def forward(self, x):
        h1 = F.relu(self.l1(x))
        h2 = F.relu(self.l2(h1))
        return self.l3(h2)


def _now():
    return datetime.datetime.now().isoformat(timespec='seconds')


def _has_snapshot(directory):
    return bool(directory) and os.path.isdir(directory) and any(
        name.startswith('snapshot_iter_') for name in os.listdir(directory))


class RecordAttempt(training.Extension):
    """Called once before training (after autoload): appends the iteration
    this run starts from to ``attempts.json`` in the result directory."""

    def __init__(self):
        self.start_iteration = None

    def __call__(self, trainer):
        if self.start_iteration is not None:
            return
        self.start_iteration = trainer.updater.iteration
        path = os.path.join(trainer.out, 'attempts.json')
        attempts = unattended.read_json(path, default=[])
        attempts.append({'start_iteration': self.start_iteration,
                         'started_at': _now()})
        unattended.write_json_atomic(path, attempts)
        if self.start_iteration:
            print('resumed from the snapshot of iteration {}'.format(
                self.start_iteration))
        sys.stdout.flush()


class InjectFault(training.Extension):
    """For tests: at iteration ``at``, SIGKILL this process or raise."""

    trigger = 1, 'iteration'

    def __init__(self, at, kill):
        self.at = at
        self.kill = kill
        # the kill comes after the snapshot and the sync of that iteration
        # (as a machine going away between two iterations); the error
        # comes before them (as a crash in the middle of the iteration)
        self.priority = -300 if kill else 400

    def __call__(self, trainer):
        if trainer.updater.iteration != self.at:
            return
        if self.kill:
            sys.stdout.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        raise RuntimeError('injected failure at iteration {}'.format(self.at))


def _finish(marker, args, notify):
    """Sends the success notification for ``marker`` unless it was sent,
    then records that it was (so a kill in between repeats it rather than
    loses it)."""
    if marker.get('notified'):
        return
    info = {key: value for key, value in marker.items()
            if key != 'notified'}
    unattended.notify('success', info, command=args.notify_cmd,
                      callback=notify)
    marker['notified'] = True
    unattended.write_marker(args.out, marker)
    if args.sync_to:
        unattended.mirror_directory(args.out, args.sync_to)


def main(argv=None, notify=None):
    """Runs (or resumes, or skips) the job; returns the DONE marker.

    ``notify``: an optional callable ``notify(status, info)`` called, like
    ``--notify-cmd``, with 'success' or 'failure' and a dict.
    """
    parser = argparse.ArgumentParser(
        description='dynet example: restartable unattended training')
    parser.add_argument('--out', '-o', default='result',
                        help='result directory (snapshots, log, DONE)')
    parser.add_argument('--sync-to', default=None,
                        help='directory to mirror --out to')
    parser.add_argument('--notify-cmd', default=None,
                        help='shell command run at success or failure')
    parser.add_argument('--iterations', '-i', type=int, default=400,
                        help='number of updates (40 = one epoch of the '
                        'sample at batch size 100)')
    parser.add_argument('--batchsize', '-b', type=int, default=100)
    parser.add_argument('--unit', '-u', type=int, default=300,
                        help='units in each hidden layer')
    parser.add_argument('--snapshot-interval', type=int, default=50,
                        help='snapshot every this many iterations')
    parser.add_argument('--n-retains', type=int, default=2,
                        help='number of newest snapshots to keep')
    parser.add_argument('--sync-interval', type=int, default=None,
                        help='sync every this many iterations (default: '
                        'with every snapshot)')
    parser.add_argument('--log-interval', type=int, default=50,
                        help='log and evaluate every this many iterations')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--kill-at-iteration', type=int, default=None,
                        help='(testing) SIGKILL this process there')
    parser.add_argument('--fail-at-iteration', type=int, default=None,
                        help='(testing) raise an exception there')
    args = parser.parse_args(argv)
    if args.sync_to and os.path.abspath(args.sync_to) == \
            os.path.abspath(args.out):
        parser.error('--sync-to must differ from --out')

    # 1. Finished already (here, or on the mirror of a machine that was
    # replaced after finishing)? Then there is nothing to train.
    marker = unattended.read_marker(args.out)
    if marker is None and args.sync_to:
        marker = unattended.read_marker(args.sync_to)
        if marker is not None:
            unattended.mirror_directory(args.sync_to, args.out)
    if marker is not None:
        print('{} exists: the job finished at iteration {} (validation '
              'accuracy {}); nothing to do'.format(
                  os.path.join(args.out, unattended.MARKER),
                  marker.get('iteration'),
                  marker.get('validation/main/accuracy')))
        _finish(marker, args, notify)
        return marker

    # 2. A new machine: start from the mirrored copy if it has a snapshot.
    if args.sync_to and not _has_snapshot(args.out) and \
            _has_snapshot(args.sync_to):
        print('restoring {} from {}'.format(args.out, args.sync_to))
        unattended.mirror_directory(args.sync_to, args.out)

    numpy.random.seed(args.seed)
    model = L.Classifier(MLP(args.unit, 10))
    optimizer = chainer.optimizers.Adam()
    optimizer.setup(model)

    train, test = chainer.datasets.get_mnist(sample=True)
    train_iter = chainer.iterators.SerialIterator(train, args.batchsize)
    test_iter = chainer.iterators.SerialIterator(
        test, args.batchsize, repeat=False, shuffle=False)
    updater = training.updaters.StandardUpdater(train_iter, optimizer)
    trainer = training.Trainer(updater, (args.iterations, 'iteration'),
                               out=args.out)

    log_every = (args.log_interval, 'iteration')
    trainer.extend(extensions.Evaluator(test_iter, model), trigger=log_every)
    log_report = extensions.LogReport(trigger=log_every)
    trainer.extend(log_report)
    trainer.extend(extensions.PrintReport(
        ['epoch', 'iteration', 'main/loss', 'validation/main/loss',
         'main/accuracy', 'validation/main/accuracy', 'elapsed_time'],
        out=sys.stdout))
    # The snapshot is loaded (autoload) when trainer.run() starts, before
    # any extension is called; it restores the log, the iterator position,
    # the optimizer and the random states as well as the weights.
    trainer.extend(extensions.snapshot(filename=SNAPSHOT_TEMPLATE,
                                       autoload=True,
                                       n_retains=args.n_retains),
                   trigger=(args.snapshot_interval, 'iteration'))
    if args.sync_to:
        trainer.extend(unattended.SyncDirectory(args.sync_to),
                       trigger=(args.sync_interval or args.snapshot_interval,
                                'iteration'))
    attempt = RecordAttempt()
    trainer.extend(attempt, call_before_training=True,
                   trigger=(args.iterations + 1, 'iteration'))
    if args.kill_at_iteration is not None:
        trainer.extend(InjectFault(args.kill_at_iteration, kill=True),
                       name='KillAt')
    if args.fail_at_iteration is not None:
        trainer.extend(InjectFault(args.fail_at_iteration, kill=False),
                       name='FailAt')

    try:
        trainer.run()
    except BaseException as error:
        # An exception or Ctrl-C (SIGKILL runs nothing at all). The
        # SyncDirectory extension has already synced what there is.
        info = {'status': 'failure', 'out': os.path.abspath(args.out),
                'iteration': updater.iteration,
                'error': '{}: {}'.format(type(error).__name__, error),
                'failed_at': _now()}
        unattended.notify('failure', info, command=args.notify_cmd,
                          callback=notify)
        raise

    # 3. Done: write the marker, mirror it, notify.
    last = log_report.log[-1] if log_report.log else {}
    marker = {key: last[key] for key in (
        'main/loss', 'main/accuracy', 'validation/main/loss',
        'validation/main/accuracy') if key in last}
    marker.update({
        'status': 'success', 'out': os.path.abspath(args.out),
        'iteration': updater.iteration, 'epoch': updater.epoch,
        'elapsed_time': trainer.elapsed_time,
        'attempts': len(unattended.read_json(
            os.path.join(args.out, 'attempts.json'), default=[])),
        'finished_at': _now(), 'notified': False})
    unattended.write_marker(args.out, marker)
    if args.sync_to:
        unattended.mirror_directory(args.out, args.sync_to)
    print('finished: iteration {}, validation accuracy {}'.format(
        marker['iteration'], marker.get('validation/main/accuracy')))
    _finish(marker, args, notify)
    return marker


if __name__ == '__main__':
    main()
