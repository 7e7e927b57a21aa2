"""ProgressBar: a text progress display of the training loop."""
import collections
import datetime
import sys
import time

from dynet.training import extension


class ProgressBar(extension.Extension):
    """Trainer extension printing the progress of the training.

    Every ``update_interval`` iterations it redraws four lines: the total
    progress bar, the progress within the current epoch, the iteration and
    epoch counts, and the speed (iterations per second over the recent
    updates) with the estimated time to finish. The lines are redrawn in
    place with ANSI cursor movements and erased at the end.

    Args:
        training_length: ``(length, 'epoch' or 'iteration')``; by default
            taken from the stop trigger's ``get_training_length()``.
        update_interval (int): iterations between two redraws.
        bar_length (int): characters in a bar.
        out: the stream to write to.
    """

    @property
    def _out(self):
        # None means the current sys.stdout, looked up at each write (so a
        # replaced stdout, e.g. under pytest's capture, is followed).
        return sys.stdout if self._given_out is None else self._given_out

    def __init__(self, training_length=None, update_interval=100,
                 bar_length=50, out=None):
        if update_interval <= 0:
            raise ValueError('ProgressBar: update_interval must be positive, '
                             'got {}'.format(update_interval))
        self._training_length = training_length
        self._update_interval = update_interval
        self._bar_length = bar_length
        self._given_out = out
        self._recent = collections.deque(maxlen=100)
        self._drawn = False

    def _get_training_length(self, trainer):
        if self._training_length is None:
            getter = getattr(trainer.stop_trigger, 'get_training_length',
                             None)
            if getter is not None:
                self._training_length = getter()
        return self._training_length

    def __call__(self, trainer):
        updater = trainer.updater
        iteration = updater.iteration
        if iteration % self._update_interval != 0:
            return
        self._draw(iteration, updater.epoch, updater.epoch_detail,
                   self._get_training_length(trainer))

    def _bar(self, rate):
        rate = min(max(rate, 0.0), 1.0)
        marks = int(rate * self._bar_length)
        return '[{}{}]'.format('#' * marks, '.' * (self._bar_length - marks))

    def _draw(self, iteration, epoch, epoch_detail, training_length):
        out = self._out
        now = time.time()
        self._recent.append((iteration, epoch_detail, now))
        old_iteration, old_epoch_detail, old_time = self._recent[0]
        span = now - old_time
        if span > 0:
            iteration_speed = (iteration - old_iteration) / span
            epoch_speed = (epoch_detail - old_epoch_detail) / span
        else:
            iteration_speed = epoch_speed = float('inf')

        lines = 3
        out.write('\033[J')
        if training_length is not None:
            length, unit = training_length
            done = iteration if unit == 'iteration' else epoch_detail
            rate = done / length if length else 1.0
            out.write('     total {} {:6.2%}\n'.format(
                self._bar(rate), rate))
            lines += 1
        epoch_rate = epoch_detail - int(epoch_detail)
        out.write('this epoch {} {:6.2%}\n'.format(
            self._bar(epoch_rate), epoch_rate))
        if training_length is not None:
            out.write('{:10} iter, {} epoch / {} {}s\n'.format(
                iteration, epoch, length, unit))
            speed = iteration_speed if unit == 'iteration' else epoch_speed
            remaining = length - done
            if speed in (0.0, float('inf')) or speed != speed:
                seconds = 0.0
            else:
                seconds = max(remaining / speed, 0.0)
            out.write('{:10.5g} iters/sec. Estimated time to finish: '
                      '{}.\n'.format(iteration_speed,
                                     datetime.timedelta(seconds=seconds)))
        else:
            out.write('{:10} iter, {} epoch\n'.format(iteration, epoch))
            out.write('{:10.5g} iters/sec.\n'.format(iteration_speed))
        out.write('\033[{}A'.format(lines))
        if hasattr(out, 'flush'):
            out.flush()
        self._drawn = True

    def finalize(self):
        """Erases the bars."""
        if self._drawn:
            self._out.write('\033[J')
            if hasattr(self._out, 'flush'):
                self._out.flush()
