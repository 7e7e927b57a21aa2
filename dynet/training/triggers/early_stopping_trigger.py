"""EarlyStoppingTrigger: stops training when a metric stops improving."""
import operator
import sys
import warnings

from dynet import reporter


class EarlyStoppingTrigger:
    """A stop trigger for early stopping.

    Within each interval of ``check_trigger`` it averages the observed
    ``monitor``; at the end of each interval it compares the mean with the
    best so far. When the best has not improved for ``patience``
    successive checks, or when ``max_trigger`` fires, it fires (and the
    trainer stops).

    Args:
        check_trigger: the check interval, e.g. ``(1, 'epoch')``.
        monitor (str): the observation key to watch.
        patience (int): checks without improvement before stopping
            (default 3; ``patients`` is accepted as an alias).
        mode (str): 'min', 'max', or 'auto' ('max' when 'accuracy' is in
            ``monitor``, else 'min').
        verbose (bool): print a line when stopping early.
        max_trigger: upper bound of the training, e.g. ``(100, 'epoch')``.
    """

    def __init__(self, check_trigger=(1, 'epoch'), monitor='main/loss',
                 patience=None, mode='auto', verbose=False,
                 max_trigger=(100, 'epoch'), **kwargs):
        from dynet.training.triggers import get_trigger
        patients = kwargs.pop('patients', None)
        if kwargs:
            raise TypeError('EarlyStoppingTrigger: unexpected arguments '
                            '{}'.format(sorted(kwargs)))
        if patience is not None and patients is not None:
            raise TypeError('EarlyStoppingTrigger: give patience or its '
                            'alias patients, not both')
        if patience is None:
            patience = 3 if patients is None else patients
        if mode not in ('auto', 'min', 'max'):
            raise ValueError("EarlyStoppingTrigger: mode must be 'auto', "
                             "'min' or 'max', got {!r}".format(mode))
        if mode == 'auto':
            mode = 'max' if 'accuracy' in monitor else 'min'
        self.count = 0
        self.patience = patience
        self.monitor = monitor
        self.verbose = verbose
        self.mode = mode
        self.already_warning = False
        self._max_trigger = get_trigger(max_trigger)
        self._interval_trigger = get_trigger(check_trigger)
        if mode == 'max':
            self._compare = operator.gt
            self.best = -float('inf')
        else:
            self._compare = operator.lt
            self.best = float('inf')
        self._init_summary()

    def _init_summary(self):
        self._summary = reporter.DictSummary()

    def __call__(self, trainer):
        observation = trainer.observation
        if self.monitor in observation:
            self._summary.add({self.monitor: observation[self.monitor]})
        if self._max_trigger(trainer):
            return True
        if not self._interval_trigger(trainer):
            return False
        if self.monitor not in observation:
            if not self.already_warning:
                warnings.warn('EarlyStoppingTrigger: {!r} is not in the '
                              'observation; nothing to compare'.format(
                                  self.monitor))
                self.already_warning = True
            return False
        stats = self._summary.compute_mean()
        current = float(stats[self.monitor])
        self._init_summary()
        if self._compare(current, self.best):
            self.best = current
            self.count = 0
        else:
            self.count += 1
        if self._stop_condition():
            if self.verbose:
                sys.stdout.write('Epoch {}: early stopping\n'.format(
                    trainer.updater.epoch))
            return True
        return False

    def _stop_condition(self):
        return self.count >= self.patience

    def get_training_length(self):
        """The length of ``max_trigger`` (for ProgressBar)."""
        return self._max_trigger.get_training_length()

    def serialize(self, serializer):
        """Saves or loads the count, the best value and the running
        summary, so a resumed training keeps its patience (a snapshot
        without them is accepted)."""
        try:
            for name, trigger in (('max_trigger', self._max_trigger),
                                  ('interval_trigger',
                                   self._interval_trigger)):
                if hasattr(trigger, 'serialize'):
                    trigger.serialize(serializer[name])
            self._summary.serialize(serializer['summary'])
            self.count = int(serializer('count', self.count))
            self.best = float(serializer('best', self.best))
        except KeyError:
            pass
