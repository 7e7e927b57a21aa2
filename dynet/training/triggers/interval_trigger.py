"""IntervalTrigger: fires every N iterations or epochs."""


class IntervalTrigger:
    """Fires when training crosses a multiple of ``period`` units since the
    trigger was last asked.

    The trigger remembers where it was last called (and saves it), so an
    extension that consults it only now and then still fires once per
    crossed boundary.

    Args:
        period (int or float): interval length.
        unit (str): 'iteration' or 'epoch'.
    """

    def __init__(self, period, unit):
        if unit not in ('iteration', 'epoch'):
            raise ValueError("IntervalTrigger: unit must be 'iteration' or "
                             "'epoch', got {!r}".format(unit))
        if period <= 0:
            raise ValueError('IntervalTrigger: period must be positive, got '
                             '{}'.format(period))
        self.period = period
        self.unit = unit
        self._previous_iteration = -1
        self._previous_epoch_detail = -1.0

    def __call__(self, trainer):
        updater = trainer.updater
        if self.unit == 'epoch':
            current = updater.epoch_detail
            previous = self._previous_epoch_detail
            if previous < 0:
                previous = updater.previous_epoch_detail
                if previous is None:
                    previous = 0.0
            fire = current > 0 and \
                previous // self.period != current // self.period
        else:
            current = updater.iteration
            previous = self._previous_iteration
            if previous < 0:
                previous = current - 1
            # Nothing has been trained at iteration 0: never fire there.
            fire = current > 0 and \
                previous // self.period != current // self.period
        self._previous_iteration = updater.iteration
        if hasattr(updater, 'epoch_detail'):
            self._previous_epoch_detail = updater.epoch_detail
        return fire

    def get_training_length(self):
        return self.period, self.unit

    def serialize(self, serializer):
        try:
            self._previous_iteration = int(serializer(
                'previous_iteration', self._previous_iteration))
            self._previous_epoch_detail = float(serializer(
                'previous_epoch_detail', self._previous_epoch_detail))
        except KeyError:
            # A file from before this state was saved: fall back to the
            # updater's counters (the state stays unknown, i.e. -1).
            pass

    def __str__(self):
        return '{}({}, {!r})'.format(type(self).__name__, self.period,
                                     self.unit)
