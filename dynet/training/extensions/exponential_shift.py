"""ExponentialShift: multiplies an optimizer attribute by ``rate`` at every
call."""
from dynet.serializers import base as serializer_base
from dynet.training import extension


def _as_python(value):
    item = getattr(value, 'item', None)
    return value if item is None else item()


class ExponentialShift(extension.Extension):
    """Trainer extension shifting an optimizer attribute exponentially.

    After the ``t``-th call the attribute is ``init * rate ** t``; a
    typical use is an exponential decay of the learning rate. The value is
    also set (to ``init``) when training starts.

    Args:
        attr (str): the optimizer attribute, e.g. ``'lr'``.
        rate (float): the factor per call (non-negative).
        init (float): the value at ``t = 0``; None takes the optimizer's
            value when training starts.
        target (float): a bound: once the value goes past it (above it
            when ``rate > 1``, below it otherwise) the attribute stays at
            ``target``.
        optimizer: the optimizer; None means the updater's 'main' one.

    The number of calls and the last value are saved with the trainer, and
    loading a snapshot sets the attribute again, so a resumed run uses the
    same values as an uninterrupted one.
    """

    def __init__(self, attr, rate, init=None, target=None, optimizer=None):
        if rate < 0:
            raise ValueError('ExponentialShift: rate must not be negative, '
                             'got {}'.format(rate))
        self._attr = attr
        self._rate = rate
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
        value = self._init * self._rate ** self._t
        target = self._target
        if target is not None and target != 0:
            ratio = value / target
            if (ratio > 1) if self._rate > 1 else (ratio < 1):
                value = target
        self._update_value(optimizer, value)

    def serialize(self, serializer):
        self._t = serializer('_t', self._t)
        self._last_value = _as_python(
            serializer('_last_value', self._last_value))
        if (isinstance(serializer, serializer_base.Deserializer) and
                self._bound is not None and self._last_value is not None):
            # Loaded after initialize() (snapshot autoload): set the value
            # the snapshot was taken with.
            setattr(self._bound, self._attr, self._last_value)
