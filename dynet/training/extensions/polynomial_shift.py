"""PolynomialShift: ``init * (1 - t / max_count) ** rate``."""
from dynet.serializers import base as serializer_base
from dynet.training import extension


def _as_python(value):
    item = getattr(value, 'item', None)
    return value if item is None else item()


class PolynomialShift(extension.Extension):
    """Trainer extension decreasing an optimizer attribute polynomially.

    After the ``t``-th call the attribute is
    ``init * max(1 - t / max_count, 0) ** rate`` (it reaches 0 after
    ``max_count`` calls). The value is also set (to ``init``) when training
    starts. A typical use is the "poly" learning rate policy.

    Args:
        attr (str): the optimizer attribute.
        rate (float): the exponent.
        max_count (int): the number of calls after which the value is 0.
        init (float): the value at ``t = 0``; None takes the optimizer's
            value when training starts.
        target (float): a bound: once the value goes past it (below it
            when ``rate > 0``, above it otherwise) the attribute stays at
            ``target``.
        optimizer: the optimizer; None means the updater's 'main' one.

    The number of calls and the last value are saved with the trainer, and
    loading a snapshot sets the attribute again.
    """

    def __init__(self, attr, rate, max_count, init=None, target=None,
                 optimizer=None):
        self._attr = attr
        self._rate = rate
        self._max_count = max_count
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
        decay = max(1 - self._t / self._max_count, 0)
        value = self._init * decay ** self._rate
        target = self._target
        if target is not None:
            if value == 0:
                # The decay is over: any non-zero bound has been passed.
                passed = target != 0
            else:
                ratio = target / value
                passed = (ratio > 1) if self._rate > 0 else (ratio < 1)
            if passed:
                value = target
        self._update_value(optimizer, value)

    def serialize(self, serializer):
        self._t = serializer('_t', self._t)
        self._last_value = _as_python(
            serializer('_last_value', self._last_value))
        if (isinstance(serializer, serializer_base.Deserializer) and
                self._bound is not None and self._last_value is not None):
            setattr(self._bound, self._attr, self._last_value)
