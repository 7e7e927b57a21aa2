"""LinearShift: moves an optimizer attribute linearly between two values.
"""
from dynet.serializers import base as serializer_base
from dynet.training import extension


def _as_python(value):
    item = getattr(value, 'item', None)
    return value if item is None else item()


class LinearShift(extension.Extension):
    """Trainer extension changing an optimizer attribute linearly.

    With ``value_range == (v1, v2)`` and ``time_range == (t1, t2)``, after
    the ``t``-th call the attribute is ``v1`` while ``t <= t1``,
    ``v1 + (t - t1) / (t2 - t1) * (v2 - v1)`` in between, and ``v2`` once
    ``t >= t2``. The value for ``t = 0`` is also set when training starts.
    A typical use is warming up a momentum coefficient.

    Args:
        attr (str): the optimizer attribute.
        value_range (tuple of float): ``(v1, v2)``.
        time_range (tuple of int): ``(t1, t2)``, counts of calls.
        optimizer: the optimizer; None means the updater's 'main' one.

    The number of calls and the last value are saved with the trainer, and
    loading a snapshot sets the attribute again.
    """

    def __init__(self, attr, value_range, time_range, optimizer=None):
        self._attr = attr
        self._value_range = value_range
        self._time_range = time_range
        self._optimizer = optimizer
        self._t = 0
        self._last_value = None
        self._bound = None

    def _get_optimizer(self, trainer):
        if self._optimizer is not None:
            return self._optimizer
        return trainer.updater.get_optimizer('main')

    def _update_value(self, optimizer, value):
        setattr(optimizer, self._attr, value)
        self._last_value = value

    def _compute_value(self):
        t1, t2 = self._time_range
        v1, v2 = self._value_range
        t = self._t
        if t <= t1:
            return v1
        if t >= t2:
            return v2
        return v1 + (t - t1) / (t2 - t1) * (v2 - v1)

    def initialize(self, trainer):
        optimizer = self._get_optimizer(trainer)
        self._bound = optimizer
        value = self._compute_value() if self._last_value is None \
            else self._last_value
        self._update_value(optimizer, value)

    def __call__(self, trainer):
        self._t += 1
        self._update_value(self._get_optimizer(trainer),
                           self._compute_value())

    def serialize(self, serializer):
        self._t = serializer('_t', self._t)
        self._last_value = _as_python(
            serializer('_last_value', self._last_value))
        if (isinstance(serializer, serializer_base.Deserializer) and
                self._bound is not None and self._last_value is not None):
            setattr(self._bound, self._attr, self._last_value)
