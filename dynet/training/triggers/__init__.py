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
