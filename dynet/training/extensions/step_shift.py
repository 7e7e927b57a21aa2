"""StepShift: multiplies an optimizer attribute by ``gamma`` every ``step``
calls."""
import math

from dynet.serializers import base as serializer_base
from dynet.training import extension


def _as_python(value):
    item = getattr(value, 'item', None)
    return value if item is None else item()


class StepShift(extension.Extension):
    """Trainer extension shifting an optimizer attribute in steps.

    After the ``t``-th call the attribute is
    ``init * gamma ** floor(t / step)``; a typical use is dividing the
    learning rate by 10 every ``step`` iterations. The value is also set
    (to ``init``) when training starts.

    Args:
        attr (str): the optimizer attribute.
        gamma (float): the factor applied every ``step`` calls.
        step (int): the interval, in calls.
        init (float): the value at ``t = 0``; None takes the optimizer's
            value when training starts.
        target (float): a bound: once the value goes past it (above it
            when ``gamma > 1``, below it otherwise) the attribute stays at
            ``target``.
        optimizer: the optimizer; None means the updater's 'main' one.

    The number of calls and the last value are saved with the trainer, and
    loading a snapshot sets the attribute again.
    """

    def __init__(self, attr, gamma, step, init=None, target=None,
                 optimizer=None):
        self._attr = attr
        self._gamma = gamma
        self._step = step
        self._init = init
        self._target = target
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

    def initialize(self, trainer):
        optimizer = self._get_optimizer(trainer)
        self._bound = optimizer
        if self._init is None:
            self._init = getattr(optimizer, self._attr)
        value = self._init if self._last_value is None else self._last_value
        self._update_value(optimizer, value)

    def __call__(self, trainer):
        optimizer = self._get_optimizer(trainer)
        if self._init is None:
            self._init = getattr(optimizer, self._attr)
        self._t += 1
        value = self._init * self._gamma ** math.floor(self._t / self._step)
        target = self._target
        if target is not None and target != 0:
            ratio = value / target
            if (ratio > 1) if self._gamma > 1 else (ratio < 1):
                value = target
        self._update_value(optimizer, value)

    def serialize(self, serializer):
        self._t = serializer('_t', self._t)
        self._last_value = _as_python(
            serializer('_last_value', self._last_value))
        if (isinstance(serializer, serializer_base.Deserializer) and
                self._bound is not None and self._last_value is not None):
            setattr(self._bound, self._attr, self._last_value)
