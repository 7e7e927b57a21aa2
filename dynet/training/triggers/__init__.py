"""Triggers: decide when an extension runs or training stops."""
from dynet.training.triggers.interval_trigger import IntervalTrigger  # NOQA


def get_trigger(trigger):
    """A trigger from a callable, a ``(period, unit)`` tuple or None (never
    fires)."""
    if callable(trigger):
        return trigger
    if trigger is None:
        return _never
    if isinstance(trigger, tuple) and len(trigger) == 2:
        return IntervalTrigger(*trigger)
    raise TypeError('get_trigger: expected a callable, a (period, unit) '
                    'tuple or None, got {!r}'.format(trigger))


def _never(trainer):
    return False


from dynet.training.triggers.early_stopping_trigger import (  # NOQA
    EarlyStoppingTrigger)
from dynet.training.triggers.manual_schedule_trigger import (  # NOQA
    ManualScheduleTrigger)
from dynet.training.triggers.minmax_value_trigger import (  # NOQA
    BestValueTrigger, MaxValueTrigger, MinValueTrigger)
from dynet.training.triggers.once_trigger import OnceTrigger  # NOQA
from dynet.training.triggers.time_trigger import TimeTrigger  # NOQA
