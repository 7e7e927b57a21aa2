"""LinearShift: moves an optimizer attribute linearly between two values.
"""
from dynet.training.extensions._shift import AttributeShift


class LinearShift(AttributeShift):
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
        super().__init__(attr, optimizer)
        self._value_range = value_range
        self._time_range = time_range

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
