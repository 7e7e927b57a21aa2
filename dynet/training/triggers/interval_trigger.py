"""IntervalTrigger: fires every N iterations or epochs."""


class IntervalTrigger:
    """Fires when the updater crosses a multiple of ``period`` units.

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

    def __call__(self, trainer):
        updater = trainer.updater
        if self.unit == 'epoch':
            current = updater.epoch_detail
            previous = updater.previous_epoch_detail
            if previous is None:
                previous = 0.0
            return previous // self.period != current // self.period
        iteration = updater.iteration
        return iteration > 0 and iteration % self.period == 0

    def get_training_length(self):
        return self.period, self.unit

    def serialize(self, serializer):
        """Stateless (the updater's counters drive it); kept for the
        trainer's protocol."""

    def __str__(self):
        return '{}({}, {!r})'.format(type(self).__name__, self.period,
                                     self.unit)
