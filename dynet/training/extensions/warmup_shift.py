"""WarmupShift: moves an optimizer attribute evenly from ``warmup_start``
to ``init`` during the first ``warmup_iter`` calls."""
from dynet.serializers import base as serializer_base
from dynet.training import extension


class WarmupShift(extension.Extension):
    """Trainer extension warming up an optimizer attribute.

    The attribute is ``warmup_start`` when training starts and, after the
    ``t``-th call with ``t <= warmup_iter``,
    ``(t * init + (warmup_iter - t) * warmup_start) / warmup_iter``; it
    reaches ``init`` after ``warmup_iter`` calls and the extension leaves
    it alone afterwards.

    Args:
        attr (str): the optimizer attribute.
        warmup_start (float): the value at the start; None takes the
            optimizer's value when training starts.
        warmup_iter (int): the number of calls the warm-up lasts.
        init (float): the value after the warm-up; None takes the
            optimizer's value when training starts. (Chainer requires it.)
        optimizer: the optimizer; None means the updater's 'main' one.

    The number of calls is saved with the trainer, and loading a snapshot
    sets the attribute again.
    """

    def __init__(self, attr, warmup_start, warmup_iter, init=None,
                 optimizer=None):
        self._attr = attr
        self._warmup_start = warmup_start
        self._warmup_iter = warmup_iter
        self._init = init
        self._optimizer = optimizer
        self._t = 0
        self._bound = None

    def _get_optimizer(self, trainer):
        if self._optimizer is not None:
            return self._optimizer
        return trainer.updater.get_optimizer('main')

    def _fill_defaults(self, optimizer):
        if self._init is None or self._warmup_start is None:
            current = getattr(optimizer, self._attr)
            if self._init is None:
                self._init = current
            if self._warmup_start is None:
                self._warmup_start = current

    def _value(self):
        """The value set by the last call (the start value before any)."""
        if self._t <= 0:
            return self._warmup_start
        t = min(self._t, self._warmup_iter)
        return (t * self._init + (self._warmup_iter - t) *
                self._warmup_start) / self._warmup_iter

    def initialize(self, trainer):
        optimizer = self._get_optimizer(trainer)
        self._bound = optimizer
        self._fill_defaults(optimizer)
        setattr(optimizer, self._attr, self._value())

    def __call__(self, trainer):
        self._t += 1
        if self._t <= self._warmup_iter:
            optimizer = self._get_optimizer(trainer)
            self._fill_defaults(optimizer)
            setattr(optimizer, self._attr, self._value())

    def serialize(self, serializer):
        self._t = serializer('_t', self._t)
        if (isinstance(serializer, serializer_base.Deserializer) and
                self._bound is not None):
            setattr(self._bound, self._attr, self._value())
