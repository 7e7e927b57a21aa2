"""MultistepShift: multiplies an optimizer attribute by ``gamma`` at given
iterations."""
from dynet.serializers import base as serializer_base
from dynet.training import extension


class MultistepShift(extension.Extension):
    """Trainer extension shifting an optimizer attribute in several steps.

    With ``init = x``, ``gamma = y`` and ``step_value = (s1, s2, s3)``, the
    attribute is ``x`` until the ``s1``-th call, ``x * y`` from the
    ``s1``-th call, ``x * y * y`` from the ``s2``-th and ``x * y ** 3``
    from the ``s3``-th on (called every iteration: ``x`` is used for the
    iterations 0 to ``s1 - 1``, ``x * y`` for ``s1`` to ``s2 - 1``, ...).
    The value is also set (to ``init``) when training starts.

    Args:
        attr (str): the optimizer attribute.
        gamma (float): the factor applied at each step.
        step_value (sequence of int): the calls at which the steps happen,
            in increasing order.
        init (float): the value before the first step; None takes the
            optimizer's value when training starts.
        optimizer: the optimizer; None means the updater's 'main' one.

    The number of calls and of steps taken are saved with the trainer, and
    loading a snapshot sets the attribute again.
    """

    def __init__(self, attr, gamma, step_value, init, optimizer=None):
        self._attr = attr
        self._gamma = gamma
        self._step_value = tuple(step_value)
        self._init = init
        self._optimizer = optimizer
        self._current_step = 0
        self._t = 0
        self._bound = None

    def _get_optimizer(self, trainer):
        if self._optimizer is not None:
            return self._optimizer
        return trainer.updater.get_optimizer('main')

    def _value(self):
        return self._init * pow(self._gamma, self._current_step)

    def _advance(self):
        self._t += 1
        if (self._current_step < len(self._step_value) and
                self._t >= self._step_value[self._current_step]):
            self._current_step += 1

    def initialize(self, trainer):
        optimizer = self._get_optimizer(trainer)
        self._bound = optimizer
        if self._init is None:
            self._init = getattr(optimizer, self._attr)
        setattr(optimizer, self._attr, self._value())

    def __call__(self, trainer):
        optimizer = self._get_optimizer(trainer)
        if self._init is None:
            self._init = getattr(optimizer, self._attr)
        self._advance()
        setattr(optimizer, self._attr, self._value())

    def serialize(self, serializer):
        self._t = serializer('_t', self._t)
        loading = isinstance(serializer, serializer_base.Deserializer)
        try:
            self._current_step = serializer('_current_step',
                                            self._current_step)
        except KeyError:
            if not loading:
                raise
            # A snapshot that holds only the count of calls: replay it.
            t = self._t
            self._t = 0
            self._current_step = 0
            for _ in range(t):
                self._advance()
        if loading and self._bound is not None and self._init is not None:
            setattr(self._bound, self._attr, self._value())
