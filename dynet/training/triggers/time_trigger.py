"""TimeTrigger: fires every given number of seconds of training."""


class TimeTrigger:
    """Fires when ``trainer.elapsed_time`` passes each multiple of
    ``period`` seconds (at most once per check; after a long pause it
    catches up one period per check).

    Args:
        period (float): seconds between two firings.
    """

    def __init__(self, period):
        if period <= 0:
            raise ValueError('TimeTrigger: period must be positive, got '
                             '{}'.format(period))
        self._period = period
        self._next_time = period

    def __call__(self, trainer):
        if self._next_time < trainer.elapsed_time:
            self._next_time += self._period
            return True
        return False

    def serialize(self, serializer):
        self._next_time = float(serializer('next_time', self._next_time))
