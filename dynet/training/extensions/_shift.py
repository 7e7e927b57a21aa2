"""Bases of the extensions that set an optimizer attribute from the number
of times they were called (the learning-rate shifts)."""
from dynet.serializers import base as serializer_base
from dynet.training import extension


def _as_python(value):
    item = getattr(value, 'item', None)
    return value if item is None else item()


class AttributeShift(extension.Extension):
    """Sets ``optimizer.<attr>`` on each call; saves the number of calls
    ``_t`` and the last value set, and sets that value again when a
    snapshot is loaded after ``initialize`` (autoload), so a resumed run
    uses the same values as an uninterrupted one."""

    def __init__(self, attr, optimizer):
        self._attr = attr
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

    def serialize(self, serializer):
        self._t = serializer('_t', self._t)
        self._last_value = _as_python(
            serializer('_last_value', self._last_value))
        if (isinstance(serializer, serializer_base.Deserializer) and
                self._bound is not None and self._last_value is not None):
            setattr(self._bound, self._attr, self._last_value)


class ScaledShift(AttributeShift):
    """``init * factor(t)``, held at ``target`` once it goes past it.

    Subclasses implement ``factor(t)`` and ``past_target(value)``.
    """

    def __init__(self, attr, init, target, optimizer):
        super().__init__(attr, optimizer)
        self._init = init
        self._target = target

    def factor(self, t):
        raise NotImplementedError

    def past_target(self, value):
        raise NotImplementedError

    def _ratio_past_target(self, value, growing):
        """Past a non-zero target: above it if growing, else below."""
        if self._target == 0:
            return False
        ratio = value / self._target
        return ratio > 1 if growing else ratio < 1

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
        value = self._init * self.factor(self._t)
        if self._target is not None and self.past_target(value):
            value = self._target
        self._update_value(optimizer, value)
