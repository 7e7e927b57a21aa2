"""Triggers firing when an observed value reaches a new best."""
from dynet import reporter


def _get_interval_trigger(trigger):
    # Local import: the package __init__ imports this module.
    from dynet.training.triggers import get_trigger
    return get_trigger(trigger)


def _to_float(value):
    if value is None:
        return None
    if hasattr(value, 'item'):
        value = value.item()
    return float(value)


class BestValueTrigger:
    """Fires when the mean of an observed value improves on the best so
    far.

    Within each interval of ``trigger`` it averages the observed ``key``;
    at the end of the interval it compares the mean with the best value
    seen at previous interval ends and fires if ``compare(best, new)`` is
    True (always at the first interval end).

    Args:
        key (str): the observation key, e.g. 'validation/main/loss'.
        compare: ``compare(best_value, new_value)`` -> True when new is
            better.
        trigger: the interval, e.g. ``(1, 'epoch')``.
    """

    def __init__(self, key, compare, trigger=(1, 'epoch')):
        self._key = key
        self._best_value = None
        self._interval_trigger = _get_interval_trigger(trigger)
        self._compare = compare
        self._init_summary()

    def _init_summary(self):
        self._summary = reporter.DictSummary()

    def __call__(self, trainer):
        observation = trainer.observation
        key = self._key
        if key in observation:
            self._summary.add({key: observation[key]})
        if not self._interval_trigger(trainer):
            return False
        stats = self._summary.compute_mean()
        if key not in stats:
            raise KeyError('{}: {!r} was not observed in this interval '
                           '(observed keys: {})'.format(
                               type(self).__name__, key,
                               sorted(observation)))
        value = _to_float(stats[key])
        self._init_summary()
        if self._best_value is None or self._compare(self._best_value,
                                                     value):
            self._best_value = value
            return True
        return False

    @property
    def best_value(self):
        """The best mean so far (None before the first interval end)."""
        return self._best_value

    def serialize(self, serializer):
        if hasattr(self._interval_trigger, 'serialize'):
            self._interval_trigger.serialize(serializer['interval_trigger'])
        self._summary.serialize(serializer['summary'])
        self._best_value = _to_float(
            serializer('best_value', self._best_value))


class MaxValueTrigger(BestValueTrigger):
    """Fires when the interval mean of ``key`` is a new maximum."""

    def __init__(self, key, trigger=(1, 'epoch')):
        super().__init__(key, lambda best, new: best < new, trigger)


class MinValueTrigger(BestValueTrigger):
    """Fires when the interval mean of ``key`` is a new minimum."""

    def __init__(self, key, trigger=(1, 'epoch')):
        super().__init__(key, lambda best, new: best > new, trigger)
